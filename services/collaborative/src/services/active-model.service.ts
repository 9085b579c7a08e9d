import { Inject, Injectable } from '@nestjs/common';
import type { Recommender } from '@tunegraph/metrics';
import { AppError, LOGGER, type Logger, type ModelVersionRow } from '@tunegraph/service-kit';
import { collaborativeModels } from '../models/model-kinds';
import { ModelVersionsRepository } from '../repositories/model-versions.repository';
import { PlaysRepository, type SongCount } from '../repositories/plays.repository';

/** Cold users get this many of the most listened songs at most (the GraphQL and gRPC limit). */
export const MAX_RECOMMENDATIONS = 100;

/** A model's active version in memory: the recommender, its song ids, and the popularity fallback. */
export interface LoadedModel {
  version: ModelVersionRow;
  recommender: Recommender;
  songIds: string[];
  songIndex: Map<string, number>;
  popular: SongCount[];
}

/**
 * Holds the active version of each model kind. A kind loads on first use and again when a version is activated,
 * so a service that starts before any model exists (or misses an event) picks the model up on the next request.
 */
@Injectable()
export class ActiveModelService {
  private readonly slots = new Map<string, ModelSlot>();

  constructor(
    private readonly versions: ModelVersionsRepository,
    private readonly plays: PlaysRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** The loaded model; BAD_USER_INPUT for an unknown kind, MODEL_NOT_READY when none of it is active yet. */
  async current(model: string): Promise<LoadedModel> {
    const loaded = await this.slot(model).current();
    if (!loaded) {
      throw new AppError(
        'MODEL_NOT_READY',
        `No ${model} model is active yet: train one with \`tunegraph train ${model}\``,
      );
    }
    return loaded;
  }

  reload(model: string): Promise<LoadedModel | undefined> {
    return this.slot(model).reload();
  }

  private slot(model: string): ModelSlot {
    const kind = collaborativeModels.get(model);
    let slot = this.slots.get(kind.name);
    if (!slot) this.slots.set(kind.name, (slot = new ModelSlot(() => this.load(kind.name, slot?.loaded))));
    return slot;
  }

  private async load(model: string, loaded: LoadedModel | undefined): Promise<LoadedModel | undefined> {
    const version = await this.versions.activeVersion(model);
    if (!version) return undefined;
    if (loaded?.version.id === version.id) return loaded;
    const started = performance.now();
    const stored = await this.versions.loadModel(version.id);
    if (!stored) {
      throw new AppError(
        'MODEL_NOT_READY',
        `${model} v${version.version} has no stored model (trained by an older release): retrain it`,
      );
    }
    const recommender = collaborativeModels.get(model).load(stored.bytes);
    const popular = await this.plays.mostListened(MAX_RECOMMENDATIONS);
    this.logger.info(
      {
        model,
        version: version.version,
        songs: stored.songIds.length,
        seconds: (performance.now() - started) / 1000,
      },
      `${model}: active model loaded`,
    );
    return {
      version,
      recommender,
      songIds: stored.songIds,
      songIndex: new Map(stored.songIds.map((id, i) => [id, i])),
      popular,
    };
  }
}

/** One kind's loaded version, and the load in flight (at most one, queued after the previous). */
class ModelSlot {
  loaded?: LoadedModel;
  private loading?: Promise<LoadedModel | undefined>;

  constructor(private readonly load: () => Promise<LoadedModel | undefined>) {}

  current(): Promise<LoadedModel | undefined> {
    return this.loaded ? Promise.resolve(this.loaded) : (this.loading ?? this.reload());
  }

  /**
   * Loads the active version unless it is the one already in memory. A call made while a load is running starts
   * another one after it, so an activation announced mid-load is never missed.
   */
  reload(): Promise<LoadedModel | undefined> {
    const next = (this.loading ?? Promise.resolve(undefined))
      .catch(() => undefined)
      .then(() => this.load())
      .then((model) => (this.loaded = model ?? this.loaded));
    this.loading = next;
    const settle = () => {
      if (this.loading === next) this.loading = undefined;
    };
    void next.then(settle, settle);
    return next;
  }
}
