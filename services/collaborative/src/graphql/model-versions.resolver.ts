import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { ModelVersionsRepository, type StoredVersion } from '../repositories/model-versions.repository';
import { TrainingService } from '../services/training.service';
import { CollaborativeModel } from './collaborative-model.enum';
import { ModelVersion } from './model-version.model';

@Resolver(() => ModelVersion)
export class ModelVersionsResolver {
  constructor(
    private readonly versions: ModelVersionsRepository,
    private readonly training: TrainingService,
  ) {}

  @Query(() => [ModelVersion], {
    description: 'Every trained model version (of one model when given), newest first.',
  })
  async modelVersions(
    @Args('model', { type: () => String, nullable: true }) model?: string,
  ): Promise<ModelVersion[]> {
    return (await this.versions.listVersions(model ?? undefined)).map(toGraphql);
  }

  @Mutation(() => ModelVersion, {
    description:
      'Admin: starts training a new version of a collaborative model. Returns it in status "training"; poll ' +
      '`modelVersions(model:)` until it is "ready" (and active) or "failed" (with `error`; the active version is kept).',
  })
  async trainModel(
    @Args('model', { type: () => CollaborativeModel }) model: string,
    @Args('params', {
      type: () => String,
      nullable: true,
      description: 'Hyperparameters as a JSON object, e.g. {"alpha":0.15}',
    })
    params?: string | null,
  ): Promise<ModelVersion> {
    return toGraphql(await this.training.start(model, params ?? undefined));
  }
}

function toGraphql(r: StoredVersion): ModelVersion {
  return {
    id: String(r.id),
    model: r.model,
    version: r.version,
    status: r.status,
    active: r.active,
    dim: r.dim,
    params: JSON.stringify(r.params),
    metrics: JSON.stringify(r.metrics),
    error: r.error,
    createdAt: r.created_at,
  };
}
