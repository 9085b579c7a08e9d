import { axpy, axpy4, dot, dot4 } from './lanes';

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
    addRankOnes(r, x, true, first, last, indices, weights, fixed, f);
    memory.copy(p, r, rowBytes);
    let rsOld = dot(r, r, f);
    if (rsOld < CONVERGED) continue;

    for (let step = 0; step < cgSteps; step++) {
      scaleInto(ap, d, p, f, 1);
      addRankOnes(ap, p, false, first, last, indices, weights, fixed, f);
      const pAp = dot(p, ap, f);
      // Only possible when λ = 0 and A is singular along p: stop instead of dividing by zero.
      if (!(pAp > 0)) break;
      const alpha = rsOld / pAp;
      axpy(alpha, p, x, f);
      axpy(-alpha, ap, r, f);
      const rsNew = dot(r, r, f);
      if (rsNew < CONVERGED) break;
      const beta = rsNew / rsOld;
      xpby(r, beta, p, f);
      rsOld = rsNew;
    }
    memory.copy(xo, x, rowBytes);
  }
}

/**
 * out += Σ c_q y_q over the row's nonzeros q in [first, last), with c = 1 + w - w (y·v) for the residual
 * (b - Σ w y yᵀ v) and c = w (y·v) for a CG product (Σ w y yᵀ v). Four nonzeros at a time: their four dot
 * products run interleaved (independent chains, so neither the adds' latency nor one row's cache misses stall
 * the others) and `out` is loaded and stored once for all four. The grouping starts at the row's first
 * nonzero, so it only depends on the row: results stay the same however rows are shared out.
 */
@inline
function addRankOnes(
  out: usize,
  v: usize,
  residual: bool,
  first: i32,
  last: i32,
  indices: usize,
  weights: usize,
  fixed: usize,
  f: i32,
): void {
  const rowBytes = (<usize>f) << 2;
  const one = f32x4.splat(1);
  let q = first;
  for (; q + 3 < last; q += 4) {
    const at = (<usize>q) << 2;
    const y0 = fixed + (<usize>load<i32>(indices + at)) * rowBytes;
    const y1 = fixed + (<usize>load<i32>(indices + at, 4)) * rowBytes;
    const y2 = fixed + (<usize>load<i32>(indices + at, 8)) * rowBytes;
    const y3 = fixed + (<usize>load<i32>(indices + at, 12)) * rowBytes;
    const dots = dot4(y0, y1, y2, y3, v, f);
    const w = v128.load(weights + at);
    const c = residual ? f32x4.sub(f32x4.add(one, w), f32x4.mul(w, dots)) : f32x4.mul(w, dots);
    axpy4(c, y0, y1, y2, y3, out, f);
  }
  for (; q < last; q++) {
    const y = fixed + (<usize>load<i32>(indices + ((<usize>q) << 2))) * rowBytes;
    const w = load<f32>(weights + ((<usize>q) << 2));
    axpy(residual ? 1 + w - w * dot(y, v, f) : w * dot(y, v, f), y, out, f);
  }
}

/** out = sign · d ⊙ v */
@inline
function scaleInto(out: usize, d: usize, v: usize, f: i32, sign: f32): void {
  const quads = (<usize>(f & ~3)) << 2;
  const bytes = (<usize>f) << 2;
  const sv = f32x4.splat(sign);
  let a: usize = 0;
  for (; a < quads; a += 16) v128.store(out + a, f32x4.mul(sv, f32x4.mul(v128.load(d + a), v128.load(v + a))));
  for (; a < bytes; a += 4) store<f32>(out + a, sign * load<f32>(d + a) * load<f32>(v + a));
}

/** p = r + beta·p */
@inline
function xpby(r: usize, beta: f32, p: usize, f: i32): void {
  const quads = (<usize>(f & ~3)) << 2;
  const bytes = (<usize>f) << 2;
  const bv = f32x4.splat(beta);
  let a: usize = 0;
  for (; a < quads; a += 16) v128.store(p + a, f32x4.add(v128.load(r + a), f32x4.mul(bv, v128.load(p + a))));
  for (; a < bytes; a += 4) store<f32>(p + a, load<f32>(r + a) + beta * load<f32>(p + a));
}
