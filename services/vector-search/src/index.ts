export { AppModule } from './app.module';
export { vectorSearchConfigSchema, type VectorSearchConfig } from './config';
export { KnnService, MAX_K } from './services/knn.service';
export { EmbeddingsRepository, type KnnQuery, type ScoredSong } from './repositories/embeddings.repository';
