import {
  Args,
  Directive,
  Field,
  Float,
  ID,
  Int,
  ObjectType,
  Parent,
  ResolveField,
  Resolver,
  ResolveReference,
} from '@nestjs/graphql';
import { ContentService } from '../services/content.service';
import { TopicsService } from '../services/topics.service';

@ObjectType()
@Directive('@key(fields: "id")')
export class Song {
  @Field(() => ID) id!: string;
}

@ObjectType({
  description: "An LDA topic of a song: its share of the lyrics and the topic's most probable words.",
})
export class SongTopic {
  @Field(() => Int) topic!: number;
  @Field(() => Float) weight!: number;
  @Field(() => [String]) words!: string[];
}

@Resolver(() => Song)
export class SongContentResolver {
  constructor(
    private readonly content: ContentService,
    private readonly topicsService: TopicsService,
  ) {}

  @ResolveField(() => [SongTopic], { description: "The song's strongest LDA topics; empty without lyrics." })
  topics(
    @Parent() song: Song,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 3 }) first: number,
  ) {
    return this.topicsService.topics(song.id, first ?? 3);
  }

  @ResolveField(() => [String], {
    description: "The song's most distinctive lyric words (TF-IDF); empty without lyrics.",
  })
  topWords(
    @Parent() song: Song,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number,
  ) {
    return this.content.topWords(song.id, first ?? 10);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }): Song {
    return { id: ref.id };
  }
}
