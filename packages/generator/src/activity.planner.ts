import { AliasTable } from './alias.sampler';
import { type PresetShape, STRUCTURE } from './presets.config';
import type { Sfc32 } from './sfc32.prng';

export interface ActivityPlan {
  /** Distinct songs of each user; sums to the preset's triplet count exactly. */
  songsPerUser: Int32Array;
  primary: Int32Array;
  /** -1 for users without a secondary group. */
  secondary: Int32Array;
}

function plannedTotal(raw: Float64Array, scale: number, lo: number, hi: number): number {
  let total = 0;
  for (let u = 0; u < raw.length; u++)
    total += Math.min(hi, Math.max(lo, Math.round((raw[u] as number) * scale)));
  return total;
}

/**
 * Heavy-tailed (log-normal) activity scaled to hit the triplet target, clamped to [min, max] songs per user; the
 * few rows rounding leaves over are handed out one per user, in random order. `shape` must pass validateShape.
 */
export function planSongsPerUser(shape: PresetShape, rng: Sfc32): Int32Array {
  const { users, triplets, minSongsPerUser: lo, maxSongsPerUser: hi } = shape;
  const raw = new Float64Array(users);
  for (let u = 0; u < users; u++) raw[u] = Math.exp(STRUCTURE.activitySigma * rng.normal());
  let low = 0;
  let high = 1;
  while (plannedTotal(raw, high, lo, hi) < triplets) high *= 2;
  for (let i = 0; i < 100 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (plannedTotal(raw, mid, lo, hi) <= triplets) low = mid;
    else high = mid;
  }
  const plan = Int32Array.from(raw, (r) => Math.min(hi, Math.max(lo, Math.round(r * low))));
  let missing = triplets - plan.reduce((a, b) => a + b, 0);
  // Walk users from a random start with a stride coprime to `users`, so every user is visited once per round.
  let stride = 1 + rng.int(users);
  while (gcd(stride, users) !== 1) stride++;
  for (let u = rng.int(users); missing > 0; u = (u + stride) % users) {
    if ((plan[u] as number) < hi) {
      plan[u]++;
      missing--;
    }
  }
  return plan;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Primary group in proportion to the groups' song counts, plus a different secondary group for some users. */
export function planActivity(shape: PresetShape, groupSizes: readonly number[], rng: Sfc32): ActivityPlan {
  const songsPerUser = planSongsPerUser(shape, rng);
  const groups = new AliasTable(groupSizes);
  const primary = new Int32Array(shape.users);
  const secondary = new Int32Array(shape.users);
  for (let u = 0; u < shape.users; u++) {
    const p = groups.sample(rng);
    primary[u] = p;
    secondary[u] = -1;
    if (groupSizes.length > 1 && rng.float() < STRUCTURE.secondaryProbability) {
      const other = rng.int(groupSizes.length - 1);
      secondary[u] = other >= p ? other + 1 : other;
    }
  }
  return { songsPerUser, primary, secondary };
}
