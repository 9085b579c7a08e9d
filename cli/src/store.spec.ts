import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_DB_PORT } from '@tunegraph/service-kit';
import { cliLogger } from './cli-logger';
import { openStore } from './store';

describe('openStore for start, on the embedded store', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tunegraph-store-'));
  const saved = { home: process.env.TUNEGRAPH_HOME, url: process.env.DATABASE_URL };
  // Whatever holds the embedded store's port, as a tunegraph already running does.
  const holder = net.createServer((socket) => socket.destroy());

  beforeAll(async () => {
    process.env.TUNEGRAPH_HOME = home;
    delete process.env.DATABASE_URL;
    await new Promise<void>((resolve) => holder.listen(EMBEDDED_DB_PORT, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => holder.close(() => resolve()));
    process.env.TUNEGRAPH_HOME = saved.home;
    if (saved.url !== undefined) process.env.DATABASE_URL = saved.url;
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses when the port is taken, without opening the data directory', async () => {
    await expect(openStore(cliLogger(), { serve: true })).rejects.toThrow(
      `the embedded store's port ${EMBEDDED_DB_PORT} is already in use: is tunegraph already running?`,
    );
    expect(fs.existsSync(path.join(home, 'pgdata'))).toBe(false);
  });
});
