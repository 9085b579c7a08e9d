import pino from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from '@tunegraph/service-kit';

/** Human-readable logs for operators at a terminal. */
export function cliLogger(): Logger {
  return pino(
    { level: process.env.LOG_LEVEL ?? 'info', base: { service: 'cli' } },
    pretty({
      colorize: process.stdout.isTTY,
      sync: true,
      ignore: 'pid,hostname,service',
      translateTime: 'HH:MM:ss',
    }),
  );
}
