import { beforeAll, bench, describe } from 'vitest';
import { loadLyrics, type LyricsData } from '@tunegraph/msd-formats/testing';
import { SparseIndex, fitTfidf, type SparseVector, type TfidfModel } from './index';

// Real musiXmatch test head: 8,259 tracks over 5,000 stems. Run: npm run bench -w @tunegraph/tfidf
let corpus: LyricsData;
let vocabularySize: number;
let model: TfidfModel;
let vectors: SparseVector[];
let index: SparseIndex;

beforeAll(async () => {
  corpus = await loadLyrics('lyrics/mxm_dataset_test.head.txt.gz');
  vocabularySize = corpus.vocabulary.length;
  model = fitTfidf(corpus.docs, { vocabularySize });
  vectors = corpus.docs.map((doc) => model.transform(doc));
  index = new SparseIndex(vocabularySize);
  vectors.forEach((v, i) => index.add(i, v.terms, v.weights));
});

describe('TF-IDF on the real musiXmatch test head', () => {
  bench('fitTfidf (one pass over the corpus)', () => {
    fitTfidf(corpus.docs, { vocabularySize });
  });
  bench('transform every document', () => {
    for (const doc of corpus.docs) model.transform(doc);
  });
  bench('build SparseIndex from every vector', () => {
    const fresh = new SparseIndex(vocabularySize);
    vectors.forEach((v, i) => fresh.add(i, v.terms, v.weights));
  });
  let next = 0;
  bench('SparseIndex.search k=10 (one query)', () => {
    const query = vectors[next];
    index.search(query.terms, query.weights, 10);
    next = (next + 97) % vectors.length;
  });
});
