export { dot, cosine, normalizeRows, computeRowNorms, rowCount, toFloat32 } from './vector.ops';
export { TopK } from './top-k.heap';
export { exactKnn, type Metric, type KnnOptions } from './knn.search';
export { SeededRandom } from './random.generator';
