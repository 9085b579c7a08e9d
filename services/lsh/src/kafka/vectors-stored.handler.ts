import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry, LOGGER, broadcastGroupId, type Logger } from '@tunegraph/service-kit';
import { LshIndexService, denseCollections } from '../services/lsh-index.service';

/**
 * Adds the vectors content wrote for new songs (cold start) to the served index at once. Every replica applies them
 * (a group per host). Events from before a start are not replayed: loading a snapshot adds what it lacks.
 */
@Injectable()
export class VectorsStoredHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly indexes: LshIndexService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    const dense = new Set(denseCollections());
    this.registry.register({
      groupId: broadcastGroupId('lsh-vectors'),
      topic: TOPICS.vectorsStored,
      fromBeginning: false,
      handleBatch: async (messages) => {
        for (const { value } of messages) {
          if (!dense.has(value.collection)) {
            this.logger.warn(
              { collection: value.collection },
              'lsh: vectors of a collection LSH does not serve',
            );
            continue;
          }
          await this.indexes.addStored(value.collection, value.versionId, value.songIds);
        }
      },
    });
  }
}
