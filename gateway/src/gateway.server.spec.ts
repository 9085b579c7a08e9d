import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import type { Logger } from '@tunegraph/service-kit';
import { formatGatewayError, gatewayErrorHandler } from './gateway.server';

describe('formatGatewayError', () => {
  it('gives depth-limit rejections their own code', () => {
    const out = formatGatewayError({
      message: "'q' exceeds maximum operation depth of 10",
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(out.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('keeps a subgraph code and fills a missing one', () => {
    expect(formatGatewayError({ message: 'x', extensions: { code: 'NOT_FOUND' } }).extensions?.code).toBe(
      'NOT_FOUND',
    );
    expect(formatGatewayError({ message: 'x' }).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('gatewayErrorHandler', () => {
  it('answers what Express refuses as GraphQL errors with a code, and hides internal errors', async () => {
    const logged: unknown[] = [];
    const app = express();
    app.post('/graphql', express.json({ limit: '64b' }), (_req, res) => {
      res.json({ data: { ok: true } });
    });
    app.post('/broken', () => {
      throw new Error('secret detail at /srv/app.js:12');
    });
    app.use(gatewayErrorHandler({ error: (o: unknown) => logged.push(o) } as unknown as Logger));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    const post = async (route: string, body: string) => {
      const res = await fetch(`http://127.0.0.1:${port}/${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const json = (await res.json()) as { errors: { message: string; extensions: { code: string } }[] };
      return [res.status, json.errors[0].extensions.code, json.errors[0].message];
    };
    try {
      expect((await post('graphql', '{')).slice(0, 2)).toEqual([400, 'BAD_USER_INPUT']);
      expect(await post('graphql', JSON.stringify({ query: 'x'.repeat(100) }))).toEqual([
        413,
        'BAD_USER_INPUT',
        'request entity too large',
      ]);
      expect(await post('broken', '{}')).toEqual([500, 'INTERNAL_SERVER_ERROR', 'Internal server error']);
      expect(logged).toHaveLength(1);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
