import { Directive, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType()
export class Artist {
  @Field(() => ID) id!: string;
  @Field() name!: string;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Song {
  @Field(() => ID) id!: string;
  @Field() title!: string;
  artistId!: string;
  artistName!: string;
  @Field(() => Int, { nullable: true }) year?: number | null;
  @Field(() => [ID], { description: 'MSD track ids (TR…) of this song.' }) trackIds!: string[];
  @Field(() => Int, { description: 'Number of users who played it.' }) listeners!: number;
  @Field(() => Int, { description: 'Plays of it by all users together.' }) playCount!: number;
}

@ObjectType({
  description: "A user's listening so far, counted from the stored plays at the moment it is asked.",
})
export class PlayStats {
  @Field(() => Int, { description: 'Distinct songs played.' }) songs!: number;
  @Field(() => Int, { description: 'Plays of all songs together.' }) plays!: number;
  @Field(() => Date, { nullable: true, description: 'When a play of this user was last stored.' })
  lastPlayedAt!: Date | null;
}

@ObjectType()
export class Play {
  songId!: string;
  @Field(() => Song) song!: Song;
  @Field(() => Int) count!: number;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class PlayReceipt {
  @Field(() => ID) eventId!: string;
  @Field() accepted!: boolean;
}

@InputType()
export class PlayInput {
  @Field(() => ID) userId!: string;
  @Field(() => ID) songId!: string;
  @Field(() => Int, { nullable: true, defaultValue: 1 }) count?: number;
  @Field(() => ID, { nullable: true, description: 'Idempotency key; generated when absent.' })
  eventId?: string;
}
