/*
 * Digamma and log-gamma for positive arguments, accurate to ~1e-12. Both shift a small argument up with
 * the recurrence until the asymptotic (Stirling) series converges fast; the variational updates call
 * digamma for every topic of every document iteration, so it stays branch-light and allocation-free.
 */

const SHIFT_TO = 6;
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/** psi(x) = d/dx ln Gamma(x) for x > 0 (NaN for x <= 0 or NaN). */
export function digamma(x: number): number {
  if (!(x > 0)) return NaN;
  let result = 0;
  // psi(x) = psi(x + 1) - 1/x
  while (x < SHIFT_TO) {
    result -= 1 / x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  // ln x - 1/(2x) - sum B_2n / (2n x^2n), Bernoulli terms up to B_12
  const series =
    inv2 *
    (1 / 12 -
      inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132 - inv2 * (691 / 32760))))));
  return result + Math.log(x) - 0.5 * inv - series;
}

/** ln Gamma(x) for x > 0 (NaN for x <= 0 or NaN). */
export function logGamma(x: number): number {
  if (!(x > 0)) return NaN;
  // ln Gamma(x) = ln Gamma(x + n) - ln(x (x+1) ... (x+n-1))
  let product = 1;
  while (x < SHIFT_TO + 1) {
    product *= x;
    x += 1;
  }
  const inv = 1 / x;
  const inv2 = inv * inv;
  const series =
    inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 * (1 / 1188)))));
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + series - Math.log(product);
}
