import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLineBatches } from './lines.reader';
import { assertFormat, openMsdFile, probeMsdFile } from './msd-file.reader';
import type { AnyMsdFile } from './msd.types';

const U = 'b80344d063b5ccb3212f76538f3d9e43d87dca9e';
const SO = 'SOAKIMP12A8C130995';
const TR = 'TRAAAAW128F429D538';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'msd-reader-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function put(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function collect(file: AnyMsdFile): Promise<{ records: unknown[]; rejected: [number, string][] }> {
  const records: unknown[] = [];
  const rejected: [number, string][] = [];
  for await (const r of file.records()) {
    if (r.kind === 'record') records.push(r.value);
    else rejected.push([r.lineNo, r.reason]);
  }
  return { records, rejected };
}

const triplets = (n: number) => Array.from({ length: n }, (_, i) => `${U}\t${SO}\t${i + 1}\n`).join('');

describe('openMsdFile', () => {
  it('gunzips by magic bytes, not by name', async () => {
    const gzippedTxt = await openMsdFile(await put('plays.txt', gzipSync(triplets(3))));
    const plainGz = await openMsdFile(await put('plays.txt.gz', triplets(3)));
    expect([gzippedTxt.info.compressed, plainGz.info.compressed]).toEqual([true, false]);
    expect((await collect(gzippedTxt)).records).toEqual((await collect(plainGz)).records);
    expect((await collect(gzippedTxt)).records).toHaveLength(3);
  });

  it('strips CR of CRLF lines and accepts a last line without newline', async () => {
    const file = await openMsdFile(await put('crlf.txt', `${U} ${SO} 5\r\n${U} ${SO} 6`));
    expect((await collect(file)).records).toEqual([
      { userId: U, songId: SO, count: 5 },
      { userId: U, songId: SO, count: 6 },
    ]);
  });

  it('strips a UTF-8 byte order mark', async () => {
    const file = await openMsdFile(await put('bom.txt', `\uFEFF${U}\t${SO}\t1\n`));
    expect((await collect(file)).records).toEqual([{ userId: U, songId: SO, count: 1 }]);
  });

  it('keeps lines that span read chunks intact (gzip and plain)', async () => {
    const text = Array.from({ length: 60_000 }, (_, i) => `user${i}\t${SO}\t${i + 1}\n`).join('');
    for (const path of [await put('big.txt', text), await put('big.gz', gzipSync(text))]) {
      const file = await openMsdFile(path, { format: 'triplets' });
      let expected = 1;
      for await (const r of file.records()) {
        expect(r).toMatchObject({
          kind: 'record',
          lineNo: expected,
          value: { userId: `user${expected - 1}`, count: expected },
        });
        expected++;
      }
      expect(file.stats().records).toBe(60_000);
    }
  });

  it('rejects an over-long line without buffering it and carries on', async () => {
    const path = await put('long.txt', `${U}\t${'X'.repeat(5_000_000)}\t1\n${U}\t${SO}\t2\n`);
    const { records, rejected } = await collect(await openMsdFile(path, { format: 'triplets' }));
    expect(rejected).toEqual([[1, 'line is 5000043 bytes long, over the 4194304-byte limit']]);
    expect(records).toEqual([{ userId: U, songId: SO, count: 2 }]);
  });

  it('tells utf-8, latin1 and mixed files apart and counts Latin-1 lines', async () => {
    const line = (artist: Buffer) =>
      Buffer.concat([Buffer.from(`${TR}<SEP>${SO}<SEP>`), artist, Buffer.from('<SEP>Undo\n')]);
    const utf8 = Buffer.from('Björk', 'utf8');
    const latin1 = Buffer.from('Björk', 'latin1');
    const cases = [
      ['utf8.txt', [utf8, utf8], 'utf-8', 0],
      ['latin1.txt', [latin1, Buffer.from('Bjork'), latin1], 'latin1', 2],
      ['mixed.txt', [utf8, latin1], 'mixed', 1],
    ] as const;
    for (const [name, artists, encoding, latin1Lines] of cases) {
      const file = await openMsdFile(await put(name, Buffer.concat(artists.map(line))));
      const { records } = await collect(file);
      expect(records.map((r) => (r as { artistName: string }).artistName)).toEqual(
        artists.map((a) => (a === latin1 || a === utf8 ? 'Björk' : 'Bjork')),
      );
      expect(file.info.encoding).toBe(encoding);
      expect(file.stats().latin1Lines).toBe(latin1Lines);
    }
  });

  it('knows the encoding of the head after opening and of the whole file after reading', async () => {
    const head = triplets(100);
    const tail = Buffer.concat([Buffer.from(`${TR}`), Buffer.from('\xe9', 'latin1'), Buffer.from('\n')]);
    const file = await openMsdFile(await put('late-latin1.txt', Buffer.concat([Buffer.from(head), tail])));
    expect(file.info.encoding).toBe('utf-8');
    const { rejected } = await collect(file);
    expect(rejected).toEqual([[101, 'expected 3 fields, got 1']]);
    expect(file.info.encoding).toBe('latin1');
  });

  it('restarts on every records() call and resets the stats', async () => {
    const file = await openMsdFile(await put('again.txt', triplets(10)));
    for await (const r of file.records()) if (r.lineNo === 3) break;
    expect(file.stats().lines).toBeGreaterThanOrEqual(3);
    expect((await collect(file)).records).toHaveLength(10);
    expect(file.stats()).toEqual({ lines: 10, records: 10, rejected: 0, skipped: 0, latin1Lines: 0 });
  });

  it('hands out the same records in chunk-sized batches', async () => {
    const file = await openMsdFile(await put('batches.txt', triplets(30_000)), { format: 'triplets' });
    const sizes: number[] = [];
    let expected = 1;
    let outOfOrder = 0;
    for await (const batch of file.batches()) {
      sizes.push(batch.length);
      for (const r of batch) if (r.lineNo !== expected++ || r.kind !== 'record') outOfOrder++;
    }
    expect([expected - 1, outOfOrder]).toEqual([30_000, 0]);
    expect(sizes.length).toBeGreaterThan(1);
    expect(file.stats()).toEqual({ lines: 30_000, records: 30_000, rejected: 0, skipped: 0, latin1Lines: 0 });
  });

  it('skips the unique_tracks header only on line 1', async () => {
    const header = 'Id<SEP>id2<SEP>ArtistName<SEP>SongTitle\n';
    const file = await openMsdFile(
      await put('ut.txt', `${header}${TR}<SEP>${SO}<SEP>Casual<SEP>\n${header}`),
    );
    const { records, rejected } = await collect(file);
    expect(records).toEqual([{ trackId: TR, songId: SO, artistName: 'Casual', title: '' }]);
    expect(rejected).toEqual([[3, "bad track id 'Id'"]]);
    expect(file.stats().skipped).toBe(1);
  });

  it('refuses a file no format fits, unless a format is forced', async () => {
    const path = await put('notes.csv', 'a,b,c\n1,2,3\n');
    await expect(openMsdFile(path)).rejects.toThrow(
      /notes\.csv: the first lines fit none of the MSD formats/,
    );
    expect((await probeMsdFile(path)).format).toBe('unknown');
    const forced = await openMsdFile(path, { format: 'triplets' });
    expect((await collect(forced)).rejected).toEqual([
      [1, 'expected 3 fields, got 1'],
      [2, 'expected 3 fields, got 1'],
    ]);
  });

  it('narrows with assertFormat and names both formats when they differ', async () => {
    const file = await openMsdFile(await put('narrow.txt', triplets(1)));
    expect(assertFormat(file, 'triplets').format).toBe('triplets');
    expect(() => assertFormat(file, 'mxm-bow')).toThrow(/expected a mxm-bow file, found triplets/);
  });

  it('reports a corrupt gzip stream as an error naming the file', async () => {
    const gz = gzipSync(triplets(20_000));
    const path = await put('cut.gz', gz.subarray(0, gz.length - 100));
    const file = await openMsdFile(path);
    await expect(collect(file)).rejects.toThrow(/cut\.gz: unexpected end of file/);
  });
});

describe('mxm-bow files', () => {
  const header = '# comment\n# more\n%i,the,you,to\n';
  const rec = `${TR},4623710,1:6,3:2`;

  it('exposes the vocabulary before iterating and rejects a cut-off last record', async () => {
    const file = assertFormat(
      await openMsdFile(await put('mxm.txt', `${header}${rec}\n${rec},4:1`)),
      'mxm-bow',
    );
    expect(file.info.vocabulary).toEqual(['i', 'the', 'you', 'to']);
    const { records, rejected } = await collect(file);
    expect(records).toEqual([
      { trackId: TR, mxmTrackId: 4623710, stems: Int32Array.from([0, 2]), counts: Int32Array.from([6, 2]) },
    ]);
    expect(rejected).toEqual([
      [5, 'truncated last record: the file ends without a newline, so it may be cut off'],
    ]);
    expect(file.stats()).toEqual({ lines: 5, records: 1, rejected: 1, skipped: 3, latin1Lines: 0 });
  });

  it('accepts the last record when the file ends with a newline', async () => {
    const { records, rejected } = await collect(
      await openMsdFile(await put('mxm-ok.txt', `${header}${rec}\n`)),
    );
    expect([records.length, rejected.length]).toEqual([1, 0]);
  });

  it('rejects stem indices beyond the real vocabulary size', async () => {
    const { rejected } = await collect(
      await openMsdFile(await put('mxm-range.txt', `${header}${TR},1,5:1\n`)),
    );
    expect(rejected).toEqual([[4, 'word count entry 1: stem index 5 is outside the vocabulary (1..4)']]);
  });

  it('refuses a file whose vocabulary is missing or broken', async () => {
    await expect(
      openMsdFile(await put('mxm-novocab.txt', `# c\n${rec}\n`), { format: 'mxm-bow' }),
    ).rejects.toThrow(/no '%' vocabulary line before its first record/);
    await expect(openMsdFile(await put('mxm-dup.txt', `%a,b,a\n${rec}\n`))).rejects.toThrow(
      /mxm-dup\.txt line 1: vocabulary entry 3 'a' repeats entry 1/,
    );
    await expect(openMsdFile(await put('mxm-empty.txt', `%a,,b\n${rec}\n`))).rejects.toThrow(
      /vocabulary entry 2 is empty/,
    );
  });
});

describe('readLineBatches', () => {
  it('reports the byte length of lines over the limit and keeps only their start', async () => {
    const path = await put('limit.txt', `${'a'.repeat(300)}\nshort\n${'b'.repeat(70)}`);
    const lines = [];
    for await (const batch of readLineBatches(path, 64)) lines.push(...batch);
    expect(lines.map((l) => [l.lineNo, l.text.length, l.overlongBytes, l.terminated])).toEqual([
      [1, 200, 300, true],
      [2, 5, 0, true],
      [3, 70, 70, false],
    ]);
  });
});
