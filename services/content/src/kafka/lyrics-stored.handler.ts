import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry } from '@tunegraph/service-kit';
import { ColdStartService } from '../services/cold-start.service';

export const CONTENT_GROUP = 'content';

/** Embeds songs as soon as ingestion stores their lyrics (one consumer group: each event is handled once). */
@Injectable()
export class LyricsStoredHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly coldStart: ColdStartService,
  ) {}

  onModuleInit() {
    this.registry.register({
      groupId: CONTENT_GROUP,
      topic: TOPICS.lyricsStored,
      // Lyrics loaded while the service was down still need vectors; embedding a song twice is harmless (upsert).
      fromBeginning: true,
      handleBatch: async (messages) => {
        await this.coldStart.embed([...new Set(messages.flatMap((m) => m.value.songIds))]);
      },
    });
  }
}
