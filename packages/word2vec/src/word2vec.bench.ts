import { bench, describe } from 'vitest';
import { trainWord2Vec } from './index';
import { plantedSequences } from './planted-groups.test-helpers';

// One epoch over 2,000 planted sequences of 40 tokens (about 450k skip-gram pairs at window 5).
// Run: npm run bench -w @tunegraph/word2vec; pairs/s = pairs per epoch / mean time.
const corpus = plantedSequences(10, 50, 2000, 40, 7);

describe('trainWord2Vec, one epoch, 5 negatives', () => {
  for (const dim of [32, 100]) {
    bench(`dim ${dim}`, () => {
      trainWord2Vec(corpus, { vocabularySize: 500, dim, window: 5, negatives: 5, epochs: 1, seed: 1 });
    });
  }
});
