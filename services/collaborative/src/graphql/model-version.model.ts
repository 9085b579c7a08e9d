import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class ModelVersion {
  @Field(() => ID)
  id!: string;

  @Field()
  model!: string;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'training, ready or failed' })
  status!: string;

  @Field()
  active!: boolean;

  @Field(() => Int, { nullable: true })
  dim!: number | null;

  @Field({ description: 'The hyperparameters (and holdout settings) of the run, as a JSON object' })
  params!: string;

  @Field({
    description: 'The metrics recorded by the training job (holdout NDCG@10, mAP@500, ...), as a JSON object',
  })
  metrics!: string;

  @Field(() => String, { nullable: true, description: 'Why training failed' })
  error!: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}
