import { Injectable } from '@nestjs/common';
import { validate } from '@tunegraph/service-kit';
import { z } from 'zod';
import { DEFAULT_MODEL } from '../models/model-kinds';
import { PlaysRepository } from '../repositories/plays.repository';
import { ActiveModelService, MAX_RECOMMENDATIONS } from './active-model.service';

export interface RecommendedSong {
  songId: string;
  /** The model's score; for the popularity fallback of a user without plays, the song's number of listeners. */
  score: number;
  /** The played song that contributed most, when one contributed positively. */
  becauseOfSongId?: string;
  reason: string | null;
}

export interface Recommendations {
  userId: string;
  model: string;
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
  model: z.string().min(1, 'model is empty'),
});

@Injectable()
export class RecommendationService {
  constructor(
    private readonly active: ActiveModelService,
    private readonly plays: PlaysRepository,
  ) {}

  /**
   * Folds the user in from their plays as stored right now (so a play stored a moment ago already counts), ranks
   * every song they have not played and names the played song behind each pick. Users without plays known to the
   * model get the most listened songs.
   */
  async recommend(userId: string, first: number, model: string = DEFAULT_MODEL): Promise<Recommendations> {
    const request = validate(requestSchema, { userId, first, model }, 'recommendation request');
    const { version, recommender, songIds, songIndex, popular } = await this.active.current(request.model);
    const history = await this.plays.userHistory(request.userId);
    const items: number[] = [];
    const counts: number[] = [];
    for (const play of history) {
      const item = songIndex.get(play.songId);
      if (item === undefined || !(play.count > 0)) continue; // a song newer than the model cannot be folded in
      items.push(item);
      counts.push(play.count);
    }
    const base = { userId: request.userId, model: request.model, modelVersion: version.version };
    if (items.length === 0) {
      const played = new Set(history.map((p) => p.songId));
      return {
        ...base,
        items: popular
          .filter((s) => !played.has(s.songId))
          .slice(0, request.first)
          .map((s) => ({ songId: s.songId, score: s.count, reason: 'popular' })),
      };
    }
    const user = recommender.foldIn({ items: Int32Array.from(items), counts: Float32Array.from(counts) });
    const ranking = recommender.recommend(user, request.first, user.history.items);
    return {
      ...base,
      items: Array.from(ranking.ids, (item, rank) => {
        const because = recommender.explain(user, item);
        const becauseOfSongId = because ? songIds[because.item] : undefined;
        return {
          songId: songIds[item],
          score: ranking.scores[rank],
          becauseOfSongId,
          reason: becauseOfSongId
            ? `because you played ${becauseOfSongId}`
            : recommender.kind === 'popularity'
              ? 'popular'
              : null,
        };
      }),
    };
  }
}
