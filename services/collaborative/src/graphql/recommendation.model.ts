import { Directive, Field, Float, ID, ObjectType } from '@nestjs/graphql';

/** Owned by the ingestion subgraph; referenced here by id only. */
@ObjectType()
@Directive('@key(fields: "id", resolvable: false)')
export class Song {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class Recommendation {
  @Field(() => Song)
  song!: Song;

  @Field(() => Float, {
    description: 'The model score; for "popular" picks of a user without plays, the number of listeners',
  })
  score!: number;

  @Field(() => String, {
    nullable: true,
    description: '"because you played <song id>", or "popular" for popularity picks',
  })
  reason!: string | null;

  @Field(() => Song, {
    nullable: true,
    description: 'The played song that contributed most to this recommendation',
  })
  becauseOf?: Song | null;
}

/** Owned by the ingestion subgraph; this subgraph adds recommendations to it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;
}
