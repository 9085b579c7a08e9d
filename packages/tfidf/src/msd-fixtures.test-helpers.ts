import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openMsdFile } from '@tunegraph/msd-formats';
import { msdDataDir } from '@tunegraph/msd-formats/testing';

/** The track ids of a unique_tracks-format file (relative to msdDataDir), via msd-formats. */
export async function loadUniqueTrackIds(relativePath: string): Promise<Set<string>> {
  const file = await openMsdFile(path.join(msdDataDir(), relativePath), { format: 'unique-tracks' });
  const ids = new Set<string>();
  for await (const parsed of file.records()) if (parsed.kind === 'record') ids.add(parsed.value.trackId);
  return ids;
}

/**
 * Last.fm tags of the wanted tracks found in a gzipped tar of `<TRACKID>.json` files; tracks with an
 * empty tag list are included with []. Only wanted entries are JSON-parsed.
 */
export function readLastfmTags(tarGz: string, wanted: ReadonlySet<string>): Map<string, string[]> {
  const tar = gunzipSync(readFileSync(tarGz));
  const tags = new Map<string, string[]>();
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const name = cString(header.subarray(0, 100));
    const size = parseInt(cString(header.subarray(124, 136)).trim() || '0', 8);
    const type = String.fromCharCode(header[156]);
    const body = offset + 512;
    const trackId = /(TR[A-Z0-9]{16})\.json$/.exec(name)?.[1];
    if ((type === '0' || type === '\0') && trackId !== undefined && wanted.has(trackId)) {
      const json = JSON.parse(tar.subarray(body, body + size).toString('utf8')) as {
        tags: [string, number][];
      };
      tags.set(
        trackId,
        json.tags.map(([tag]) => tag),
      );
    }
    offset = body + Math.ceil(size / 512) * 512;
  }
  return tags;
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString('utf8');
}
