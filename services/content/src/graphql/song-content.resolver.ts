import { Args, Directive, Field, ID, Int, ObjectType, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { ContentService } from '../services/content.service';

@ObjectType()
@Directive('@key(fields: "id")')
export class Song {
  @Field(() => ID) id!: string;
}

@Resolver(() => Song)
export class SongContentResolver {
  constructor(private readonly content: ContentService) {}

  @ResolveField(() => [String], { description: "The song's most distinctive lyric words (TF-IDF); empty without lyrics." })
  topWords(@Parent() song: Song, @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number) {
    return this.content.topWords(song.id, first ?? 10);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }): Song {
    return { id: ref.id };
  }
}
