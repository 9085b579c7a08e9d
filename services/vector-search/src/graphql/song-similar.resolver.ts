import { Args, Int, Parent, ResolveField, ResolveReference, Resolver } from '@nestjs/graphql';
import { SimilarSongsService } from '../services/similar-songs.service';
import { SimilarFilter, SimilarSong, SimilarityMethod, Song, VectorIndexKind } from './song.model';

@Resolver(() => Song)
export class SongSimilarResolver {
  constructor(private readonly similarSongs: SimilarSongsService) {}

  @ResolveReference()
  resolveReference(reference: { id: string }): Song {
    return { id: reference.id };
  }

  @ResolveField(() => [SimilarSong], { description: 'Nearest songs by listening or lyrics, best first.' })
  similar(
    @Parent() song: Song,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number | null,
    @Args('method', { type: () => SimilarityMethod, nullable: true, defaultValue: SimilarityMethod.CF })
    method: SimilarityMethod | null,
    @Args('index', { type: () => VectorIndexKind, nullable: true, defaultValue: VectorIndexKind.HNSW })
    index: VectorIndexKind | null,
    @Args('efSearch', {
      type: () => Int,
      nullable: true,
      description: 'HNSW search breadth (1-1000); the service default when left out.',
    })
    efSearch: number | null,
    @Args('probes', {
      type: () => Int,
      nullable: true,
      description: "IVFFlat lists to probe (1 to the index's lists); about sqrt(lists) when left out.",
    })
    probes: number | null,
    @Args('filter', { type: () => SimilarFilter, nullable: true }) filter: SimilarFilter | null,
  ): Promise<SimilarSong[]> {
    // An explicit null means "use the default", as it would had the argument been left out.
    return this.similarSongs.similar({
      songId: song.id,
      first: first ?? 10,
      method: method ?? SimilarityMethod.CF,
      index: index ?? VectorIndexKind.HNSW,
      efSearch: efSearch ?? 0,
      probes: probes ?? 0,
      filter: {
        excludePlayedByUserId: filter?.excludePlayedBy ?? '',
        tags: filter?.tags ?? [],
        yearMin: filter?.yearMin ?? undefined,
        yearMax: filter?.yearMax ?? undefined,
        artistIds: filter?.artistIds ?? [],
      },
    });
  }
}
