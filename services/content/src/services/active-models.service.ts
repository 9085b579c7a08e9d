import { Injectable } from '@nestjs/common';
import { AppError } from '@tunegraph/service-kit';
import { LdaModel } from '@tunegraph/lda';
import { TfidfModel } from '@tunegraph/tfidf';
import { LyricEmbedding } from '@tunegraph/word2vec';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';

/** The content models and how each one's stored artifact is read back. */
const DECODERS = {
  tfidf: (buf: Buffer) => TfidfModel.fromBuffer(buf),
  lda: (buf: Buffer) => LdaModel.fromBuffer(buf),
  word2vec: (buf: Buffer) => LyricEmbedding.fromBuffer(buf),
};
export type ContentModelName = keyof typeof DECODERS;
export const CONTENT_MODELS = Object.keys(DECODERS) as ContentModelName[];
type Decoded<K extends ContentModelName> = ReturnType<(typeof DECODERS)[K]>;

export interface ActiveModel<K extends ContentModelName> {
  versionId: number;
  version: number;
  model: Decoded<K>;
}

/** The active version of each content model, its artifact decoded once per version and kept. */
@Injectable()
export class ActiveModelsService {
  private readonly cache = new Map<ContentModelName, ActiveModel<ContentModelName>>();

  constructor(private readonly repo: SongVectorsRepository) {}

  /** Undefined while no version of the model is active. */
  async get<K extends ContentModelName>(name: K): Promise<ActiveModel<K> | undefined> {
    const row = await this.repo.activeVersion(name);
    if (!row) return undefined;
    const cached = this.cache.get(name);
    if (cached?.versionId === row.id) return cached as ActiveModel<K>;
    const artifact = await this.repo.artifact(row.id);
    if (!artifact)
      throw new AppError('MODEL_NOT_READY', `${name} version ${row.version} has no stored model`);
    const loaded = { versionId: row.id, version: row.version, model: DECODERS[name](artifact) as Decoded<K> };
    this.cache.set(name, loaded);
    return loaded;
  }

  /** Like get, but a missing model is a MODEL_NOT_READY error naming the command that trains it. */
  async require<K extends ContentModelName>(name: K): Promise<ActiveModel<K>> {
    const active = await this.get(name);
    if (!active)
      throw new AppError(
        'MODEL_NOT_READY',
        `no ${name} model is active yet: run \`tunegraph train ${name}\``,
      );
    return active;
  }
}
