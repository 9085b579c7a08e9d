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

/** [y0·v, y1·v, y2·v, y3·v] over n floats: two accumulators per row, so eight add chains run side by side. */
@inline
function dot4(y0: usize, y1: usize, y2: usize, y3: usize, v: usize, n: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  let b2 = f32x4.splat(0);
  let b3 = f32x4.splat(0);
  const pairs = (<usize>(n & ~7)) << 2;
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < pairs; i += 32) {
    const va = v128.load(v + i);
    const vb = v128.load(v + i, 16);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(y0 + i), va));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(y1 + i), va));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(y2 + i), va));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(y3 + i), va));
    b0 = f32x4.add(b0, f32x4.mul(v128.load(y0 + i, 16), vb));
    b1 = f32x4.add(b1, f32x4.mul(v128.load(y1 + i, 16), vb));
    b2 = f32x4.add(b2, f32x4.mul(v128.load(y2 + i, 16), vb));
    b3 = f32x4.add(b3, f32x4.mul(v128.load(y3 + i, 16), vb));
  }
  if (i < quads) {
    const va = v128.load(v + i);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(y0 + i), va));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(y1 + i), va));
    a2 = f32x4.add(a2, f32x4.mul(v128.load(y2 + i), va));
    a3 = f32x4.add(a3, f32x4.mul(v128.load(y3 + i), va));
    i += 16;
  }
  let s = hsum4(f32x4.add(a0, b0), f32x4.add(a1, b1), f32x4.add(a2, b2), f32x4.add(a3, b3));
  if (i < bytes) {
    let t0: f32 = 0;
    let t1: f32 = 0;
    let t2: f32 = 0;
    let t3: f32 = 0;
    for (; i < bytes; i += 4) {
      const vi = load<f32>(v + i);
      t0 += load<f32>(y0 + i) * vi;
      t1 += load<f32>(y1 + i) * vi;
      t2 += load<f32>(y2 + i) * vi;
      t3 += load<f32>(y3 + i) * vi;
    }
    let t = f32x4.splat(t0);
    t = f32x4.replace_lane(t, 1, t1);
    t = f32x4.replace_lane(t, 2, t2);
    t = f32x4.replace_lane(t, 3, t3);
    s = f32x4.add(s, t);
  }
  return s;
}

/** The four horizontal sums of s0..s3 as one vector [Σs0, Σs1, Σs2, Σs3], by two rounds of pairwise shuffles. */
@inline
function hsum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  // [s0₀+s0₂, s1₀+s1₂, s0₁+s0₃, s1₁+s1₃] and the same for s2, s3
  const h01 = f32x4.add(f32x4.shuffle(s0, s1, 0, 4, 1, 5), f32x4.shuffle(s0, s1, 2, 6, 3, 7));
  const h23 = f32x4.add(f32x4.shuffle(s2, s3, 0, 4, 1, 5), f32x4.shuffle(s2, s3, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(h01, h23, 0, 1, 4, 5), f32x4.shuffle(h01, h23, 2, 3, 6, 7));
}

/** out += c₀·y0 + c₁·y1 + c₂·y2 + c₃·y3 over n floats, added in that order (as four axpy calls would). */
@inline
function axpy4(c: v128, y0: usize, y1: usize, y2: usize, y3: usize, out: usize, n: i32): void {
  const c0 = f32x4.shuffle(c, c, 0, 0, 0, 0);
  const c1 = f32x4.shuffle(c, c, 1, 1, 1, 1);
  const c2 = f32x4.shuffle(c, c, 2, 2, 2, 2);
  const c3 = f32x4.shuffle(c, c, 3, 3, 3, 3);
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < quads; i += 16) {
    let t = v128.load(out + i);
    t = f32x4.add(t, f32x4.mul(c0, v128.load(y0 + i)));
    t = f32x4.add(t, f32x4.mul(c1, v128.load(y1 + i)));
    t = f32x4.add(t, f32x4.mul(c2, v128.load(y2 + i)));
    t = f32x4.add(t, f32x4.mul(c3, v128.load(y3 + i)));
    v128.store(out + i, t);
  }
  if (i < bytes) {
    const s0 = f32x4.extract_lane(c, 0);
    const s1 = f32x4.extract_lane(c, 1);
    const s2 = f32x4.extract_lane(c, 2);
    const s3 = f32x4.extract_lane(c, 3);
    for (; i < bytes; i += 4) {
      store<f32>(
        out + i,
        load<f32>(out + i) + s0 * load<f32>(y0 + i) + s1 * load<f32>(y1 + i) + s2 * load<f32>(y2 + i) + s3 * load<f32>(y3 + i),
      );
    }
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
