import type { SeededRandom } from '@tunegraph/vectors';

/** Gamma(shape, 1) for shape >= 1 by Marsaglia and Tsang's squeeze method (2000). */
export function sampleGamma(rng: SeededRandom, shape: number): number {
  if (!(shape >= 1)) throw new RangeError(`sampleGamma needs shape >= 1, got ${shape}`);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.nextGaussian();
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = 1 - rng.nextFloat(); // (0, 1], so log never sees 0
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}
