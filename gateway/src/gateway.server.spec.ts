import { describe, expect, it } from 'vitest';
import { formatGatewayError } from './gateway.server';

describe('formatGatewayError', () => {
  it('gives depth-limit rejections their own code', () => {
    const out = formatGatewayError({ message: "'q' exceeds maximum operation depth of 10", extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } });
    expect(out.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('keeps a subgraph code and fills a missing one', () => {
    expect(formatGatewayError({ message: 'x', extensions: { code: 'NOT_FOUND' } }).extensions?.code).toBe('NOT_FOUND');
    expect(formatGatewayError({ message: 'x' }).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
  });
});
