import { describe, expect, it } from 'vitest';
import { s3ClientFromEnv } from './s3-source';

describe('s3ClientFromEnv', () => {
  it('uses path-style addressing with a custom endpoint, virtual-host style on AWS', async () => {
    const local = s3ClientFromEnv({ S3_ENDPOINT: 'http://127.0.0.1:9000' });
    const aws = s3ClientFromEnv({ S3_REGION: 'eu-west-1' });
    expect(local.config.forcePathStyle).toBe(true);
    expect(aws.config.forcePathStyle).toBe(false);
    expect(await aws.config.region()).toBe('eu-west-1');
    expect(
      s3ClientFromEnv({ S3_ENDPOINT: 'http://h:1', S3_FORCE_PATH_STYLE: 'false' }).config.forcePathStyle,
    ).toBe(false);
  });

  it('names each bad variable', () => {
    expect(() => s3ClientFromEnv({ S3_ENDPOINT: 'not a url', S3_FORCE_PATH_STYLE: 'yes' })).toThrow(
      /S3_ENDPOINT: .*; S3_FORCE_PATH_STYLE: /,
    );
    expect(() => s3ClientFromEnv({ S3_ACCESS_KEY_ID: 'key' })).toThrow(
      /set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither/,
    );
  });
});
