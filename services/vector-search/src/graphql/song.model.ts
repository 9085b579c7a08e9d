import { Directive, Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SimilarityMethod {
  CF = 'CF',
  TFIDF = 'TFIDF',
  LDA = 'LDA',
  ITEM2VEC = 'ITEM2VEC',
}
registerEnumType(SimilarityMethod, {
  name: 'SimilarityMethod',
  description: 'CF: collaborative-filtering (ALS) song factors; TFIDF: lyric words; LDA: lyric topic mixtures; ITEM2VEC: skip-gram over listening histories.',
});

export enum VectorIndexKind {
  EXACT = 'EXACT',
  HNSW = 'HNSW',
  LSH = 'LSH',
}
registerEnumType(VectorIndexKind, { name: 'VectorIndex', description: 'How neighbours are searched.' });

/** The catalog's Song (owned by ingestion), extended here with `similar`. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Song {
  @Field(() => ID)
  id!: string;
}

@ObjectType()
export class SimilarSong {
  @Field(() => Song)
  song!: Song;

  @Field(() => Float, { description: 'Cosine similarity to the song asked about.' })
  score!: number;

  @Field(() => String, {
    nullable: true,
    description: 'Why the songs are similar, when known (TFIDF: shared words; LDA: shared topics; WORD2VEC: related word pairs).',
  })
  reason!: string | null;
}
