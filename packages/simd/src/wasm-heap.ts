import { MAX_PAGES, PAGE_BYTES } from './kernels';
import { wasm, type WasmMemory } from './wasm-api';

/** Allocations are 16-byte aligned so SIMD loads of a row start never straddle a lane boundary needlessly. */
const ALIGN = 16;
/** Offset 0 stays unused, so a zero pointer is never a valid array. */
const FIRST = 64;

/**
 * A grow-only bump allocator over one shared WebAssembly memory: typed arrays that both JavaScript and the SIMD
 * kernels read and write in place, and that worker threads share (post the heap's memory and the views).
 * A shared memory never detaches its buffer when it grows, so views handed out earlier stay valid. A view's
 * byteOffset is its pointer for the kernels.
 */
export class WasmHeap {
  readonly memory: WasmMemory;
  private top = FIRST;

  constructor(initialBytes = PAGE_BYTES) {
    this.memory = new wasm.Memory({
      initial: Math.max(1, Math.ceil(initialBytes / PAGE_BYTES)),
      maximum: MAX_PAGES,
      shared: true,
    });
  }

  /** Reserves `bytes` (zero-filled: fresh memory is zero and nothing is ever freed); returns the byte offset. */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const start = this.top;
    const end = start + Math.ceil(bytes / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_PAGES) {
        throw new RangeError(`WebAssembly memory would exceed 4 GiB (${end} bytes asked in all)`);
      }
      this.memory.grow(pages);
    }
    this.top = end;
    return start;
  }

  float32(length: number): Float32Array {
    return this.view(Float32Array, length);
  }

  float64(length: number): Float64Array {
    return this.view(Float64Array, length);
  }

  int32(length: number): Int32Array {
    return this.view(Int32Array, length);
  }

  private view<T>(
    Ctor: { new (buffer: SharedArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
    length: number,
  ): T {
    const offset = this.alloc(length * Ctor.BYTES_PER_ELEMENT); // first: growing renews memory.buffer
    return new Ctor(this.memory.buffer, offset, length);
  }

  /** Bytes handed out so far. */
  get used(): number {
    return this.top;
  }
}
