import { Inject, Injectable } from '@nestjs/common';
import { AlsModel, type ConfidenceMode } from '@tunegraph/als';
import { AppError, LOGGER, type Logger, type ModelVersionRow } from '@tunegraph/service-kit';
import { AlsVersionsRepository } from '../repositories/als-versions.repository';
import { PlaysRepository, type SongCount } from '../repositories/plays.repository';

/** Cold users get this many of the most listened songs at most (the GraphQL and gRPC limit). */
export const MAX_RECOMMENDATIONS = 100;

/** The active ALS version in memory: song factors for fold-in and scoring, plus the popularity fallback. */
export interface LoadedAlsModel {
  version: ModelVersionRow;
  model: AlsModel;
  songIds: string[];
  songIndex: Map<string, number>;
  popular: SongCount[];
}

/**
 * Holds the active version. It loads on first use and again when a version is activated, so a service that
 * starts before any model exists (or misses an event) picks the model up on the next request.
 */
@Injectable()
export class ActiveModelService {
  private loaded?: LoadedAlsModel;
  private loading?: Promise<LoadedAlsModel | undefined>;

  constructor(
    private readonly versions: AlsVersionsRepository,
    private readonly plays: PlaysRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The loaded model; MODEL_NOT_READY when no ALS version has been activated yet. */
  async current(): Promise<LoadedAlsModel> {
    const model = this.loaded ?? (await (this.loading ?? this.reload()));
    if (!model) throw new AppError('MODEL_NOT_READY', 'No ALS model is active yet: train one with `tunegraph train als`');
    return model;
  }

  /**
   * Loads the active version unless it is the one already in memory. A call made while a load is running starts
   * another one after it, so an activation announced mid-load is never missed.
   */
  reload(): Promise<LoadedAlsModel | undefined> {
    const next = (this.loading ?? Promise.resolve(undefined)).catch(() => undefined).then(() => this.load());
    this.loading = next;
    void next.then(
      () => this.settle(next),
      () => this.settle(next),
    );
    return next;
  }

  private settle(load: Promise<unknown>) {
    if (this.loading === load) this.loading = undefined;
  }

  private async load(): Promise<LoadedAlsModel | undefined> {
    const version = await this.versions.activeVersion();
    if (!version) return undefined;
    if (this.loaded?.version.id === version.id) return this.loaded;
    const started = performance.now();
    const stored = await this.versions.loadSongFactors(version);
    const params = version.params as { regularization: number; alpha: number; confidence: ConfidenceMode; epsilon?: number };
    const model = new AlsModel({
      factors: version.dim as number,
      numUsers: 0,
      numItems: stored.songIds.length,
      userFactors: new Float32Array(0),
      itemFactors: stored.factors,
      regularization: params.regularization,
      confidence: { mode: params.confidence, alpha: params.alpha, epsilon: params.epsilon ?? 1 },
    });
    const popular = await this.plays.mostListened(MAX_RECOMMENDATIONS);
    this.loaded = {
      version,
      model,
      songIds: stored.songIds,
      songIndex: new Map(stored.songIds.map((id, i) => [id, i])),
      popular,
    };
    this.logger.info(
      { version: version.version, songs: stored.songIds.length, seconds: (performance.now() - started) / 1000 },
      'als: active model loaded',
    );
    return this.loaded;
  }
}
