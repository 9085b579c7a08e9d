import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  MAX_PLAYS_PER_REQUEST,
  PLAY_SOURCES,
  TOPICS,
  playEventSchema,
  type PlayEvent,
} from '@tunegraph/contracts';
import { EVENT_BUS, badInput, validate, type EventBus } from '@tunegraph/service-kit';
import { CatalogService } from './catalog.service';

export interface PlayRequest {
  userId: string;
  songId: string;
  count?: number;
  eventId?: string;
  timestampMs?: number;
}

/** The edge of the play pipeline: validate, resolve the song, publish to `plays` keyed by user. */
@Injectable()
export class PlaysService {
  constructor(
    private readonly catalog: CatalogService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  toEvent(input: PlayRequest, source: (typeof PLAY_SOURCES)[number]): PlayEvent {
    return validate(
      playEventSchema,
      {
        eventId: input.eventId ?? randomUUID(),
        userId: input.userId,
        songId: input.songId,
        count: input.count ?? 1,
        timestampMs: input.timestampMs ?? Date.now(),
        source,
      },
      'play',
    );
  }

  async record(input: PlayRequest, source: (typeof PLAY_SOURCES)[number]): Promise<PlayEvent> {
    const event = this.toEvent(input, source);
    event.songId = await this.catalog.requireSongId(event.songId);
    await this.bus.publish(TOPICS.plays, [{ key: event.userId, value: event }]);
    return event;
  }

  /** A batch is all or nothing: every invalid play is named, and nothing is published unless all are valid. */
  async recordMany(inputs: PlayRequest[], source: (typeof PLAY_SOURCES)[number]): Promise<PlayEvent[]> {
    if (inputs.length > MAX_PLAYS_PER_REQUEST)
      throw badInput(`at most ${MAX_PLAYS_PER_REQUEST} plays per request`);
    const issues: string[] = [];
    const events: { index: number; event: PlayEvent }[] = [];
    inputs.forEach((input, index) => {
      try {
        events.push({ index, event: this.toEvent(input, source) });
      } catch (err) {
        issues.push(`plays[${index}]: ${(err as Error).message}`);
      }
    });
    const songs = await this.catalog.songs([...new Set(events.map((e) => e.event.songId))]);
    const known = new Map<string, string>();
    for (const s of songs) for (const id of [s.id, ...s.trackIds]) known.set(id, s.id);
    for (const { index, event } of events) {
      const songId = known.get(event.songId);
      if (songId) event.songId = songId;
      else issues.push(`plays[${index}]: song '${event.songId}' is not in the catalog`);
    }
    if (issues.length)
      throw badInput(`${issues.length} invalid play(s): ${issues.slice(0, 20).join('; ')}`, issues);
    await this.bus.publish(
      TOPICS.plays,
      events.map(({ event }) => ({ key: event.userId, value: event })),
    );
    return events.map((e) => e.event);
  }
}
