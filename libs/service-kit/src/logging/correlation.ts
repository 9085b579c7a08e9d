import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export const CORRELATION_HEADER = 'x-correlation-id';

const storage = new AsyncLocalStorage<string>();

export function currentCorrelationId(): string | undefined {
  return storage.getStore();
}

export function withCorrelation<T>(id: string | undefined, fn: () => T): T {
  return storage.run(sanitizeCorrelationId(id) ?? randomUUID(), fn);
}

/** Accepts caller-supplied ids only when they are short and printable, so logs cannot be forged or flooded. */
export function sanitizeCorrelationId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  return /^[A-Za-z0-9._:-]{1,128}$/.test(id) ? id : undefined;
}
