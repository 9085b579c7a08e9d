import path from 'node:path';
import { openMsdFile } from '../msd-file.reader';
import { msdDataDir } from './msd-data-dir';

export interface LyricsData {
  /** The file's stems, in index order. */
  vocabulary: string[];
  trackIds: string[];
  /** Bags of words in file order: docs[i] belongs to trackIds[i]; `id` is i. */
  docs: { id: number; terms: Int32Array; counts: Float32Array }[];
  /** Lines the reader refused (the real heads end with a cut-off record). */
  rejected: { lineNo: number; reason: string }[];
}

/** Reads a musiXmatch bag-of-words file (relative to msdDataDir); refused lines are returned, never dropped unseen. */
export async function loadLyrics(relativePath: string): Promise<LyricsData> {
  const file = await openMsdFile(path.join(msdDataDir(), relativePath), { format: 'mxm-bow' });
  const trackIds: string[] = [];
  const docs: LyricsData['docs'] = [];
  const rejected: LyricsData['rejected'] = [];
  for await (const parsed of file.records()) {
    if (parsed.kind === 'rejected') {
      rejected.push({ lineNo: parsed.lineNo, reason: parsed.reason });
      continue;
    }
    docs.push({ id: docs.length, terms: parsed.value.stems, counts: Float32Array.from(parsed.value.counts) });
    trackIds.push(parsed.value.trackId);
  }
  return { vocabulary: file.info.vocabulary ?? [], trackIds, docs, rejected };
}

/**
 * track_id -> the track's own artist, from the Taste Profile errata (sid_mismatches): its right-hand side describes
 * the track, which is what musiXmatch matched lyrics against. The only artist labels these samples have for the
 * musiXmatch test head (no Last.fm file or unique_tracks line covers those tracks).
 */
export async function loadTrackArtists(): Promise<Map<string, string>> {
  const file = await openMsdFile(path.join(msdDataDir(), 'metadata/sid_mismatches.txt.gz'), {
    format: 'sid-mismatches',
  });
  const artists = new Map<string, string>();
  for await (const parsed of file.records()) {
    if (parsed.kind === 'rejected') throw new Error(`sid_mismatches line ${parsed.lineNo}: ${parsed.reason}`);
    artists.set(parsed.value.trackId, parsed.value.trackArtist);
  }
  return artists;
}

/** stem -> readable word from mxm_reverse_mapping.txt. */
export async function loadReverseMapping(): Promise<Map<string, string>> {
  const file = await openMsdFile(path.join(msdDataDir(), 'lyrics/mxm_reverse_mapping.txt'), {
    format: 'mxm-reverse-mapping',
  });
  const words = new Map<string, string>();
  for await (const parsed of file.records()) {
    if (parsed.kind === 'rejected')
      throw new Error(`mxm_reverse_mapping line ${parsed.lineNo}: ${parsed.reason}`);
    words.set(parsed.value.stem, parsed.value.word);
  }
  return words;
}
