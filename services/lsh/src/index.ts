export { AppModule } from './app.module';
export { lshConfigSchema, type LshConfig, type LshParams } from './config';
export { LshIndexService, denseCollections, type LoadedIndex } from './services/lsh-index.service';
export { KnnService, MAX_K } from './services/knn.service';
export { SnapshotRepository, type Snapshot, type SnapshotKey } from './repositories/snapshot.repository';
export { EmbeddingsRepository } from './repositories/embeddings.repository';
