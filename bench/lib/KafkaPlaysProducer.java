import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The kafka bench's load generator: the broker's own Java client, run from source (`java -cp <kafka jars>
 * KafkaPlaysProducer.java ...`). kafkajs spends about 30 µs of CPU per message it produces; on 2 cores that alone
 * took a third of the machine at 20,000 events/s and starved the consumer being measured. This one sends the same
 * JSON play events, keyed by user (the same murmur2 partitioning as kafkajs's default), idempotent with acks from
 * all in-sync replicas like the product's producers.
 *
 * Args: brokers topic rate seconds users songs duplicateEvery probeEvery. Prints `started <epoch ms>`, then
 * `probe <event id> <epoch ms just before its send> <partition>` for every probeEvery-th event, then
 * `done <messages> <distinct events> <plays> <seconds> <CPU ns used since started>`. Its work per message is fixed,
 * so its CPU per message tells how busy (or slow) the machine was during the run.
 */
public class KafkaPlaysProducer {
  private static final int TICK_MS = 50;

  public static void main(String[] args) throws Exception {
    String brokers = args[0];
    String topic = args[1];
    int rate = Integer.parseInt(args[2]);
    double seconds = Double.parseDouble(args[3]);
    int users = Integer.parseInt(args[4]);
    int songs = Integer.parseInt(args[5]);
    int duplicateEvery = Integer.parseInt(args[6]);
    int probeEvery = Integer.parseInt(args[7]);

    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());

    AtomicReference<Exception> failure = new AtomicReference<>();
    long sent = 0;
    long unique = 0;
    long plays = 0;
    StringBuilder out = new StringBuilder();
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      int partitions = producer.partitionsFor(topic).size(); // metadata before the clock starts
      int perTick = Math.round(rate * TICK_MS / 1000f);
      // Ids made once: formatting them per event cost the machine under test more CPU than sending them.
      String[] userIds = new String[users];
      int[] userPartitions = new int[users];
      for (int u = 0; u < users; u++) {
        userIds[u] = "user" + u;
        // The default partitioner's choice for a keyed record.
        userPartitions[u] = Utils.toPositive(Utils.murmur2(userIds[u].getBytes(StandardCharsets.UTF_8))) % partitions;
      }
      String[] songIds = new String[songs];
      for (int i = 0; i < songs; i++) songIds[i] = String.format("SO%016d", 1 + i);
      com.sun.management.OperatingSystemMXBean os =
          (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      long cpuAtStart = os.getProcessCpuTime();
      long started = System.nanoTime();
      System.out.println("started " + System.currentTimeMillis());
      for (long tick = 0; System.nanoTime() - started < (long) (seconds * 1e9); tick++) {
        long wait = (started + tick * TICK_MS * 1_000_000L - System.nanoTime()) / 1_000_000L;
        if (wait > 0) Thread.sleep(wait);
        long now = System.currentTimeMillis();
        for (int i = 0; i < perTick; i++, unique++) {
          long n = unique;
          int user = (int) ((n * 7919) % users);
          String userId = userIds[user];
          String songId = songIds[(int) ((n * 104_729) % songs)];
          int count = 1 + (int) (n % 3);
          String value =
              "{\"eventId\":\"e" + n + "\",\"userId\":\"" + userId + "\",\"songId\":\"" + songId
                  + "\",\"count\":" + count + ",\"timestampMs\":" + now + ",\"source\":\"replay\"}";
          plays += count;
          if (n % probeEvery == 0) {
            out.append("probe e").append(n).append(' ').append(System.currentTimeMillis()).append(' ').append(userPartitions[user]).append('\n');
          }
          int copies = n % duplicateEvery == 0 ? 2 : 1;
          for (int c = 0; c < copies; c++, sent++) {
            producer.send(new ProducerRecord<>(topic, userId, value), (meta, err) -> {
              if (err != null) failure.compareAndSet(null, err);
            });
          }
        }
        System.out.print(out);
        System.out.flush();
        out.setLength(0);
        if (failure.get() != null) throw failure.get();
      }
      producer.flush();
      if (failure.get() != null) throw failure.get();
      double elapsed = (System.nanoTime() - started) / 1e9;
      long cpu = os.getProcessCpuTime() - cpuAtStart;
      System.out.println("done " + sent + " " + unique + " " + plays + " " + elapsed + " " + cpu);
    }
  }
}
