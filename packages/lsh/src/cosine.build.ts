import { CosineLsh, type CosineFamily } from './cosine.lsh';
import { tuneCosineLsh, type CosineTuneOptions, type CosineTuning } from './cosine.tune';

/** How to index: a fixed setting, or one tuned to a target recall on the vectors themselves. */
export type CosineIndexSpec =
  | {
      kind: 'fixed';
      family?: CosineFamily;
      dim: number;
      tables: number;
      bits: number;
      probes: number;
      seed: number;
    }
  | ({ kind: 'tuned' } & Omit<CosineTuneOptions, 'onProgress'>);

/**
 * A cosine LSH index over `count` row-major vectors as `spec` says. Fewer than two vectors need no tuning:
 * one table of one bit is their whole scan.
 */
export function buildCosineIndex(
  vectors: Float32Array,
  count: number,
  spec: CosineIndexSpec,
  onProgress?: (message: string) => void,
): { index: CosineLsh; tuning?: CosineTuning } {
  if (spec.kind === 'fixed') {
    const index = new CosineLsh(spec);
    if (count > 0) index.build(vectors, count);
    return { index };
  }
  if (count < 2) {
    const index = new CosineLsh({ dim: spec.dim, tables: 1, bits: 1, seed: spec.seed });
    if (count > 0) index.build(vectors, count);
    return { index };
  }
  return tuneCosineLsh(vectors, count, { ...spec, onProgress });
}
