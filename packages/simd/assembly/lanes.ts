// Shared SIMD helpers. Vectors are float32 rows addressed by byte offsets into linear memory; their length `n`
// may be any count: four lanes at a time, then a scalar tail.

@inline
export function hsum(s: v128): f32 {
  return (
    f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + (f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3))
  );
}

/** a·b over n floats, with two vector accumulators so consecutive adds do not wait on each other. */
@inline
export function dot(a: usize, b: usize, n: i32): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  const pairs = (<usize>(n & ~7)) << 2;
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < pairs; i += 32) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(a + i, 16), v128.load(b + i, 16)));
  }
  if (i < quads) {
    s0 = f32x4.add(s0, f32x4.mul(v128.load(a + i), v128.load(b + i)));
    i += 16;
  }
  let s = hsum(f32x4.add(s0, s1));
  for (; i < bytes; i += 4) s += load<f32>(a + i) * load<f32>(b + i);
  return s;
}

/** out += c·y over n floats. */
@inline
export function axpy(c: f32, y: usize, out: usize, n: i32): void {
  const cv = f32x4.splat(c);
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < quads; i += 16) {
    v128.store(out + i, f32x4.add(v128.load(out + i), f32x4.mul(cv, v128.load(y + i))));
  }
  for (; i < bytes; i += 4) store<f32>(out + i, load<f32>(out + i) + c * load<f32>(y + i));
}

/** [Σ s0, Σ s1, Σ s2, Σ s3], each summed in hsum's order ((l0 + l1) + (l2 + l3)), by two rounds of shuffles. */
@inline
export function hsum4(s0: v128, s1: v128, s2: v128, s3: v128): v128 {
  // [s0₀+s0₁, s0₂+s0₃, s1₀+s1₁, s1₂+s1₃], and the same for s2, s3
  const h01 = f32x4.add(f32x4.shuffle(s0, s1, 0, 2, 4, 6), f32x4.shuffle(s0, s1, 1, 3, 5, 7));
  const h23 = f32x4.add(f32x4.shuffle(s2, s3, 0, 2, 4, 6), f32x4.shuffle(s2, s3, 1, 3, 5, 7));
  return f32x4.add(f32x4.shuffle(h01, h23, 0, 2, 4, 6), f32x4.shuffle(h01, h23, 1, 3, 5, 7));
}

/**
 * [a·v, b·v, c·v, d·v] over n floats, each bit-identical to dot(·, v, n) when n is a multiple of 4. The four
 * products run interleaved, two accumulators each: eight independent add chains, v loaded once for all four,
 * and the four horizontal sums done together.
 */
@inline
export function dot4(a: usize, b: usize, c: usize, d: usize, v: usize, n: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let b0 = f32x4.splat(0);
  let b1 = f32x4.splat(0);
  let c0 = f32x4.splat(0);
  let c1 = f32x4.splat(0);
  let d0 = f32x4.splat(0);
  let d1 = f32x4.splat(0);
  const pairs = (<usize>(n & ~7)) << 2;
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < pairs; i += 32) {
    const v0 = v128.load(v + i);
    const v1 = v128.load(v + i, 16);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(a + i), v0));
    a1 = f32x4.add(a1, f32x4.mul(v128.load(a + i, 16), v1));
    b0 = f32x4.add(b0, f32x4.mul(v128.load(b + i), v0));
    b1 = f32x4.add(b1, f32x4.mul(v128.load(b + i, 16), v1));
    c0 = f32x4.add(c0, f32x4.mul(v128.load(c + i), v0));
    c1 = f32x4.add(c1, f32x4.mul(v128.load(c + i, 16), v1));
    d0 = f32x4.add(d0, f32x4.mul(v128.load(d + i), v0));
    d1 = f32x4.add(d1, f32x4.mul(v128.load(d + i, 16), v1));
  }
  if (i < quads) {
    const v0 = v128.load(v + i);
    a0 = f32x4.add(a0, f32x4.mul(v128.load(a + i), v0));
    b0 = f32x4.add(b0, f32x4.mul(v128.load(b + i), v0));
    c0 = f32x4.add(c0, f32x4.mul(v128.load(c + i), v0));
    d0 = f32x4.add(d0, f32x4.mul(v128.load(d + i), v0));
    i += 16;
  }
  let s = hsum4(f32x4.add(a0, a1), f32x4.add(b0, b1), f32x4.add(c0, c1), f32x4.add(d0, d1));
  if (i < bytes) {
    let ta: f32 = 0;
    let tb: f32 = 0;
    let tc: f32 = 0;
    let td: f32 = 0;
    for (; i < bytes; i += 4) {
      const vi = load<f32>(v + i);
      ta += load<f32>(a + i) * vi;
      tb += load<f32>(b + i) * vi;
      tc += load<f32>(c + i) * vi;
      td += load<f32>(d + i) * vi;
    }
    let t = f32x4.splat(ta);
    t = f32x4.replace_lane(t, 1, tb);
    t = f32x4.replace_lane(t, 2, tc);
    t = f32x4.replace_lane(t, 3, td);
    s = f32x4.add(s, t);
  }
  return s;
}

/**
 * out += c₀·a + c₁·b + c₂·c + c₃·d over n floats (c holds the four coefficients), added in that order (the same
 * sums as four axpy calls), with each quad of out loaded and stored once for the four.
 */
@inline
export function axpy4(k: v128, a: usize, b: usize, c: usize, d: usize, out: usize, n: i32): void {
  const ka = f32x4.shuffle(k, k, 0, 0, 0, 0);
  const kb = f32x4.shuffle(k, k, 1, 1, 1, 1);
  const kc = f32x4.shuffle(k, k, 2, 2, 2, 2);
  const kd = f32x4.shuffle(k, k, 3, 3, 3, 3);
  const quads = (<usize>(n & ~3)) << 2;
  const bytes = (<usize>n) << 2;
  let i: usize = 0;
  for (; i < quads; i += 16) {
    let t = v128.load(out + i);
    t = f32x4.add(t, f32x4.mul(ka, v128.load(a + i)));
    t = f32x4.add(t, f32x4.mul(kb, v128.load(b + i)));
    t = f32x4.add(t, f32x4.mul(kc, v128.load(c + i)));
    t = f32x4.add(t, f32x4.mul(kd, v128.load(d + i)));
    v128.store(out + i, t);
  }
  if (i < bytes) {
    const sa = f32x4.extract_lane(k, 0);
    const sb = f32x4.extract_lane(k, 1);
    const sc = f32x4.extract_lane(k, 2);
    const sd = f32x4.extract_lane(k, 3);
    for (; i < bytes; i += 4) {
      store<f32>(
        out + i,
        load<f32>(out + i) + sa * load<f32>(a + i) + sb * load<f32>(b + i) + sc * load<f32>(c + i) + sd * load<f32>(d + i),
      );
    }
  }
}
