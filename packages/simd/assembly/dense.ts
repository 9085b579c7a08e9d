import { axpy } from './lanes';

// The dense per-row work of an ALS half-step (see @tunegraph/als gram.matrix.ts and basis.rotation.ts):
// the Gram matrix of one side and the change of basis of both sides, four float32 lanes at a time.

/** Rows summed in float32 before they are added into the float64 partial: bounds the rounding of long sums. */
const F32_RUN = 256;

/**
 * partial (f × f float64, row-major) = Σ y yᵀ over `rows` rows of m (f floats each): only entries with
 * b ≥ a rounded down to four lanes are meaningful (the upper triangle); the caller mirrors it. `tmp` holds f × f
 * floats of scratch.
 */
export function gramBlock(m: usize, rows: i32, f: i32, partial: usize, tmp: usize): void {
  const rowBytes = (<usize>f) << 2;
  const size = <i32>f * f;
  memory.fill(partial, 0, (<usize>size) << 3);
  for (let start = 0; start < rows; start += F32_RUN) {
    const end = min(rows, start + F32_RUN);
    memory.fill(tmp, 0, (<usize>size) << 2);
    for (let r = start; r < end; r++) {
      const y = m + (<usize>r) * rowBytes;
      for (let a = 0; a < f; a++) {
        const from = a & ~3;
        axpy(load<f32>(y + ((<usize>a) << 2)), y + ((<usize>from) << 2), tmp + ((<usize>(a * f + from)) << 2), f - from);
      }
    }
    for (let i = 0; i < size; i++) {
      const at = partial + ((<usize>i) << 3);
      store<f64>(at, load<f64>(at) + <f64>load<f32>(tmp + ((<usize>i) << 2)));
    }
  }
}

/**
 * Rows [start, end) of m (f floats each) ← Qᵀ·row, with q the f × f float32 matrix Q row-major (q[a·f + j] is
 * component a of eigenvector j): row' = Σ_a row[a] · q[a]. `tmp` holds f floats of scratch.
 */
export function rotateRows(m: usize, start: i32, end: i32, f: i32, q: usize, tmp: usize): void {
  const rowBytes = (<usize>f) << 2;
  for (let r = start; r < end; r++) {
    const row = m + (<usize>r) * rowBytes;
    memory.fill(tmp, 0, rowBytes);
    for (let a = 0; a < f; a++) axpy(load<f32>(row + ((<usize>a) << 2)), q + (<usize>a) * rowBytes, tmp, f);
    memory.copy(row, tmp, rowBytes);
  }
}
