import { AliasTable } from './alias.sampler';
import type { Catalog } from './catalog.model';
import { STRUCTURE } from './presets.config';
import type { Sfc32 } from './sfc32.prng';

/** Retries of a draw that hit a song the user already has, before falling back to another source. */
const RETRIES = 64;

function zetaWeights(exponent: number, max: number): Float64Array {
  return Float64Array.from({ length: max }, (_, i) => (i + 1) ** -exponent);
}

function mean(weights: Float64Array): number {
  let total = 0;
  let moment = 0;
  weights.forEach((w, i) => {
    total += w;
    moment += w * (i + 1);
  });
  return moment / total;
}

/** Truncated zeta distribution over 1..max whose exponent is solved for the requested mean. */
export function playCountTable(targetMean: number, max: number): { table: AliasTable; exponent: number } {
  let low = 1.01;
  let high = 8;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (mean(zetaWeights(mid, max)) > targetMean) low = mid;
    else high = mid;
  }
  return { table: new AliasTable(zetaWeights(low, max)), exponent: low };
}

/** Draws each user's distinct songs from their groups and global popularity, and a play count per song. */
export class PlaySampler {
  private readonly takenBy: Int32Array;
  private readonly picked: Int32Array;
  private readonly counts: AliasTable;

  constructor(
    private readonly catalog: Catalog,
    private readonly rng: Sfc32,
    maxSongsPerUser: number,
  ) {
    this.takenBy = new Int32Array(catalog.songIds.length);
    this.picked = new Int32Array(maxSongsPerUser);
    this.counts = playCountTable(STRUCTURE.playCountMean, STRUCTURE.playCountMax).table;
  }

  private fromGroup(g: number): number {
    return (this.catalog.groupSongs[g] as Int32Array)[
      (this.catalog.groupPopularity[g] as AliasTable).sample(this.rng)
    ] as number;
  }

  private drawNew(stamp: number, primary: number, secondary: number): number {
    const { rng, takenBy } = this;
    if (rng.float() < STRUCTURE.groupShare) {
      const g = secondary >= 0 && rng.float() < STRUCTURE.secondaryShare ? secondary : primary;
      for (let i = 0; i < RETRIES; i++) {
        const s = this.fromGroup(g);
        if (takenBy[s] !== stamp) return s;
      }
    }
    for (let i = 0; i < RETRIES; i++) {
      const s = this.catalog.globalPopularity.sample(rng);
      if (takenBy[s] !== stamp) return s;
    }
    // A heavy user who already has most popular songs: take the next free song from a random point.
    for (let s = rng.int(takenBy.length); ; s = (s + 1) % takenBy.length) if (takenBy[s] !== stamp) return s;
  }

  /** The user's `n` distinct songs, sorted by song id; the array is reused by the next call. */
  songsOf(user: number, n: number, primary: number, secondary: number): Int32Array {
    const stamp = user + 1;
    const { picked, takenBy } = this;
    const { songIdRank, songByIdRank } = this.catalog;
    for (let k = 0; k < n; k++) {
      const s = this.drawNew(stamp, primary, secondary);
      takenBy[s] = stamp;
      picked[k] = songIdRank[s] as number;
    }
    const out = picked.subarray(0, n).sort();
    for (let k = 0; k < n; k++) out[k] = songByIdRank[out[k] as number] as number;
    return out;
  }

  playCount(): number {
    return this.counts.sample(this.rng) + 1;
  }
}
