import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '@tunegraph/service-kit';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';
import { ActiveModelsService } from './active-models.service';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface WordNeighbour {
  word: string;
  score: number;
}

/** Song.topWords and the lyric word neighbours. */
@Injectable()
export class ContentService {
  constructor(
    private readonly repo: SongVectorsRepository,
    private readonly models: ActiveModelsService,
  ) {}

  /** The song's highest-weight lyric words; empty for a song without lyrics. */
  async topWords(songId: string, first: number): Promise<string[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw badInput(`first must be between 1 and 100, got ${first}`);
    if (!ID.test(songId)) throw badInput(`'${songId.slice(0, 40)}' is not a valid song id`);
    const { versionId } = await this.models.require('tfidf');
    const vector = (await this.repo.vectors(versionId, [songId])).get(songId);
    if (!vector) {
      if (!(await this.repo.songExists(songId))) throw notFound(`song '${songId}' is not in the catalog`);
      return [];
    }
    const order = Array.from(vector.terms.keys())
      .sort((a, b) => vector.weights[b] - vector.weights[a])
      .slice(0, first);
    const stems = order.map((i) => vector.terms[i]);
    const words = await this.repo.words(stems);
    return stems.map((s) => words.get(s) ?? String(s));
  }

  /** The words whose lyric Word2Vec vectors are closest (cosine) to the word's; empty when it was too rare to train. */
  async wordNeighbours(word: string, first: number): Promise<WordNeighbour[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100)
      throw badInput(`first must be between 1 and 100, got ${first}`);
    if (word.length === 0 || word.length > 100) throw badInput('word must have between 1 and 100 characters');
    const { model } = await this.models.require('word2vec');
    const stem = await this.repo.stemOf(word);
    if (stem === undefined) throw notFound(`'${word.slice(0, 40)}' is not in the lyrics vocabulary`);
    if (stem >= model.model.vocabularySize || !model.model.hasVector(stem)) return [];
    const { tokens, scores } = model.model.similar(stem, first);
    const names = await this.repo.words(Array.from(tokens));
    return Array.from(tokens, (t, i) => ({ word: names.get(t) ?? String(t), score: scores[i] }));
  }
}
