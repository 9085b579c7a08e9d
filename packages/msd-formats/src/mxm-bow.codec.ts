import { isTrackId, parsePositiveInt, positiveIntProblem, quote } from './fields.validator';
import { type LineCodec, SKIP, record, reject } from './line-codec.types';
import type { LyricsBow } from './msd.types';

/**
 * musiXmatch bag of words: `#` comments, one `%stem,stem,...` vocabulary line, then
 * `TRxxx,mxm_tid,idx:cnt,...` with 1-based, increasing stem indices.
 *
 * A final line without a trailing newline is rejected as truncated: the public heads of the official files end in a
 * record cut off mid-way, and a cut can still look valid (`12:3` that was `12:31`), so the only safe rule is to
 * trust a record only once its newline has been seen.
 */
export const mxmBowCodec: LineCodec<'mxm-bow'> = {
  format: 'mxm-bow',
  fileNameHint: /mxm_dataset|mxm-dataset|musixmatch|bow/i,
  parse(line, ctx) {
    if (line.startsWith('#')) return SKIP;
    if (line.startsWith('%')) {
      if (ctx.vocabularyLineNo === undefined || ctx.vocabularyLineNo === ctx.lineNo) return SKIP;
      return reject(`second vocabulary line (the vocabulary is the one on line ${ctx.vocabularyLineNo})`);
    }
    if (!ctx.terminated)
      return reject('truncated last record: the file ends without a newline, so it may be cut off');
    const parts = line.split(',');
    if (parts.length < 2)
      return reject(`expected track id, mxm track id and idx:cnt entries, got ${parts.length} field`);
    const trackId = parts[0] as string;
    if (!isTrackId(trackId)) return reject(`bad track id ${quote(trackId)}`);
    const mxmText = parts[1] as string;
    const mxmTrackId = parsePositiveInt(mxmText);
    if (mxmTrackId === undefined) return reject(positiveIntProblem('mxm track id', mxmText));
    const n = parts.length - 2;
    const stems = new Int32Array(n);
    const counts = new Int32Array(n);
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const entry = parts[i + 2] as string;
      const at = `word count entry ${i + 1}`;
      if (entry === '') return reject(`${at} is empty (stray comma)`);
      const colon = entry.indexOf(':');
      if (colon < 0) return reject(`${at} ${quote(entry)} is not idx:cnt`);
      const idxText = entry.slice(0, colon);
      const idx = parsePositiveInt(idxText);
      if (idx === undefined) return reject(`${at}: ${positiveIntProblem('stem index', idxText)}`);
      if (ctx.vocabularySize !== undefined && idx > ctx.vocabularySize) {
        return reject(`${at}: stem index ${idx} is outside the vocabulary (1..${ctx.vocabularySize})`);
      }
      if (idx <= previous) return reject(`${at}: stem indices must increase, got ${idx} after ${previous}`);
      const cntText = entry.slice(colon + 1);
      const cnt = parsePositiveInt(cntText);
      if (cnt === undefined) return reject(`${at}: ${positiveIntProblem('count', cntText)}`);
      stems[i] = idx - 1;
      counts[i] = cnt;
      previous = idx;
    }
    return record({ trackId, mxmTrackId, stems, counts });
  },
};

/** The stems of a `%` line, or the reason it is not a usable vocabulary. */
export function parseMxmVocabulary(line: string): string[] | string {
  if (!line.startsWith('%')) return "a vocabulary line starts with '%'";
  const words = line.slice(1).split(',');
  const seen = new Map<string, number>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '') return `vocabulary entry ${i + 1} is empty`;
    const first = seen.get(w);
    if (first !== undefined) return `vocabulary entry ${i + 1} ${quote(w)} repeats entry ${first}`;
    seen.set(w, i + 1);
  }
  return words;
}

/** `#` comment lines and the `%` vocabulary line, each with its newline. */
export function formatMxmHeader(vocabulary: readonly string[], comments: readonly string[] = []): string {
  for (const c of comments)
    if (/[\r\n]/.test(c)) throw new Error(`mxm comment contains a line break: ${quote(c)}`);
  for (const w of vocabulary) {
    if (w === '' || /[,\r\n]/.test(w))
      throw new Error(`mxm vocabulary entry is empty or holds ',' or a line break: ${quote(w)}`);
  }
  const head = comments.map((c) => (c === '' ? '#\n' : `# ${c}\n`)).join('');
  return `${head}%${vocabulary.join(',')}\n`;
}

/** One record line with its newline; `stems` are 0-based and must increase. */
export function formatMxmRecord(bow: LyricsBow): string {
  if (bow.stems.length !== bow.counts.length) {
    throw new Error(`mxm record ${bow.trackId}: ${bow.stems.length} stems but ${bow.counts.length} counts`);
  }
  let out = `${bow.trackId},${bow.mxmTrackId}`;
  let previous = -1;
  for (let i = 0; i < bow.stems.length; i++) {
    const stem = bow.stems[i] as number;
    if (stem <= previous)
      throw new Error(`mxm record ${bow.trackId}: stems must increase, got ${stem} after ${previous}`);
    out += `,${stem + 1}:${bow.counts[i]}`;
    previous = stem;
  }
  return `${out}\n`;
}
