import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { assertFormat, openMsdFile } from './msd-file.reader';

const TRACK = (id: string, tags = '[["rock", "100"]]') =>
  `{"artist": "A", "title": "T", "track_id": "${id}", "tags": ${tags}, "similars": []}`;

async function writeTarGz(path: string, members: Record<string, string>) {
  const archive = pack();
  archive.entry({ name: 'lastfm/', type: 'directory' });
  for (const [name, text] of Object.entries(members)) archive.entry({ name }, text);
  archive.finalize();
  await pipeline(archive, createGzip(), createWriteStream(path));
}

describe('tar archives', () => {
  it('reads every member file in order, numbers lines across members and names the member of a bad line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'msd-tar-'));
    const path = join(dir, 'tags.tar.gz');
    await writeTarGz(path, {
      'lastfm/A/TRAAAAW128F429D538.json': TRACK('TRAAAAW128F429D538'),
      'lastfm/A/TRAAABD128F429CF47.json': TRACK('TRAAABD128F429CF47', '[["rock"]]'),
      'lastfm/B/TRBBBBB128F429CF47.json': `${TRACK('TRBBBBB128F429CF47', '[]')}\n`,
    });
    const file = assertFormat(await openMsdFile(path), 'lastfm-track');
    const seen: unknown[] = [];
    for await (const r of file.records())
      seen.push(r.kind === 'record' ? [r.lineNo, r.value.trackId] : [r.lineNo, r.reason]);
    expect(seen).toEqual([
      [1, 'TRAAAAW128F429D538'],
      [2, `lastfm/A/TRAAABD128F429CF47.json: tag 1 is not [tag, weight]: '["rock"]'`],
      [3, 'TRBBBBB128F429CF47'],
    ]);
    expect(file.stats()).toMatchObject({ lines: 3, records: 2, rejected: 1 });
    await rm(dir, { recursive: true, force: true });
  });
});
