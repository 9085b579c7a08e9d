/** Logits beyond ±MAX_EXP saturate the sigmoid; the gradient there is taken as exactly 0 or 1 (word2vec.c). */
export const MAX_EXP = 6;
const SIGMOID_TABLE_SIZE = 1000;
/** Multiplies a logit in (-MAX_EXP, MAX_EXP) shifted by MAX_EXP into a table index. */
export const SIGMOID_SCALE = SIGMOID_TABLE_SIZE / (2 * MAX_EXP);

/**
 * σ(x) and ln σ(x) sampled on SIGMOID_TABLE_SIZE points of [-MAX_EXP, MAX_EXP): the hot loop does one lookup
 * instead of an exp and a log per pair.
 */
export function sigmoidTables(): { sigmoid: Float32Array; logSigmoid: Float32Array } {
  const sigmoid = new Float32Array(SIGMOID_TABLE_SIZE);
  const logSigmoid = new Float32Array(SIGMOID_TABLE_SIZE);
  for (let i = 0; i < SIGMOID_TABLE_SIZE; i++) {
    const x = (i / SIGMOID_TABLE_SIZE) * 2 * MAX_EXP - MAX_EXP;
    sigmoid[i] = 1 / (1 + Math.exp(-x));
    logSigmoid[i] = -Math.log1p(Math.exp(-x));
  }
  return { sigmoid, logSigmoid };
}

/**
 * Noise distribution for negative sampling: token t fills a share of the table proportional to count[t]^0.75,
 * so one uniform index draws a token (Mikolov et al. 2013). Tokens with count 0 get no slot; every other token
 * gets at least one, so a rare token is under-represented by at most one slot in about 2^20.
 */
export function unigramTable(counts: Float64Array): Int32Array {
  let total = 0;
  let drawable = 0;
  for (let t = 0; t < counts.length; t++) {
    if (counts[t] > 0) {
      total += Math.pow(counts[t], 0.75);
      drawable++;
    }
  }
  const target = Math.min(2 ** 27, Math.max(2 ** 20, drawable * 100));
  const slots = new Int32Array(counts.length);
  let size = 0;
  for (let t = 0; t < counts.length; t++) {
    if (counts[t] > 0) {
      slots[t] = Math.max(1, Math.round((Math.pow(counts[t], 0.75) / total) * target));
      size += slots[t];
    }
  }
  const table = new Int32Array(size);
  let at = 0;
  for (let t = 0; t < counts.length; t++) {
    table.fill(t, at, at + slots[t]);
    at += slots[t];
  }
  return table;
}

/**
 * Probability of keeping each occurrence of a token under frequent-token downsampling with threshold t,
 * word2vec.c's form (sqrt(f/t) + 1) t/f with f the token's share of the corpus; 1 for rare tokens, 1 when t = 0.
 */
export function keepProbabilities(counts: Float64Array, totalTokens: number, t: number): Float32Array {
  const keep = new Float32Array(counts.length);
  for (let token = 0; token < counts.length; token++) {
    const c = counts[token];
    if (c === 0) continue;
    if (t === 0) {
      keep[token] = 1;
      continue;
    }
    const threshold = t * totalTokens;
    keep[token] = Math.min(1, (Math.sqrt(c / threshold) + 1) * (threshold / c));
  }
  return keep;
}
