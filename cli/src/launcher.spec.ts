import * as http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliLogger } from './cli-logger';
import { COMPONENTS, startComponents } from './launcher';
import { portAnswers, type Store } from './store';

describe('startComponents', () => {
  // Something else answering /health on the content service's port, as an earlier start still running would.
  const squatter = http.createServer((_req, res) => res.end('{"status":"ok"}'));
  const content = COMPONENTS.find((c) => c.name === 'content')!.health;

  beforeAll(() => new Promise<void>((resolve) => squatter.listen(content, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => squatter.close(() => resolve())));

  it('refuses to start when a component port is taken, before starting anything', async () => {
    const store = { url: 'postgres://unused' } as Store;
    await expect(startComponents(store, cliLogger())).rejects.toThrow(
      `port ${content} (content) already in use: is tunegraph already running?`,
    );
    const ingestion = COMPONENTS.find((c) => c.name === 'ingestion')!.health;
    expect(await portAnswers(ingestion)).toBe(false);
  });
});
