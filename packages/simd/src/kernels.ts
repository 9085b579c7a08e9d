import { readFileSync } from 'node:fs';
import path from 'node:path';
import { wasm, type WasmMemory, type WasmModule } from './wasm-api';

/**
 * The WebAssembly SIMD kernels compiled from ../assembly (AssemblyScript) into dist/kernels.wasm. Every pointer
 * is a byte offset into the shared memory the instance was created with (see WasmHeap).
 */
export interface Kernels {
  readonly memory: WasmMemory;
  /**
   * Scores `rows` rows of `dim` floats (a multiple of 4) against one query: row · query × scale, × invNorms[r]
   * unless invNorms is 0. Writes the rows scoring above `threshold` to ids/scores; returns how many.
   */
  scanAbove(
    matrix: number,
    rows: number,
    dim: number,
    query: number,
    invNorms: number,
    scale: number,
    threshold: number,
    ids: number,
    scores: number,
  ): number;
  /** scanAbove for four queries at once; query j's candidates go to ids/scores + j·rows·4, counts[j]. */
  scanAbove4(
    matrix: number,
    rows: number,
    dim: number,
    queries: number,
    invNorms: number,
    scales: number,
    thresholds: number,
    ids: number,
    scores: number,
    counts: number,
  ): void;
  /** out[r] = 1 / |row r|, 0 for a zero row. */
  inverseNorms(matrix: number, rows: number, dim: number, out: number): void;
  /**
   * partial (f × f float64) = Σ y yᵀ over `rows` rows of m; the upper triangle (b ≥ a) is exact, the rest
   * partly written. tmp: f × f floats of scratch.
   */
  gramBlock(m: number, rows: number, f: number, partial: number, tmp: number): void;
  /** Rows [start, end) of m ← Qᵀ·row, q being Q (f × f float32, row-major). tmp: f floats of scratch. */
  rotateRows(m: number, start: number, end: number, f: number, q: number, tmp: number): void;
  /** ALS conjugate-gradient solve of rows [start, end); see assembly/cg.ts for the layout. */
  solveRowsCg(
    start: number,
    end: number,
    factors: number,
    cgSteps: number,
    indptr: number,
    indices: number,
    weights: number,
    fixed: number,
    gramDiagonal: number,
    target: number,
    scratch: number,
  ): void;
}

/** Largest memory the module accepts: wasm32's 4 GiB, in 64 KiB pages. */
export const MAX_PAGES = 65536;
export const PAGE_BYTES = 65536;

let compiled: WasmModule | undefined;

/** The compiled module, read once per thread; the same file serves src/ (tests) and dist/. */
function kernelModule(): WasmModule {
  if (compiled === undefined) {
    const file = path.join(__dirname, '..', 'dist', 'kernels.wasm');
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw new Error(`SIMD kernels not found at ${file}; build @tunegraph/simd first (${String(err)})`);
    }
    compiled = new wasm.Module(bytes);
  }
  return compiled;
}

/** An instance of the kernels working on `memory`, which must be shared (threads may hold the same one). */
export function instantiateKernels(memory: WasmMemory): Kernels {
  const instance = new wasm.Instance(kernelModule(), { env: { memory } });
  const exports = instance.exports as unknown as Omit<Kernels, 'memory'>;
  return {
    memory,
    scanAbove: exports.scanAbove,
    scanAbove4: exports.scanAbove4,
    inverseNorms: exports.inverseNorms,
    solveRowsCg: exports.solveRowsCg,
    gramBlock: exports.gramBlock,
    rotateRows: exports.rotateRows,
  };
}
