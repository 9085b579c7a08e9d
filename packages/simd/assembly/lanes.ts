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
