import { describe, expect, it } from 'vitest';
import { sharedTopics } from './index';

describe('sharedTopics', () => {
  it('ranks the topics both mixtures hold by the product of their shares', () => {
    const a = Float32Array.of(0.5, 0.3, 0.02, 0.18);
    const b = Float32Array.of(0.1, 0.6, 0.3, 0.0);
    expect(sharedTopics(a, b, 5).map((t) => t.topic)).toEqual([1, 0]);
    expect(sharedTopics(a, b, 1)[0].weight).toBeCloseTo(0.18, 6);
    // topic 2 is 0.3 of b but 0.02 of a: below the default 0.05 share it is not shared.
    expect(sharedTopics(a, b, 5, 0.01).map((t) => t.topic)).toEqual([1, 0, 2]);
  });

  it('rejects mixtures of different sizes and a bad n', () => {
    expect(() => sharedTopics(new Float32Array(2), new Float32Array(3), 1)).toThrow(/2 and 3 topics/);
    expect(() => sharedTopics(new Float32Array(2), new Float32Array(2), 0)).toThrow(/n must be/);
  });
});
