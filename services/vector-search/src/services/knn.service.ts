import { Inject, Injectable } from '@nestjs/common';
import { vectors } from '@tunegraph/contracts';
import {
  AppError,
  COLLECTIONS,
  CONFIG,
  LOGGER,
  badInput,
  notFound,
  toVectorLiteral,
  validate,
  type CollectionKind,
  type Logger,
  type ModelVersionRow,
} from '@tunegraph/service-kit';
import { z } from 'zod';
import type { VectorSearchConfig } from '../config';
import {
  EmbeddingsRepository,
  type IndexScan,
  type KnnQuery,
  type ScoredSong,
} from '../repositories/embeddings.repository';
import { LshRepository } from '../repositories/lsh.repository';
import { isEmptyFilter, type SongFilter } from '../repositories/song-filter.sql';

const { VectorIndex } = vectors;

export const MAX_K = 1000;
export const MAX_EXCLUDE = 10_000;
/** pgvector's own bound on hnsw.ef_search. */
export const MAX_EF_SEARCH = 1000;
/** A filtered LSH query first asks lsh for this many times k candidates (at least LSH_MIN_POOL, at most MAX_K). */
const LSH_POOL_FACTOR = 10;
const LSH_MIN_POOL = 100;
/** Collections learnt from lyrics: a song without lyrics has no vector in them. */
const LYRIC_COLLECTIONS = new Set(['tfidf', 'lda', 'word2vec']);

/** Unset optional fields arrive as null over gRPC, undefined in process. */
const optionalYear = z
  .number()
  .int()
  .min(0)
  .max(3000)
  .nullish()
  .transform((v) => v ?? undefined);

const filterSchema = z
  .object({
    excludePlayedByUserId: z.string().max(200),
    tags: z.array(z.string().trim().min(1, 'tags must not be empty').max(100)).max(50, 'at most 50 tags'),
    yearMin: optionalYear,
    yearMax: optionalYear,
    artistIds: z.array(z.string().min(1)).max(1000, 'at most 1000 artist_ids'),
  })
  .refine((f) => f.yearMin === undefined || f.yearMax === undefined || f.yearMin <= f.yearMax, {
    message: 'year_min must not exceed year_max',
  });

const knnRequestSchema = z.object({
  collection: z.string().refine((c) => c in COLLECTIONS, {
    message: `unknown collection; expected one of ${Object.keys(COLLECTIONS).join(', ')}`,
  }),
  k: z.number().int().min(1, 'k must be at least 1').max(MAX_K, `k must be at most ${MAX_K}`),
  index: z.enum(
    [
      VectorIndex.VECTOR_INDEX_EXACT,
      VectorIndex.VECTOR_INDEX_HNSW,
      VectorIndex.VECTOR_INDEX_IVFFLAT,
      VectorIndex.VECTOR_INDEX_LSH,
    ],
    { message: 'index must be EXACT, HNSW, IVFFLAT or LSH' },
  ),
  efSearch: z
    .number()
    .int()
    .min(0, 'ef_search must be at least 1 (0 for the default)')
    .max(MAX_EF_SEARCH, `ef_search must be at most ${MAX_EF_SEARCH}`),
  probes: z
    .number()
    .int()
    .min(0, 'probes must be at least 1 (0 for the default)')
    .nullish()
    .transform((v) => v ?? 0),
  excludeSongIds: z.array(z.string()).max(MAX_EXCLUDE, `at most ${MAX_EXCLUDE} exclude_song_ids`),
  filter: filterSchema.nullish(),
});
type ValidRequest = z.infer<typeof knnRequestSchema>;

/** The song exists but has no vector in the collection (e.g. no lyrics): HYBRID skips that method. */
export class NoVectorError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/**
 * kNN over the active version of a collection: pgvector for EXACT, HNSW and IVFFLAT, the lsh service for LSH.
 * Every answer honours the filter. When an approximate search cannot find k rows that pass it (HNSW stops after
 * HNSW_MAX_SCAN_TUPLES; LSH candidates run out), the exact filtered scan answers and the response says EXACT.
 */
@Injectable()
export class KnnService {
  constructor(
    private readonly embeddings: EmbeddingsRepository,
    private readonly lsh: LshRepository,
    @Inject(CONFIG) private readonly config: VectorSearchConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async knn(request: vectors.KnnRequest): Promise<vectors.KnnResponse> {
    const req = validate(knnRequestSchema, request, 'kNN request');
    const hasSong = Boolean(request.songId);
    const hasVector = request.vector !== undefined;
    if (hasSong === hasVector) throw badInput('Invalid kNN request: give exactly one of song_id or vector');
    if (req.efSearch && req.index !== VectorIndex.VECTOR_INDEX_HNSW) {
      throw badInput('Invalid kNN request: ef_search applies to the HNSW index only');
    }
    if (req.probes && req.index !== VectorIndex.VECTOR_INDEX_IVFFLAT) {
      throw badInput('Invalid kNN request: probes applies to the IVFFLAT index only');
    }
    const filter = toSongFilter(req.filter);
    if (filter) await this.checkFilterReferences(filter);
    if (req.index === VectorIndex.VECTOR_INDEX_LSH) {
      if (!filter) return this.lsh.knn(request);
      const answer = await this.filteredLsh(request, req.k, filter);
      if (answer) return answer;
    }

    const { model, kind } = COLLECTIONS[req.collection];
    const version = await this.embeddings.activeVersion(model);
    if (!version || version.dim === null) {
      throw new AppError('MODEL_NOT_READY', `collection ${req.collection} has no active model version yet`);
    }
    const exclude = new Set(req.excludeSongIds);
    let literal: string;
    if (request.songId) {
      literal = await this.songLiteral(req.collection, version, kind, request.songId);
      exclude.add(request.songId);
    } else {
      literal = queryVectorLiteral(req.collection, kind, version.dim, request.vector!.values);
    }
    const query: KnnQuery = {
      versionId: version.id,
      kind,
      dim: version.dim,
      literal,
      k: req.k,
      exclude: [...exclude],
      filter,
    };
    const scan = await this.scanFor(req, version, kind);
    let neighbors = await this.embeddings.knn(query, scan);
    let index = req.index === VectorIndex.VECTOR_INDEX_LSH ? VectorIndex.VECTOR_INDEX_EXACT : req.index;
    if (scan.kind !== 'exact' && neighbors.length < req.k) {
      this.logger.info(
        { collection: req.collection, index: scan.kind, found: neighbors.length, k: req.k },
        'kNN: the index scan found fewer than k rows; answering with the exact scan',
      );
      neighbors = await this.embeddings.knn(query, { kind: 'exact' });
      index = VectorIndex.VECTOR_INDEX_EXACT;
    }
    return {
      collection: req.collection,
      modelVersion: version.version,
      index,
      neighbors,
      // Index scans do not report how many rows they scored; 0 means "not measured", not "nothing scanned".
      scannedFraction: index === VectorIndex.VECTOR_INDEX_EXACT ? 1 : 0,
    };
  }

  /** The scan for the requested index, its breadth defaulted and bounded by what the version's index allows. */
  private async scanFor(
    req: ValidRequest,
    version: ModelVersionRow,
    kind: CollectionKind,
  ): Promise<IndexScan> {
    if (req.index === VectorIndex.VECTOR_INDEX_HNSW) {
      return {
        kind: 'hnsw',
        efSearch: req.efSearch || this.config.HNSW_EF_SEARCH,
        maxScanTuples: this.config.HNSW_MAX_SCAN_TUPLES,
      };
    }
    if (req.index !== VectorIndex.VECTOR_INDEX_IVFFLAT) return { kind: 'exact' };
    if (kind !== 'dense') {
      throw badInput(
        `Invalid kNN request: IVFFLAT serves dense collections only; ${req.collection} is sparse (use HNSW or EXACT)`,
      );
    }
    const { ivfflat } = await this.embeddings.indexParams(version.id);
    if (!ivfflat) {
      throw new AppError(
        'MODEL_NOT_READY',
        `collection ${req.collection} model version ${version.version} has no IVFFlat index yet; RebuildIndex builds it`,
      );
    }
    if (req.probes > ivfflat.lists) {
      throw badInput(
        `Invalid kNN request: probes must be at most ${ivfflat.lists}, the lists of the ${req.collection} IVFFlat index`,
      );
    }
    return { kind: 'ivfflat', probes: req.probes || Math.max(1, Math.round(Math.sqrt(ivfflat.lists))) };
  }

  /** A filter naming a user or artists that do not exist is a mistake worth saying, not an empty answer. */
  private async checkFilterReferences(filter: SongFilter) {
    if (filter.excludePlayedBy && !(await this.embeddings.userExists(filter.excludePlayedBy))) {
      throw notFound(`user ${filter.excludePlayedBy} does not exist`);
    }
    if (filter.artistIds?.length) {
      const unknown = await this.embeddings.unknownArtists(filter.artistIds);
      if (unknown.length) throw notFound(`unknown artist ids: ${unknown.slice(0, 10).join(', ')}`);
    }
  }

  /**
   * LSH knows nothing of the catalog, so its candidates are filtered here: a pool of LSH_POOL_FACTOR × k, then
   * MAX_K, then (undefined) the caller's exact filtered scan.
   */
  private async filteredLsh(
    request: vectors.KnnRequest,
    k: number,
    filter: SongFilter,
  ): Promise<vectors.KnnResponse | undefined> {
    let pool = Math.min(MAX_K, Math.max(k * LSH_POOL_FACTOR, LSH_MIN_POOL));
    for (;;) {
      const response = await this.lsh.knn({ ...request, filter: undefined, k: pool });
      const ids = response.neighbors.map((n) => n.songId);
      const passing = await this.embeddings.songsMatching(ids, filter);
      const kept: ScoredSong[] = response.neighbors.filter((n) => passing.has(n.songId));
      if (kept.length >= k) return { ...response, neighbors: kept.slice(0, k) };
      if (pool >= MAX_K || ids.length < pool) return undefined;
      pool = MAX_K;
    }
  }

  private async songLiteral(
    collection: string,
    version: ModelVersionRow,
    kind: CollectionKind,
    songId: string,
  ) {
    const literal = await this.embeddings.embeddingLiteral(version.id, kind, songId);
    if (literal !== undefined) return literal;
    if (!(await this.embeddings.songExists(songId))) throw notFound(`song ${songId} does not exist`);
    const why = LYRIC_COLLECTIONS.has(collection) ? ' (no lyrics)' : ' (no plays in the training data)';
    throw new NoVectorError(
      `song ${songId} has no ${collection} vector${why} in model version ${version.version}`,
    );
  }
}

function toSongFilter(f: ValidRequest['filter']): SongFilter | undefined {
  if (!f) return undefined;
  const filter: SongFilter = {
    excludePlayedBy: f.excludePlayedByUserId || undefined,
    tags: f.tags.length ? [...new Set(f.tags.map((t) => t.toLowerCase()))] : undefined,
    yearMin: f.yearMin,
    yearMax: f.yearMax,
    artistIds: f.artistIds.length ? f.artistIds : undefined,
  };
  return isEmptyFilter(filter) ? undefined : filter;
}

function queryVectorLiteral(collection: string, kind: CollectionKind, dim: number, values: number[]): string {
  if (kind !== 'dense') {
    throw badInput(
      `Invalid kNN request: collection ${collection} is sparse; query it by song_id, not by vector`,
    );
  }
  if (values.length !== dim) {
    throw badInput(
      `Invalid kNN request: vector has ${values.length} dimensions, collection ${collection} expects ${dim}`,
    );
  }
  if (!values.every(Number.isFinite))
    throw badInput('Invalid kNN request: vector values must be finite numbers');
  return toVectorLiteral(values);
}
