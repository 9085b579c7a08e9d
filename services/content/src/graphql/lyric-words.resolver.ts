import { Args, Field, Float, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { ContentService } from '../services/content.service';

@ObjectType({ description: 'A lyric word and its cosine to the query word under the active Word2Vec model.' })
export class WordNeighbour {
  @Field() word!: string;
  @Field(() => Float) score!: number;
}

@Resolver()
export class LyricWordsResolver {
  constructor(private readonly content: ContentService) {}

  @Query(() => [WordNeighbour], {
    description:
      'Lyric words used like this one (Word2Vec over lyrics); takes a readable word or a stem. Empty for a word too rare to have a vector.',
  })
  wordNeighbours(
    @Args('word') word: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number,
  ) {
    return this.content.wordNeighbours(word, first ?? 10);
  }
}
