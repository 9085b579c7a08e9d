import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry, LOGGER, broadcastGroupId, type Logger } from '@tunegraph/service-kit';
import { collaborativeModels } from '../models/model-kinds';
import { ActiveModelService } from '../services/active-model.service';

/** Swaps in a newly activated version of any collaborative model as soon as its training job announces it. */
@Injectable()
export class ModelActivatedHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly active: ActiveModelService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    const ours = new Set(collaborativeModels.names());
    this.registry.register({
      groupId: broadcastGroupId('collaborative'),
      topic: TOPICS.modelActivated,
      // Older activations are irrelevant: the active version is read from the database when loading.
      fromBeginning: false,
      handleBatch: async (messages) => {
        const models = new Set(messages.map((m) => m.value.model).filter((m) => ours.has(m)));
        for (const model of models) {
          this.logger.info({ model }, `${model}: activation received; reloading`);
          await this.active.reload(model);
        }
      },
    });
  }
}
