import { Injectable } from '@nestjs/common';
import { validate } from '@tunegraph/service-kit';
import { z } from 'zod';
import { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService, MAX_RECOMMENDATIONS } from './active-model.service';

export interface RecommendedSong {
  songId: string;
  /** ALS score x_uᵀ y_i; for the popularity fallback, the song's number of listeners. */
  score: number;
  /** The played song that contributed most, when one contributed positively. */
  becauseOfSongId?: string;
  reason: string | null;
}

export interface Recommendations {
  userId: string;
  modelVersion: number;
  items: RecommendedSong[];
}

const requestSchema = z.object({
  userId: z.string().min(1, 'userId is empty').max(128, 'userId is longer than 128 characters'),
  first: z
    .number()
    .int('first must be an integer')
    .min(1, 'first must be at least 1')
    .max(MAX_RECOMMENDATIONS, `first must be at most ${MAX_RECOMMENDATIONS}`),
});

@Injectable()
export class RecommendationService {
  constructor(
    private readonly active: ActiveModelService,
    private readonly plays: PlaysRepository,
  ) {}

  /**
   * Folds the user in from their plays as stored right now, ranks every song they have not played and names the
   * played song behind each pick. Users without plays known to the model get the most listened songs.
   */
  async recommend(userId: string, first: number): Promise<Recommendations> {
    const request = validate(requestSchema, { userId, first }, 'recommendation request');
    const { version, model, songIds, songIndex, popular } = await this.active.current();
    const history = await this.plays.userHistory(request.userId);
    const items: number[] = [];
    const counts: number[] = [];
    for (const play of history) {
      const item = songIndex.get(play.songId);
      if (item === undefined) continue; // a song newer than the model cannot be folded in
      items.push(item);
      counts.push(play.count);
    }
    if (items.length === 0) {
      const played = new Set(history.map((p) => p.songId));
      return {
        userId: request.userId,
        modelVersion: version.version,
        items: popular
          .filter((s) => !played.has(s.songId))
          .slice(0, request.first)
          .map((s) => ({ songId: s.songId, score: s.count, reason: 'popular' })),
      };
    }
    const ranking = model.recommend(model.foldIn(items, counts), request.first, { exclude: items });
    return {
      userId: request.userId,
      modelVersion: version.version,
      items: Array.from(ranking.ids, (item, rank) => {
        const [top] = model.explain(items, counts, item);
        const because = top && top.contribution > 0 ? songIds[top.item] : undefined;
        return {
          songId: songIds[item],
          score: ranking.scores[rank],
          becauseOfSongId: because,
          reason: because ? `because you played ${because}` : null,
        };
      }),
    };
  }
}
