import { describe, expect, it } from 'vitest';
import { digamma, logGamma } from './index';

const EULER_GAMMA = 0.5772156649015329;

describe('digamma', () => {
  it('hits closed forms and SciPy values to ~1e-11', () => {
    expect(digamma(1)).toBeCloseTo(-EULER_GAMMA, 11);
    expect(digamma(0.5)).toBeCloseTo(-EULER_GAMMA - 2 * Math.LN2, 11);
    expect(digamma(0.05)).toBeCloseTo(-20.49784499129987, 10); // scipy.special.digamma
    expect(digamma(7.3)).toBeCloseTo(1.917820335637986, 11);
    expect(digamma(1e4)).toBeCloseTo(9.21029037114285, 11);
    expect(digamma(1e-8) / -100000000.57721564).toBeCloseTo(1, 14);
  });

  it('satisfies psi(x + 1) = psi(x) + 1/x across the shift threshold', () => {
    for (const x of [0.01, 0.3, 1.7, 4.99, 5.5, 6, 12.25, 300]) {
      expect(digamma(x + 1) - digamma(x)).toBeCloseTo(1 / x, 10);
    }
  });

  it('is NaN outside its domain', () => {
    for (const x of [0, -1, NaN]) expect(digamma(x)).toBeNaN();
  });
});

describe('logGamma', () => {
  it('hits factorials, Gamma(1/2) and SciPy values to ~1e-11', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(logGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 11);
    expect(logGamma(1e-3)).toBeCloseTo(6.907178885383853, 11); // scipy.special.gammaln
    expect(logGamma(1e4)).toBeCloseTo(82099.71749644238, 8);
  });

  it('is NaN outside its domain', () => {
    for (const x of [0, -2.5, NaN]) expect(logGamma(x)).toBeNaN();
  });
});
