import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EventHandlersRegistry, LOGGER, broadcastGroupId, type Logger } from '@tunegraph/service-kit';
import { ALS_MODEL } from '../repositories/als-versions.repository';
import { ActiveModelService } from '../services/active-model.service';

/** Swaps in a newly activated ALS version as soon as the training job announces it. */
@Injectable()
export class ModelActivatedHandler implements OnModuleInit {
  constructor(
    private readonly registry: EventHandlersRegistry,
    private readonly active: ActiveModelService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit() {
    this.registry.register({
      groupId: broadcastGroupId('collaborative'),
      topic: TOPICS.modelActivated,
      // Older activations are irrelevant: the active version is read from the database when loading.
      fromBeginning: false,
      handleBatch: async (messages) => {
        const als = messages.filter((m) => m.value.model === ALS_MODEL);
        if (als.length === 0) return;
        this.logger.info({ version: als[als.length - 1].value.version }, 'als: activation received; reloading');
        await this.active.reload();
      },
    });
  }
}
