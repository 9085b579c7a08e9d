import type { Readable } from 'node:stream';
import { GetObjectCommand, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { ByteSource } from '@tunegraph/msd-formats';
import { z } from 'zod';

/** S3 settings from the environment; unset credentials fall back to the AWS SDK's default chain (AWS_* variables, profiles). */
const s3EnvSchema = z.object({
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Defaults to true with a custom endpoint (MinIO, moto, Ceph serve buckets as paths), false on AWS. */
  S3_FORCE_PATH_STYLE: z.enum(['true', 'false']).optional(),
});

export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const parsed = s3EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid S3 configuration: ${issues.join('; ')}`);
  }
  const c = parsed.data;
  if ((c.S3_ACCESS_KEY_ID === undefined) !== (c.S3_SECRET_ACCESS_KEY === undefined))
    throw new Error(
      'invalid S3 configuration: set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
    );
  return new S3Client({
    endpoint: c.S3_ENDPOINT,
    region: c.S3_REGION,
    forcePathStyle: c.S3_FORCE_PATH_STYLE ? c.S3_FORCE_PATH_STYLE === 'true' : c.S3_ENDPOINT !== undefined,
    credentials:
      c.S3_ACCESS_KEY_ID && c.S3_SECRET_ACCESS_KEY
        ? { accessKeyId: c.S3_ACCESS_KEY_ID, secretAccessKey: c.S3_SECRET_ACCESS_KEY }
        : undefined,
  });
}

export const isS3Url = (p: string): boolean => p.startsWith('s3://');

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`${url}: not an s3://bucket/prefix URL`);
  return { bucket: m[1] as string, prefix: m[2] as string };
}

interface S3Object {
  key: string;
  size: number;
  etag: string;
}

function objectSource(client: S3Client, bucket: string, o: S3Object): ByteSource {
  const get = (range?: string) =>
    client.send(new GetObjectCommand({ Bucket: bucket, Key: o.key, Range: range, IfMatch: o.etag }));
  return {
    path: `s3://${bucket}/${o.key}`,
    // IfMatch: an object replaced while it is read fails loudly instead of mixing two versions.
    open: async () => (await get()).Body as Readable,
    async readHead(bytes) {
      if (o.size === 0) return Buffer.alloc(0);
      const body = (await get(`bytes=0-${Math.min(bytes, o.size) - 1}`)).Body;
      return Buffer.from(body ? await body.transformToByteArray() : []);
    },
    fingerprint: async () => ({ size: o.size, value: `${o.size}:${o.etag}` }),
  };
}

/**
 * The objects under `s3://bucket/prefix` (the object itself when the prefix names one), sorted by key, folder
 * markers and hidden names left out, as sources streamed on demand. A prefix that matches nothing is an error.
 */
export async function listS3Sources(client: S3Client, url: string): Promise<ByteSource[]> {
  const { bucket, prefix } = parseS3Url(url);
  const objects: S3Object[] = [];
  try {
    for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
      for (const o of page.Contents ?? []) {
        const key = o.Key ?? '';
        const underPrefix =
          key === prefix || prefix === '' || prefix.endsWith('/') || key.startsWith(`${prefix}/`);
        const name = key.slice(key.lastIndexOf('/') + 1);
        if (!underPrefix || name === '' || name.startsWith('.')) continue;
        objects.push({ key, size: o.Size ?? 0, etag: o.ETag ?? '' });
      }
    }
  } catch (err) {
    // The SDK's own words ("Could not load credentials from any providers") do not say what to set.
    throw new Error(
      `${url}: cannot list its objects: ${(err as Error).message} ` +
        '(S3_ENDPOINT names the server, AWS when unset; S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY the credentials)',
    );
  }
  if (objects.length === 0) throw new Error(`${url}: no objects under this prefix`);
  objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return objects.map((o) => objectSource(client, bucket, o));
}
