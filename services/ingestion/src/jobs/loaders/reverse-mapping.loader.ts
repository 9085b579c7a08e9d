import type { Sql } from '@tunegraph/service-kit';
import type { FormatLoader } from './loader.types';

/**
 * Readable words for stems. A stem no loaded vocabulary knows cannot be placed (stems are numbered by the mxm
 * files), so it is handed back for quarantine and applies on a rerun once the lyrics are in.
 */
export const reverseMappingLoader: FormatLoader<'mxm-reverse-mapping'> = {
  format: 'mxm-reverse-mapping',
  stageColumns: 'stem text, word text',
  columns: ['stem', 'word'],
  toRows: (s) => [[s.stem, s.word]],
  async merge(sql: Sql, stage: string) {
    const updated = await sql.unsafe(`
      UPDATE stems SET word = s.word FROM ${stage} s
      WHERE stems.stem = s.stem AND stems.word IS DISTINCT FROM s.word`);
    const missing = await sql.unsafe<{ stem: string; word: string }[]>(`
      SELECT stem, word FROM ${stage} s WHERE NOT EXISTS (SELECT 1 FROM stems WHERE stems.stem = s.stem)`);
    return {
      changed: updated.count,
      unapplied: missing.map((m) => ({
        raw: `${m.stem}<SEP>${m.word}`,
        reason: 'stem is in no loaded musiXmatch vocabulary (load the lyrics file, then rerun)',
      })),
    };
  },
};
