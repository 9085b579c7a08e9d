// Round trip through the CI broker with the client the services use (kafkajs 2.2.4): create a topic,
// produce, and consume in a consumer group. The group part is what Kafka 4.0 broke for kafkajs, so a
// listening port alone proves too little.
import { randomUUID } from 'node:crypto';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const TIMEOUT_MS = 90_000;
const id = randomUUID();
const topic = `ci-smoke-${id}`;
const sent = ['alpha', 'beta', 'gamma', 'delta'];

// kafkajs logs retried errors (e.g. the group coordinator still loading) at ERROR level; only the
// final outcome matters here, and a real failure is thrown with its cause.
const kafka = new Kafka({ clientId: 'ci-smoke', brokers, logLevel: logLevel.NOTHING, retry: { retries: 8 } });
const admin = kafka.admin();
const producer = kafka.producer({ allowAutoTopicCreation: false });
const consumer = kafka.consumer({ groupId: `ci-smoke-${id}` });

async function roundTrip() {
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await producer.connect();
  await producer.send({ topic, messages: sent.map((value, i) => ({ key: String(i), value })) });

  const received = new Set();
  let done;
  const allReceived = new Promise((resolve) => (done = resolve));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.add(message.value.toString());
      if (sent.every((v) => received.has(v))) done();
    },
  });
  await allReceived;
  // stop() commits the consumed offsets; reading them back proves the group coordinator and its
  // internal topic work, not just fetching.
  await consumer.stop();
  const offsets = await admin.fetchOffsets({ groupId: `ci-smoke-${id}`, topics: [topic] });
  const committed = offsets[0].partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
  if (committed !== sent.length) {
    throw new Error(`group committed ${committed} offsets in total, expected ${sent.length}`);
  }
  await admin.deleteTopics({ topics: [topic] });
  console.error(
    `kafkajs round trip OK on ${brokers.join(',')}: ${sent.length} messages, group offsets committed`,
  );
}

const timer = setTimeout(() => {
  console.error(`kafkajs round trip did not finish within ${TIMEOUT_MS / 1000}s`);
  process.exit(1);
}, TIMEOUT_MS);

try {
  await roundTrip();
} catch (error) {
  console.error('kafkajs round trip failed:', error);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  await Promise.allSettled([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
}
