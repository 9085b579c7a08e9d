import { ConfigError, createLogger } from '@tunegraph/service-kit';
import { loadGatewayConfig } from './config';
import { startGateway } from './gateway.server';

async function main() {
  let config;
  try {
    config = loadGatewayConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const gateway = await startGateway(config, logger);
  logger.info({ url: `http://localhost:${config.PORT}/graphql` }, 'gateway ready');
  const stop = async () => {
    await gateway.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
