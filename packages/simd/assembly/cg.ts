import { axpy, dot } from './lanes';

// One half-step of implicit ALS for rows [start, end): the conjugate-gradient solve of @tunegraph/als
// (see its cg.solver.ts for the algebra), in float32 lanes as benfred/implicit computes it. Each row only reads
// the fixed side and writes its own row of `target`, so threads sharing the memory may split rows any way and
// get bit-identical results.

const CONVERGED: f32 = 1e-20;

/**
 * indptr/indices (i32) and weights (f32, c - 1) are the CSR of the rows being solved; fixed and target are
 * row-major f32 factors; gramDiagonal is f64 (the eigenvalues of fixedᵀfixed + λI); scratch holds 5·f floats.
 */
export function solveRowsCg(
  start: i32,
  end: i32,
  f: i32,
  cgSteps: i32,
  indptr: usize,
  indices: usize,
  weights: usize,
  fixed: usize,
  gramDiagonal: usize,
  target: usize,
  scratch: usize,
): void {
  const rowBytes = (<usize>f) << 2;
  const x = scratch;
  const r = x + rowBytes;
  const p = r + rowBytes;
  const ap = p + rowBytes;
  const d = ap + rowBytes;
  for (let a: usize = 0; a < <usize>f; a++) store<f32>(d + (a << 2), <f32>load<f64>(gramDiagonal + (a << 3)));

  for (let u = start; u < end; u++) {
    const xo = target + (<usize>u) * rowBytes;
    const first = load<i32>(indptr + ((<usize>u) << 2));
    const last = load<i32>(indptr + ((<usize>u + 1) << 2));
    memory.copy(x, xo, rowBytes);

    // r = b - A x with A = D + Σ w y yᵀ and b = Σ (1 + w) y, never forming A.
    scaleInto(r, d, x, f, -1);
    for (let q = first; q < last; q++) {
      const yo = fixed + (<usize>load<i32>(indices + ((<usize>q) << 2))) * rowBytes;
      const w = load<f32>(weights + ((<usize>q) << 2));
      axpy(1 + w - w * dot(yo, x, f), yo, r, f);
    }
    memory.copy(p, r, rowBytes);
    let rsOld = dot(r, r, f);
    if (rsOld < CONVERGED) continue;

    for (let step = 0; step < cgSteps; step++) {
      scaleInto(ap, d, p, f, 1);
      for (let q = first; q < last; q++) {
        const yo = fixed + (<usize>load<i32>(indices + ((<usize>q) << 2))) * rowBytes;
        axpy(load<f32>(weights + ((<usize>q) << 2)) * dot(yo, p, f), yo, ap, f);
      }
      const pAp = dot(p, ap, f);
      // Only possible when λ = 0 and A is singular along p: stop instead of dividing by zero.
      if (!(pAp > 0)) break;
      const alpha = rsOld / pAp;
      axpy(alpha, p, x, f);
      axpy(-alpha, ap, r, f);
      const rsNew = dot(r, r, f);
      if (rsNew < CONVERGED) break;
      const beta = rsNew / rsOld;
      // p = r + beta p
      for (let a: usize = 0; a < rowBytes; a += 4) store<f32>(p + a, load<f32>(r + a) + beta * load<f32>(p + a));
      rsOld = rsNew;
    }
    memory.copy(xo, x, rowBytes);
  }
}

/** out = sign · d ⊙ v */
@inline
function scaleInto(out: usize, d: usize, v: usize, f: i32, sign: f32): void {
  const bytes = (<usize>f) << 2;
  for (let a: usize = 0; a < bytes; a += 4) store<f32>(out + a, sign * load<f32>(d + a) * load<f32>(v + a));
}
