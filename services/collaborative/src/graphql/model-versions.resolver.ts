import { Args, Query, Resolver } from '@nestjs/graphql';
import { AlsVersionsRepository } from '../repositories/als-versions.repository';
import { ModelVersion } from './model-version.model';

@Resolver(() => ModelVersion)
export class ModelVersionsResolver {
  constructor(private readonly versions: AlsVersionsRepository) {}

  @Query(() => [ModelVersion], { description: 'Every trained model version (of one model when given), newest first.' })
  async modelVersions(@Args('model', { type: () => String, nullable: true }) model?: string): Promise<ModelVersion[]> {
    const rows = await this.versions.listVersions(model ?? undefined);
    return rows.map((r) => ({
      id: String(r.id),
      model: r.model,
      version: r.version,
      status: r.status,
      active: r.active,
      dim: r.dim,
      metrics: JSON.stringify(r.metrics),
      error: r.error,
      createdAt: r.created_at,
    }));
  }
}
