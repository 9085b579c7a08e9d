import { describe, expect, it } from 'vitest';
import { lshConfigSchema } from './config';

const parse = (env: Record<string, string>) => lshConfigSchema.safeParse({ SERVICE_NAME: 'lsh', ...env });

describe('lsh config', () => {
  it('tunes by default, towards recall 0.93', () => {
    const config = parse({});
    expect(config.success).toBe(true);
    expect(config.data?.LSH_TARGET_RECALL).toBe(0.93);
    expect(config.data?.LSH_TABLES).toBeUndefined();
  });

  it('takes a fixed setting only as a whole, and a target recall only in (0, 1]', () => {
    expect(parse({ LSH_TABLES: '16', LSH_BITS: '9', LSH_PROBES: '40' }).data).toMatchObject({
      LSH_TABLES: 16,
      LSH_BITS: 9,
      LSH_PROBES: 40,
    });
    const partial = parse({ LSH_TABLES: '16' });
    expect(partial.success).toBe(false);
    expect(partial.error?.issues[0].message).toMatch(/set LSH_TABLES, LSH_BITS and LSH_PROBES together/);
    expect(parse({ LSH_TARGET_RECALL: '1.2' }).success).toBe(false);
    expect(parse({ LSH_TARGET_RECALL: '0' }).success).toBe(false);
  });
});
