import { axpy, axpy4 } from './lanes';

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
    let r = start;
    // Four rows per pass: each accumulator quad is loaded and stored once for four products, added in row order
    // (so the sums are the same as one row at a time).
    for (; r + 3 < end && (f & 3) == 0; r += 4) {
      const y0 = m + (<usize>r) * rowBytes;
      const y1 = y0 + rowBytes;
      const y2 = y1 + rowBytes;
      const y3 = y2 + rowBytes;
      for (let a = 0; a < f; a++) {
        const ao = (<usize>a) << 2;
        const from = ao & ~15;
        let c = f32x4.splat(load<f32>(y0 + ao));
        c = f32x4.replace_lane(c, 1, load<f32>(y1 + ao));
        c = f32x4.replace_lane(c, 2, load<f32>(y2 + ao));
        c = f32x4.replace_lane(c, 3, load<f32>(y3 + ao));
        axpy4(c, y0 + from, y1 + from, y2 + from, y3 + from, tmp + (<usize>a) * rowBytes + from, f - <i32>(from >> 2));
      }
    }
    for (; r < end; r++) {
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
 * Sixteen outputs at a time stay in four vector registers while a runs over the row, so the only memory
 * traffic per step is one row of q (in L1); every output is the same in-order sum over a whatever the blocking.
 */
export function rotateRows(m: usize, start: i32, end: i32, f: i32, q: usize, tmp: usize): void {
  const rowBytes = (<usize>f) << 2;
  const blocks = rowBytes & ~63;
  const quads = rowBytes & ~15;
  for (let r = start; r < end; r++) {
    const row = m + (<usize>r) * rowBytes;
    let j: usize = 0;
    for (; j < blocks; j += 64) {
      let s0 = f32x4.splat(0);
      let s1 = f32x4.splat(0);
      let s2 = f32x4.splat(0);
      let s3 = f32x4.splat(0);
      let qa = q + j;
      for (let a: usize = 0; a < rowBytes; a += 4) {
        const x = f32x4.splat(load<f32>(row + a));
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(qa)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(qa, 16)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(qa, 32)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(qa, 48)));
        qa += rowBytes;
      }
      v128.store(tmp + j, s0);
      v128.store(tmp + j, s1, 16);
      v128.store(tmp + j, s2, 32);
      v128.store(tmp + j, s3, 48);
    }
    for (; j < quads; j += 16) {
      let s = f32x4.splat(0);
      let qa = q + j;
      for (let a: usize = 0; a < rowBytes; a += 4) {
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(row + a)), v128.load(qa)));
        qa += rowBytes;
      }
      v128.store(tmp + j, s);
    }
    for (; j < rowBytes; j += 4) {
      let s: f32 = 0;
      let qa = q + j;
      for (let a: usize = 0; a < rowBytes; a += 4) {
        s += load<f32>(row + a) * load<f32>(qa);
        qa += rowBytes;
      }
      store<f32>(tmp + j, s);
    }
    memory.copy(row, tmp, rowBytes);
  }
}
