export { instantiateKernels, type Kernels } from './kernels';
export { WasmHeap } from './wasm-heap';
export type { WasmMemory } from './wasm-api';
