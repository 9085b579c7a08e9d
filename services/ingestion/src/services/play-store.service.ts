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
    const { stored, userIds, unknownSongs } = await this.repo.storeOnce(messages.map((m) => m.value));
    const unknown = new Set(unknownSongs);
    await this.bus.publishRaw(
      TOPICS.playsDeadLetter,
      messages
        .filter((m) => unknown.delete(m.value.eventId))
        .map((m) =>
          deadLetterMessage(
            TOPICS.plays,
            { key: m.key, headers: m.headers, value: JSON.stringify(m.value) },
            `song '${m.value.songId}' is not in the catalog`,
          ),
        ),
    );
    if (stored > 0) {
      await this.bus.publish(TOPICS.playsStored, [{ key: userIds[0], value: { userIds, events: stored } }]);
    }
    this.logger.debug(
      {
        received: messages.length,
        stored,
        deadLettered: unknownSongs.length,
        duplicates: messages.length - stored - unknownSongs.length,
      },
      'plays batch',
    );
    return stored;
  }
}
