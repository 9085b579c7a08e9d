import type { Sql } from '@tunegraph/service-kit';
import type { FormatLoader } from './loader.types';

/** The subset's one-column vocabularies, each stored under its format's name in `vocabularies`. */
function vocabularyLoader<F extends 'artist-ids' | 'term-vocabulary' | 'mbtag-vocabulary'>(
  format: F,
): FormatLoader<F> {
  return {
    format,
    stageColumns: 'value text',
    columns: ['value'],
    toRows: (v) => [[v.value]],
    async merge(sql: Sql, stage: string) {
      const added = await sql.unsafe(
        `INSERT INTO vocabularies (vocabulary, value) SELECT DISTINCT $1, value FROM ${stage}
         ON CONFLICT DO NOTHING`,
        [format],
      );
      return { changed: added.count };
    },
  } as FormatLoader<F>;
}

export const artistIdsLoader = vocabularyLoader('artist-ids');
export const termVocabularyLoader = vocabularyLoader('term-vocabulary');
export const mbtagVocabularyLoader = vocabularyLoader('mbtag-vocabulary');
