import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, type PlayEvent } from '@tunegraph/contracts';
import {
  EVENT_BUS,
  LOGGER,
  deadLetterMessage,
  type EventBus,
  type IncomingMessage,
  type Logger,
} from '@tunegraph/service-kit';
import { PlaysRepository } from '../repositories/plays.repository';

/** The consuming side: store each play exactly once, dead-letter plays of songs the catalog does not know. */
@Injectable()
export class PlayStoreService {
  constructor(
    private readonly repo: PlaysRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async storeBatch(messages: IncomingMessage<PlayEvent>[]): Promise<number> {
    const known = await this.repo.knownSongs([...new Set(messages.map((m) => m.value.songId))]);
    const good: PlayEvent[] = [];
    const unknown: IncomingMessage<PlayEvent>[] = [];
    for (const m of messages) {
      const songId = known.get(m.value.songId);
      if (songId) good.push({ ...m.value, songId });
      else unknown.push(m);
    }
    await this.bus.publishRaw(
      TOPICS.playsDeadLetter,
      unknown.map((m) =>
        deadLetterMessage(
          TOPICS.plays,
          { key: m.key, headers: m.headers, value: JSON.stringify(m.value) },
          `song '${m.value.songId}' is not in the catalog`,
        ),
      ),
    );
    const stored = await this.repo.storeOnce(good);
    if (stored.length) {
      const userIds = [...new Set(stored.map((e) => e.userId))];
      await this.bus.publish(TOPICS.playsStored, [
        { key: userIds[0], value: { userIds, events: stored.length } },
      ]);
    }
    this.logger.debug(
      {
        received: messages.length,
        stored: stored.length,
        duplicates: good.length - stored.length,
        deadLettered: unknown.length,
      },
      'plays batch',
    );
    return stored.length;
  }
}
