export { dot, cosine, normalizeRows, computeRowNorms, rowCount, toFloat32 } from './vector.ops';
export { TopK } from './top-k.heap';
export { exactKnn, exactKnnBatch, type Metric, type KnnOptions } from './knn.search';
export { VectorTable, type KnnResult, type ScanMetric, type ScanOptions } from './vector.table';
export { SeededRandom } from './random.generator';
