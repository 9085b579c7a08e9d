import { Injectable } from '@nestjs/common';
import { AppError, badInput, notFound } from '@tunegraph/service-kit';
import { sharedTopTerms, type SparseVector } from '@tunegraph/tfidf';
import { SongVectorsRepository } from '../repositories/song-vectors.repository';

const ID = /^[A-Za-z0-9._:-]{1,128}$/;

@Injectable()
export class ContentService {
  constructor(private readonly repo: SongVectorsRepository) {}

  private async version(): Promise<number> {
    const id = await this.repo.activeVersionId();
    if (id === undefined) throw new AppError('MODEL_NOT_READY', 'no TF-IDF model is active yet: run `tunegraph train tfidf`');
    return id;
  }

  private async vectorOf(version: number, songId: string): Promise<SparseVector | undefined> {
    if (!ID.test(songId)) throw badInput(`'${songId.slice(0, 40)}' is not a valid song id`);
    const vector = (await this.repo.vectors(version, [songId])).get(songId);
    if (!vector && !(await this.repo.songExists(songId))) throw notFound(`song '${songId}' is not in the catalog`);
    return vector;
  }

  /** The song's highest-weight lyric words; empty for a song without lyrics. */
  async topWords(songId: string, first: number): Promise<string[]> {
    if (!Number.isInteger(first) || first < 1 || first > 100) throw badInput(`first must be between 1 and 100, got ${first}`);
    const vector = await this.vectorOf(await this.version(), songId);
    if (!vector) return [];
    const order = Array.from(vector.terms.keys()).sort((a, b) => vector.weights[b] - vector.weights[a]).slice(0, first);
    const stems = order.map((i) => vector.terms[i]);
    const words = await this.repo.words(stems);
    return stems.map((s) => words.get(s) ?? String(s));
  }

  /**
   * For each other song, the words that contribute most to its TF-IDF cosine with the song. topTerms 0 (proto3's
   * "unset") means 5.
   */
  async explain(songId: string, others: string[], topTerms: number): Promise<{ songId: string; words: string[] }[]> {
    if (others.length > 1000) throw badInput(`at most 1000 other songs per request, got ${others.length}`);
    if (!Number.isInteger(topTerms) || topTerms < 0 || topTerms > 50) {
      throw badInput(`topTerms must be between 1 and 50 (0 for the default of 5), got ${topTerms}`);
    }
    const n = topTerms || 5;
    const version = await this.version();
    const vector = await this.vectorOf(version, songId);
    if (!vector) return others.map((id) => ({ songId: id, words: [] }));
    const vectors = await this.repo.vectors(version, others);
    const shared = others.map((id) => {
      const other = vectors.get(id);
      return { songId: id, terms: other ? sharedTopTerms(vector, other, n).map((t) => t.term) : [] };
    });
    const words = await this.repo.words([...new Set(shared.flatMap((s) => s.terms))]);
    return shared.map((s) => ({ songId: s.songId, words: s.terms.map((t) => words.get(t) ?? String(t)) }));
  }
}
