import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  buildCosineIndexOffThread,
  type CosineIndexSpec,
  type CosineLsh,
  type CosineTuning,
} from '@tunegraph/lsh';
import { AppError, COLLECTIONS, CONFIG, LOGGER, badInput, type Logger } from '@tunegraph/service-kit';
import type { LshConfig, LshParams } from '../config';
import { EmbeddingsRepository } from '../repositories/embeddings.repository';
import { SnapshotRepository, type Snapshot, type SnapshotKey } from '../repositories/snapshot.repository';

/** An index being served: the snapshot plus a song id -> LSH id map. */
export interface LoadedIndex extends Snapshot {
  /** model_versions.id of the version indexed. */
  versionId: number;
  slotOf: Map<string, number>;
  source: 'snapshot' | 'database';
}

export function denseCollections(): string[] {
  return Object.entries(COLLECTIONS)
    .filter(([, c]) => c.kind === 'dense')
    .map(([name]) => name);
}

/**
 * One in-memory CosineLsh per dense collection, for the collection's active model version. A new index is built
 * (or loaded from its snapshot) beside the old one, which keeps serving until the swap; builds of one collection
 * run one at a time.
 */
@Injectable()
export class LshIndexService implements OnApplicationBootstrap {
  private readonly indexes = new Map<string, LoadedIndex>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly params: LshParams;

  constructor(
    private readonly embeddings: EmbeddingsRepository,
    private readonly snapshots: SnapshotRepository,
    @Inject(CONFIG) config: LshConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.params = {
      LSH_TABLES: config.LSH_TABLES,
      LSH_BITS: config.LSH_BITS,
      LSH_FAMILY: config.LSH_FAMILY,
      LSH_PROBES: config.LSH_PROBES,
      LSH_SEED: config.LSH_SEED,
      LSH_TARGET_RECALL: config.LSH_TARGET_RECALL,
      LSH_MAX_SCANNED: config.LSH_MAX_SCANNED,
    };
  }

  /** Loads in the background: the service answers (MODEL_NOT_READY) while indexes build. */
  onApplicationBootstrap() {
    for (const collection of denseCollections()) {
      this.load(collection).catch((err: Error) =>
        this.logger.error({ err: err.message, collection }, 'lsh: could not load the index at boot'),
      );
    }
  }

  /** The index being served, or MODEL_NOT_READY. */
  get(collection: string): LoadedIndex {
    this.assertDense(collection);
    const index = this.indexes.get(collection);
    if (!index) {
      throw new AppError(
        'MODEL_NOT_READY',
        `the LSH index for ${collection} is not ready: no active model version yet, or it is still being built`,
      );
    }
    return index;
  }

  /**
   * Serves the collection's active version: kept when already served, else loaded from its snapshot, else built
   * from pgvector (and snapshotted). `force` always rebuilds from pgvector. Undefined when no version is active.
   */
  load(collection: string, opts: { force?: boolean } = {}): Promise<LoadedIndex | undefined> {
    this.assertDense(collection);
    return this.enqueue(collection, () => this.loadNow(collection, opts.force ?? false));
  }

  /**
   * Adds songs whose vectors were just written into a version (cold start) to the served index of that version,
   * replacing the vectors of songs it had, then rewrites its snapshot. Returns how many were indexed; songs of a
   * version not served are left to that version's own load.
   */
  addStored(collection: string, versionId: number, songIds: string[]): Promise<number> {
    this.assertDense(collection);
    return this.enqueue(collection, async () => {
      const index = this.indexes.get(collection);
      if (!index || index.versionId !== versionId) return 0;
      const added = await this.addSongs(index, songIds);
      await this.snapshots.write(index);
      return added;
    });
  }

  /** Runs after everything queued for the collection before it, so loads and additions never interleave. */
  private enqueue<T>(collection: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(collection) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(task);
    this.queues.set(collection, next);
    return next;
  }

  private async addSongs(index: LoadedIndex, songIds: string[]): Promise<number> {
    const { dim, lsh, slotOf } = index;
    const rows = await this.embeddings.denseVectorsOf(index.versionId, dim, songIds);
    let added = 0;
    const zero: string[] = [];
    rows.songIds.forEach((songId, i) => {
      if (isZero(rows.vectors, i, dim)) return void zero.push(songId);
      let slot = slotOf.get(songId);
      if (slot === undefined) {
        slot = index.songIds.length;
        index.songIds.push(songId);
        slotOf.set(songId, slot);
      } else lsh.remove(slot);
      lsh.add(slot, rows.vectors.subarray(i * dim, (i + 1) * dim));
      added++;
    });
    this.logger.info(
      { collection: index.key.collection, added, zero: zero.length, size: lsh.size },
      `lsh: ${added} new song vectors indexed`,
    );
    return added;
  }

  private async loadNow(collection: string, force: boolean): Promise<LoadedIndex | undefined> {
    const version = await this.embeddings.activeVersion(COLLECTIONS[collection].model);
    if (!version || version.dim === null) {
      this.logger.info({ collection }, 'lsh: no active model version yet; waiting for models.activated');
      return undefined;
    }
    const key: SnapshotKey = {
      collection,
      version: version.version,
      createdAt: new Date(version.created_at).toISOString(),
      params: this.params,
    };
    const current = this.indexes.get(collection);
    if (!force && current && sameVersion(current.key, key)) return current;
    const snapshot = force ? undefined : await this.readSnapshot(key);
    const loaded = snapshot
      ? await this.catchUp(withSlots(snapshot, version.id, 'snapshot'))
      : await this.build(key, version.id, version.dim);
    this.indexes.set(collection, loaded);
    const { family, tables, bits, probes } = loaded.lsh;
    this.logger.info(
      {
        collection,
        version: key.version,
        size: loaded.songIds.length,
        source: loaded.source,
        family,
        tables,
        bits,
        probes,
      },
      'lsh: serving index',
    );
    return loaded;
  }

  /** A snapshot misses the songs embedded after it was written while no lsh service was listening: add them. */
  private async catchUp(index: LoadedIndex): Promise<LoadedIndex> {
    const missing = (await this.embeddings.songIds(index.versionId)).filter((id) => !index.slotOf.has(id));
    if (missing.length > 0 && (await this.addSongs(index, missing)) > 0) await this.snapshots.write(index);
    return index;
  }

  private async readSnapshot(key: SnapshotKey): Promise<Snapshot | undefined> {
    try {
      return await this.snapshots.read(key);
    } catch (err) {
      this.logger.warn(
        { err: (err as Error).message, collection: key.collection },
        'lsh: unreadable snapshot; rebuilding',
      );
      return undefined;
    }
  }

  private async build(key: SnapshotKey, versionId: number, dim: number): Promise<LoadedIndex> {
    const rows = await this.embeddings.denseVectors(versionId, dim);
    // A zero vector has no direction, so no cosine neighbours: it cannot be indexed, and is reported, not hidden.
    const keep: number[] = [];
    const zero: string[] = [];
    rows.songIds.forEach((id, i) => (isZero(rows.vectors, i, dim) ? zero.push(id) : keep.push(i)));
    if (zero.length) {
      this.logger.warn(
        { collection: key.collection, count: zero.length, songIds: zero.slice(0, 20) },
        'lsh: zero vectors left out of the index',
      );
    }
    const vectors = new Float32Array(keep.length * dim);
    keep.forEach((row, i) => vectors.set(rows.vectors.subarray(row * dim, (row + 1) * dim), i * dim));
    const songIds = keep.map((row) => rows.songIds[row]);
    const { lsh, tuning } = await this.index(vectors, songIds.length, dim, key.collection);
    const snapshot: Snapshot = { key, dim, songIds, lsh, tuning };
    const file = await this.snapshots.write(snapshot);
    this.logger.info({ collection: key.collection, file }, 'lsh: snapshot written');
    return withSlots(snapshot, versionId, 'database');
  }

  /**
   * The configured fixed setting when all of it is given, else one tuned to the target recall on these vectors;
   * built on a worker thread, so queries to the indexes already loaded keep being answered meanwhile.
   */
  private async index(
    vectors: Float32Array,
    count: number,
    dim: number,
    collection: string,
  ): Promise<{ lsh: CosineLsh; tuning?: CosineTuning }> {
    const { LSH_TABLES: tables, LSH_BITS: bits, LSH_PROBES: probes, LSH_SEED: seed } = this.params;
    const family = this.params.LSH_FAMILY;
    const spec: CosineIndexSpec =
      tables !== undefined && bits !== undefined && probes !== undefined
        ? { kind: 'fixed', family, dim, tables, bits, probes, seed }
        : {
            kind: 'tuned',
            dim,
            seed,
            targetRecall: this.params.LSH_TARGET_RECALL,
            maxScanned: this.params.LSH_MAX_SCANNED,
          };
    const { index, tuning } = await buildCosineIndexOffThread(vectors, count, spec, (message) =>
      this.logger.info({ collection }, message),
    );
    if (tuning) {
      this.logger.info(
        { collection, ...tuning, tried: undefined },
        `lsh: tuned ${tuning.family} ${tuning.tables} tables x ${tuning.bits}, ${tuning.probes} probes: sample recall@10 ` +
          `${tuning.sampleRecall.toFixed(3)} scanning ${(100 * tuning.sampleScanned).toFixed(1)}%, ` +
          `${tuning.sampleQueryMs.toFixed(2)} ms/query`,
      );
    }
    return { lsh: index, tuning };
  }

  private assertDense(collection: string) {
    const spec = COLLECTIONS[collection];
    if (!spec) {
      throw badInput(
        `Invalid request: unknown collection ${JSON.stringify(collection)}; expected one of ${Object.keys(COLLECTIONS).join(', ')}`,
      );
    }
    if (spec.kind !== 'dense') {
      throw badInput(`LSH supports dense collections only: ${collection} is sparse; use index EXACT or HNSW`);
    }
  }
}

function withSlots(snapshot: Snapshot, versionId: number, source: LoadedIndex['source']): LoadedIndex {
  return { ...snapshot, versionId, slotOf: new Map(snapshot.songIds.map((id, i) => [id, i])), source };
}

function sameVersion(a: SnapshotKey, b: SnapshotKey): boolean {
  return a.version === b.version && a.createdAt === b.createdAt;
}

function isZero(vectors: Float32Array, row: number, dim: number): boolean {
  for (let d = row * dim; d < (row + 1) * dim; d++) if (vectors[d] !== 0) return false;
  return true;
}
