/**
 * The slice of the WebAssembly JavaScript API used here. Node has all of it at run time, but @types/node 20
 * does not declare it (only lib.dom does), so it is typed here once.
 */
export interface WasmMemory {
  /** Always a SharedArrayBuffer: every memory made here is shared. */
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}

export type WasmModule = object;

interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: true }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: Record<string, unknown> };
}

export const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
