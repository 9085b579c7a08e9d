import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SparseDoc } from './tfidf.model';
import { msdDataDir } from '@tunegraph/msd-formats/testing';

export { msdDataDir };

export interface MxmCorpus {
  vocabulary: string[];
  trackIds: string[];
  /** docs[i].id === i; trackIds[i] names it. */
  docs: SparseDoc[];
  /** True when the file ended without a newline, i.e. its last record was cut off and skipped. */
  droppedCutOffLine: boolean;
}

/** musiXmatch bag-of-words (`#` comments, one `%` vocabulary line, `TRACKID,mxmid,idx:cnt,...` with 1-based idx). */
export function readMxmBagOfWords(file: string): MxmCorpus {
  const raw = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  const lines = text.split('\n');
  const droppedCutOffLine = !text.endsWith('\n');
  // The last piece is either '' after a final newline or a record cut off mid-way: never a whole record.
  const complete = lines.length - 1;
  let vocabulary: string[] | undefined;
  const trackIds: string[] = [];
  const docs: SparseDoc[] = [];
  const errors: string[] = [];
  for (let n = 0; n < complete; n++) {
    const line = lines[n];
    if (line.startsWith('#') || line === '') continue;
    if (line.startsWith('%')) {
      vocabulary = line.slice(1).split(',');
      continue;
    }
    const where = `${path.basename(file)}:${n + 1}`;
    if (vocabulary === undefined) {
      errors.push(`${where}: record before the % vocabulary line`);
      continue;
    }
    const fields = line.split(',');
    if (!/^TR[A-Z0-9]{16}$/.test(fields[0]) || fields.length < 2) {
      errors.push(`${where}: expected TRACKID,mxmid,idx:cnt,... but got "${line.slice(0, 40)}"`);
      continue;
    }
    const terms = new Int32Array(fields.length - 2);
    const counts = new Float32Array(fields.length - 2);
    let bad: string | undefined;
    for (let f = 2; f < fields.length && bad === undefined; f++) {
      const match = /^(\d+):(\d+)$/.exec(fields[f]);
      const term = match === null ? NaN : Number(match[1]) - 1;
      if (match === null || term < 0 || term >= vocabulary.length) bad = `bad idx:cnt pair "${fields[f]}"`;
      else if (f > 2 && term <= terms[f - 3]) bad = `word index ${term + 1} is not ascending`;
      terms[f - 2] = term;
      counts[f - 2] = match === null ? 0 : Number(match[2]);
    }
    if (bad !== undefined) {
      errors.push(`${where}: ${bad}`);
      continue;
    }
    docs.push({ id: docs.length, terms, counts });
    trackIds.push(fields[0]);
  }
  if (vocabulary === undefined) errors.push(`${path.basename(file)}: no % vocabulary line`);
  if (errors.length > 0) throw new Error(`unusable musiXmatch lines:\n${errors.join('\n')}`);
  return { vocabulary: vocabulary as string[], trackIds, docs, droppedCutOffLine };
}

/** track_id -> artist from a unique_tracks-format file (`track<SEP>song<SEP>artist<SEP>title`). */
export function readUniqueTracksArtists(
  file: string,
  opts: { headerLines?: number; encoding?: 'utf8' | 'latin1' } = {},
): Map<string, string> {
  const raw = readFileSync(file);
  const lines = (file.endsWith('.gz') ? gunzipSync(raw) : raw).toString(opts.encoding ?? 'utf8').split('\n');
  const artists = new Map<string, string>();
  const errors: string[] = [];
  lines.forEach((line, n) => {
    if (n < (opts.headerLines ?? 0) || line === '') return;
    const fields = line.replace(/\r$/, '').split('<SEP>');
    if (fields.length !== 4 || !/^TR[A-Z0-9]{16}$/.test(fields[0])) {
      errors.push(`${path.basename(file)}:${n + 1}: expected track<SEP>song<SEP>artist<SEP>title`);
    } else artists.set(fields[0], fields[2]);
  });
  if (errors.length > 0) throw new Error(`unusable unique_tracks lines:\n${errors.join('\n')}`);
  return artists;
}

/**
 * track_id -> the track's own artist from the Taste Profile errata
 * (`ERROR: <SONG TRACK> song artist  -  title  !=  track artist  -  title`): the right-hand side
 * describes the track, which is what musiXmatch matched lyrics against.
 */
export function readSidMismatchTrackArtists(file: string): Map<string, string> {
  const lines = gunzipSync(readFileSync(file)).toString('utf8').split('\n');
  const artists = new Map<string, string>();
  const errors: string[] = [];
  lines.forEach((line, n) => {
    if (line === '') return;
    const match = /^ERROR: <SO[A-Z0-9]{16} (TR[A-Z0-9]{16})> .* {2}!= {2}(.*?) {2}- {2}.*$/.exec(line);
    if (match === null) errors.push(`${path.basename(file)}:${n + 1}: not an sid_mismatches line`);
    else artists.set(match[1], match[2]);
  });
  if (errors.length > 0) throw new Error(`unusable sid_mismatches lines:\n${errors.join('\n')}`);
  return artists;
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
