import { Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum SimilarityMethod {
  CF = 'CF',
  TFIDF = 'TFIDF',
  LDA = 'LDA',
  WORD2VEC = 'WORD2VEC',
  ITEM2VEC = 'ITEM2VEC',
  HYBRID = 'HYBRID',
}
registerEnumType(SimilarityMethod, {
  name: 'SimilarityMethod',
  description:
    'CF: collaborative-filtering (ALS) song factors; TFIDF: lyric words; LDA: lyric topic mixtures; WORD2VEC: lyric word vectors; ITEM2VEC: skip-gram over listening histories; HYBRID: reciprocal-rank fusion of every method the song has a vector in.',
});

export enum VectorIndexKind {
  EXACT = 'EXACT',
  HNSW = 'HNSW',
  IVFFLAT = 'IVFFLAT',
  LSH = 'LSH',
}
registerEnumType(VectorIndexKind, {
  name: 'VectorIndex',
  description:
    'How neighbours are searched: exact scan, pgvector HNSW or IVFFlat (dense methods only), or the LSH service.',
});

@InputType({ description: 'Conditions every similar song meets (all given ones at once).' })
export class SimilarFilter {
  @Field(() => ID, { nullable: true, description: 'Leave out the songs this user has played.' })
  excludePlayedBy?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Keep songs tagged (on the song or its artist) with any of these tags or genres; case-insensitive.',
  })
  tags?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Earliest release year (inclusive); songs of unknown year are left out.',
  })
  yearMin?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Latest release year (inclusive); songs of unknown year are left out.',
  })
  yearMax?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Keep songs by any of these artists.' })
  artistIds?: string[] | null;
}

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

  @Field(() => Float, {
    description: 'Cosine similarity to the song asked about (HYBRID: the reciprocal-rank-fusion score).',
  })
  score!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Why the songs are similar, when known (TFIDF: shared words; LDA: shared topics; WORD2VEC: related word pairs; HYBRID: the methods and ranks that found the song).',
  })
  reason!: string | null;
}
