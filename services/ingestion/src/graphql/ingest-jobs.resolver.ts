import { Args, Field, ID, Int, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import type { IngestJobRow } from '../repositories/ingest-jobs.repository';
import { IngestJobsService } from '../services/ingest-jobs.service';

@ObjectType()
export class IngestFileResult {
  @Field() source!: string;
  @Field() format!: string;
  @Field() status!: string;
  @Field(() => Int) records!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => Int) changed!: number;
  @Field({ nullable: true }) encoding?: string;
  @Field({ nullable: true }) message?: string;
}

@ObjectType()
export class IngestJob {
  @Field(() => ID) id!: string;
  @Field() status!: string;
  @Field(() => [String]) paths!: string[];
  @Field({ nullable: true, description: 'The file being loaded now.' }) currentFile?: string;
  @Field(() => Int, { description: 'Records read so far in the current file.' }) currentRecords!: number;
  @Field(() => [IngestFileResult], { description: 'Per-file results, once the job is done.' })
  files!: IngestFileResult[];
  @Field({ nullable: true, description: 'One line: what the job did.' }) summary?: string;
  @Field({ nullable: true }) error?: string;
  @Field() startedAt!: Date;
  @Field({ nullable: true }) finishedAt?: Date;
}

function toJob(row: IngestJobRow): IngestJob {
  const s = row.summary as {
    files?: IngestFileResult[];
    records?: number;
    rejected?: number;
    changed?: number;
    seconds?: number;
  } | null;
  return {
    id: row.id,
    status: row.status,
    paths: row.paths,
    currentFile: row.progress.file,
    currentRecords: row.progress.records ?? 0,
    files: s?.files ?? [],
    summary: s
      ? `${s.files?.length ?? 0} file(s): ${s.records} records, ${s.rejected} quarantined, ${s.changed} rows changed in ${s.seconds?.toFixed(1)} s`
      : undefined,
    error: row.error ?? undefined,
    startedAt: row.started_at,
    finishedAt: row.finished_at ?? undefined,
  };
}

@Resolver(() => IngestJob)
export class IngestJobsResolver {
  constructor(private readonly jobs: IngestJobsService) {}

  @Mutation(() => IngestJob, {
    description: 'Operators: load MSD files or folders (under INGEST_ROOTS) in the background.',
  })
  async startIngest(
    @Args('paths', { type: () => [String] }) paths: string[],
    @Args('force', {
      type: () => Boolean,
      nullable: true,
      defaultValue: false,
      description: 'Reload files even when unchanged since their last load.',
    })
    force: boolean,
    @Args('format', {
      type: () => String,
      nullable: true,
      description: 'Read every file as this MSD format (e.g. "triplets"), not the one its content suggests.',
    })
    format?: string | null,
  ) {
    return toJob(await this.jobs.start(paths, { force, format: format ?? undefined }));
  }

  @Query(() => IngestJob)
  async ingestJob(@Args('id', { type: () => ID }) id: string) {
    return toJob(await this.jobs.get(id));
  }

  @Query(() => [IngestJob], { description: 'Most recent first.' })
  async ingestJobs(@Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number) {
    return (await this.jobs.list(first ?? 10)).map(toJob);
  }
}
