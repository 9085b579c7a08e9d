import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '@tunegraph/service-kit';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from './active-models.service';

export interface SongTopic {
  topic: number;
  weight: number;
  words: string[];
}

/** Song.topics: the song's strongest LDA topics, each shown by its most probable readable words. */
@Injectable()
export class TopicsService {
  constructor(
    private readonly repo: SongVectorsRepository,
    private readonly models: ActiveModelsService,
  ) {}

  async topics(songId: string, first: number, words = 6): Promise<SongTopic[]> {
    if (!Number.isInteger(first) || first < 1 || first > 50)
      throw badInput(`first must be between 1 and 50, got ${first}`);
    const { versionId, model } = await this.models.require('lda');
    const mixture = await this.repo.denseVector(versionId, songId);
    if (!mixture) {
      if (!(await this.repo.songExists(songId))) throw notFound(`song '${songId}' is not in the catalog`);
      return [];
    }
    const top = Array.from(mixture.keys())
      .sort((a, b) => mixture[b] - mixture[a])
      .slice(0, first);
    const terms = top.map((t) => model.topTerms(t, words).map((x) => x.term));
    const names = await this.repo.words([...new Set(terms.flat())]);
    return top.map((t, i) => ({
      topic: t,
      weight: mixture[t],
      words: terms[i].map((s) => names.get(s) ?? String(s)),
    }));
  }
}
