import type { S3Client } from '@aws-sdk/client-s3';
import { fileSource, listMsdFiles, type ByteSource } from '@tunegraph/msd-formats';
import { isS3Url, listS3Sources, s3ClientFromEnv } from './s3-source';

/**
 * Every file to load: local files and folders (recursively) and `s3://bucket/prefix` objects, in the order given.
 * The S3 client is made from the environment on first use unless one is passed.
 */
export async function listSources(paths: string[], s3?: S3Client): Promise<ByteSource[]> {
  let client = s3;
  const out: ByteSource[] = [];
  for (const p of paths) {
    if (isS3Url(p)) out.push(...(await listS3Sources((client ??= s3ClientFromEnv()), p)));
    else out.push(...(await listMsdFiles(p)).map(fileSource));
  }
  return out;
}
