import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry, LOGGER, broadcastGroupId, type Logger } from '@tunegraph/service-kit';
import { LshIndexService, denseCollections } from '../services/lsh-index.service';

export const LSH_GROUP = broadcastGroupId('lsh');

/** Rebuilds a collection's index when a new model version of it becomes active. */
@Injectable()
export class ModelActivatedHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly indexes: LshIndexService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    const dense = new Set(denseCollections());
    this.registry.register({
      groupId: LSH_GROUP,
      topic: TOPICS.modelActivated,
      // Older activations are irrelevant: loading always reads the active version from the database.
      fromBeginning: false,
      handleBatch: async (messages) => {
        const collections = new Set(messages.map((m) => m.value.collection));
        for (const collection of collections) {
          if (!dense.has(collection)) {
            this.logger.debug({ collection }, 'lsh: activation of a collection LSH does not serve; ignored');
            continue;
          }
          this.logger.info({ collection }, 'lsh: model activated; loading its index');
          await this.indexes.load(collection);
        }
      },
    });
  }
}
