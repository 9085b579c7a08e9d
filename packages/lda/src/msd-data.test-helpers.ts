import { openMsdFile } from '@tunegraph/msd-formats';
import type { LdaDocument } from './lda.validation';
import { msdDataDir } from '@tunegraph/msd-formats/testing';

export { msdDataDir };

export interface Lyrics {
  vocabulary: string[];
  trackIds: string[];
  docs: LdaDocument[];
  rejected: { lineNo: number; reason: string }[];
}

/** A musiXmatch bag-of-words file as LDA documents; rejected lines are returned, never dropped unseen. */
export async function readLyrics(file: string): Promise<Lyrics> {
  const mxm = await openMsdFile(file, { format: 'mxm-bow' });
  const trackIds: string[] = [];
  const docs: LdaDocument[] = [];
  const rejected: { lineNo: number; reason: string }[] = [];
  for await (const parsed of mxm.records()) {
    if (parsed.kind === 'rejected') {
      rejected.push({ lineNo: parsed.lineNo, reason: parsed.reason });
      continue;
    }
    trackIds.push(parsed.value.trackId);
    docs.push({ terms: parsed.value.stems, counts: Float32Array.from(parsed.value.counts) });
  }
  return { vocabulary: mxm.info.vocabulary ?? [], trackIds, docs, rejected };
}

/** stem -> readable word from mxm_reverse_mapping.txt (`stem<SEP>word`). */
export async function readReverseMapping(file: string): Promise<Map<string, string>> {
  const mapping = await openMsdFile(file, { format: 'mxm-reverse-mapping' });
  const words = new Map<string, string>();
  for await (const parsed of mapping.records()) {
    if (parsed.kind === 'rejected') {
      throw new Error(`${file} line ${parsed.lineNo}: ${parsed.reason}`);
    }
    words.set(parsed.value.stem, parsed.value.word);
  }
  return words;
}
