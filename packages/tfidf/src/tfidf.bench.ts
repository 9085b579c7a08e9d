import { bench, describe } from 'vitest';
import { loadLyrics } from '@tunegraph/msd-formats/testing';
import { SparseIndex, fitTfidf } from './index';

// Real musiXmatch test head: 8,259 tracks over 5,000 stems. Run: npm run bench -w @tunegraph/tfidf
const corpus = await loadLyrics('lyrics/mxm_dataset_test.head.txt.gz');
const vocabularySize = corpus.vocabulary.length;
const model = fitTfidf(corpus.docs, { vocabularySize });
const vectors = corpus.docs.map((doc) => model.transform(doc));
const index = new SparseIndex(vocabularySize);
vectors.forEach((v, i) => index.add(i, v.terms, v.weights));

describe(`TF-IDF on ${corpus.docs.length} lyric bags of words`, () => {
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
