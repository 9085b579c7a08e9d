import {
  Args,
  Field,
  Float,
  ID,
  InputType,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  registerEnumType,
} from '@nestjs/graphql';
import type { TrainingJobRow } from '../repositories/training-jobs.repository';
import type { ContentModelName } from '../services/active-models.service';
import { ContentTrainingService } from '../services/content-training.service';

export enum ContentModel {
  TFIDF = 'tfidf',
  LDA = 'lda',
  WORD2VEC = 'word2vec',
}
registerEnumType(ContentModel, { name: 'ContentModel', description: 'A content model trained over lyrics.' });

@InputType({
  description:
    'Training parameters; each model accepts only its own (others are refused). Unset means the default.',
})
export class ContentTrainingParams {
  @Field({ nullable: true, description: 'TFIDF: 1 + ln(tf) instead of tf (default true).' })
  sublinearTf?: boolean;
  @Field(() => Int, { nullable: true, description: 'LDA: number of topics (default 20).' }) topics?: number;
  @Field(() => Int, { nullable: true, description: 'LDA: passes over the songs (default 2).' })
  passes?: number;
  @Field(() => Int, { nullable: true, description: 'LDA: songs per online update (default 128).' })
  batchSize?: number;
  @Field(() => Int, { nullable: true, description: 'WORD2VEC: vector width (default 64).' }) dim?: number;
  @Field(() => Int, { nullable: true, description: 'WORD2VEC: context reach within a song (default 5).' })
  window?: number;
  @Field(() => Int, { nullable: true, description: 'WORD2VEC: passes (default 5).' }) epochs?: number;
  @Field(() => Int, { nullable: true, description: 'WORD2VEC: noise words per pair (default 5).' })
  negatives?: number;
  @Field(() => Int, {
    nullable: true,
    description: 'WORD2VEC: words seen fewer times get no vector (default 5).',
  })
  minCount?: number;
  @Field(() => Float, {
    nullable: true,
    description: 'WORD2VEC: frequent-word downsampling threshold (default 1e-4).',
  })
  subsample?: number;
  @Field(() => Int, { nullable: true, description: 'LDA, WORD2VEC: random seed (default 42).' })
  seed?: number;
}

@ObjectType({
  description: 'A content model training started through trainContentModel; poll contentTrainingJob.',
})
export class ContentTrainingJob {
  @Field(() => ID) id!: string;
  @Field(() => ContentModel) model!: ContentModel;
  @Field({ description: 'running, done or failed.' }) status!: string;
  @Field(() => Int, { description: 'Steps done (LDA: mini-batches, WORD2VEC: epochs).' }) step!: number;
  @Field(() => Int) steps!: number;
  @Field({ nullable: true, description: 'What the job is doing now.' }) message?: string;
  @Field(() => Int, { nullable: true, description: 'The model version it produced (active once done).' })
  version?: number;
  @Field({ nullable: true, description: 'The run summary as JSON (metrics, seconds), once done.' })
  summary?: string;
  @Field({ nullable: true }) error?: string;
  @Field() startedAt!: Date;
  @Field({ nullable: true }) finishedAt?: Date;
}

function toJob(row: TrainingJobRow): ContentTrainingJob {
  return {
    id: row.id,
    model: row.model as ContentModel,
    status: row.status,
    step: row.progress.step ?? 0,
    steps: row.progress.steps ?? 0,
    message: row.progress.message,
    version: typeof row.summary?.version === 'number' ? row.summary.version : undefined,
    summary: row.summary ? JSON.stringify(row.summary) : undefined,
    error: row.error ?? undefined,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
  };
}

@Resolver(() => ContentTrainingJob)
export class ContentTrainingResolver {
  constructor(private readonly training: ContentTrainingService) {}

  @Mutation(() => ContentTrainingJob, {
    description: 'Operators: train a content model in the background; it becomes active when done.',
  })
  async trainContentModel(
    @Args('model', { type: () => ContentModel }) model: ContentModel,
    @Args('params', { type: () => ContentTrainingParams, nullable: true }) params?: ContentTrainingParams,
  ) {
    const given = Object.fromEntries(
      Object.entries({ ...params }).filter(([, v]) => v !== null && v !== undefined),
    );
    return toJob(await this.training.start(model as ContentModelName, given));
  }

  @Query(() => ContentTrainingJob)
  async contentTrainingJob(@Args('id', { type: () => ID }) id: string) {
    return toJob(await this.training.get(id));
  }
}
