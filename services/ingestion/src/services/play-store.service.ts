import { Inject, Injectable } from '@nestjs/common';
import { TOPICS, type PlayEvent } from '@tunegraph/contracts';
import {
  EVENT_BUS,
  LOGGER,
  METRICS,
  deadLetterMessage,
  type EventBus,
  type IncomingMessage,
  type Logger,
  type Metrics,
} from '@tunegraph/service-kit';
import { Counter } from 'prom-client';
import { PlaysRepository } from '../repositories/plays.repository';

/** The consuming side: store each play exactly once, dead-letter plays of songs the catalog does not know. */
@Injectable()
export class PlayStoreService {
  private readonly plays: Counter<'outcome'>;

  constructor(
    private readonly repo: PlaysRepository,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.plays = new Counter({
      name: 'tunegraph_play_events_total',
      help: 'Play events consumed, by outcome: stored, duplicate (an event id seen before) or dead_lettered',
      labelNames: ['outcome'],
      registers: [metrics.registry],
    });
  }

  async storeBatch(messages: IncomingMessage<PlayEvent>[]): Promise<number> {
    const { stored, userIds, unknownSongEvents } = await this.repo.storeOnce(messages.map((m) => m.value));
    this.plays.inc({ outcome: 'stored' }, stored);
    const unknown = new Set(unknownSongEvents);
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
    const duplicates = messages.length - stored - unknownSongEvents.length;
    this.plays.inc({ outcome: 'dead_lettered' }, unknownSongEvents.length);
    this.plays.inc({ outcome: 'duplicate' }, duplicates);
    this.logger.debug(
      { received: messages.length, stored, deadLettered: unknownSongEvents.length, duplicates },
      'plays batch',
    );
    return stored;
  }
}
