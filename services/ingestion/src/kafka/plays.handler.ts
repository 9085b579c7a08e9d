import { Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry } from '@tunegraph/service-kit';
import { PlayStoreService } from '../services/play-store.service';

@Injectable()
export class PlaysHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly store: PlayStoreService,
  ) {}

  onModuleInit() {
    this.registry.register({
      groupId: 'ingestion',
      topic: TOPICS.plays,
      handleBatch: async (messages) => {
        await this.store.storeBatch(messages);
      },
    });
  }
}
