export { dot, cosine, normalizeRows, computeRowNorms, rowCount, toFloat32 } from './vector.ops';
export { TopK } from './top-k.heap';
export { exactKnn, exactKnnBatch, type Metric, type KnnOptions, type KnnResult } from './knn.search';
export { SeededRandom } from './random.generator';
