import { Args, ID, Int, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { CatalogService } from '../services/catalog.service';
import { SongBatchLoader } from '../services/song-batch.loader';
import { Artist, Play, PlayStats, Song, User } from './catalog.models';

@Resolver(() => Song)
export class SongResolver {
  constructor(
    private readonly catalog: CatalogService,
    private readonly songs: SongBatchLoader,
  ) {}

  @Query(() => Song, {
    nullable: true,
    description: 'A song by its song id (SO…) or any of its track ids (TR…).',
  })
  song(@Args('id', { type: () => ID }) id: string) {
    return this.catalog.song(id);
  }

  @Query(() => [Song], { description: 'Songs whose title or artist match every word (as a prefix).' })
  searchSongs(
    @Args('query') query: string,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number,
  ) {
    return this.catalog.search(query, first);
  }

  @ResolveField(() => Artist)
  artist(@Parent() song: Song): Artist {
    return { id: song.artistId, name: song.artistName };
  }

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return this.songs.load(ref.id);
  }
}

@Resolver(() => User)
export class UserResolver {
  constructor(private readonly catalog: CatalogService) {}

  @Query(() => User, { nullable: true })
  user(@Args('id', { type: () => ID }) id: string) {
    return this.catalog.user(id);
  }

  @Query(() => [User], { description: 'The most active users first.' })
  users(@Args('first', { type: () => Int, nullable: true, defaultValue: 10 }) first: number) {
    return this.catalog.users(first);
  }

  @ResolveField(() => [Play], { description: 'Songs played, most played first.' })
  plays(
    @Parent() user: User,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number,
  ) {
    return this.catalog.plays(user.id, first);
  }

  @ResolveField(() => PlayStats)
  playStats(@Parent() user: User) {
    return this.catalog.playStats(user.id);
  }

  @ResolveReference()
  resolveReference(ref: { id: string }) {
    return { id: ref.id };
  }
}

@Resolver(() => Play)
export class PlayResolver {
  constructor(private readonly songs: SongBatchLoader) {}

  @ResolveField(() => Song)
  song(@Parent() play: Play) {
    return this.songs.load(play.songId);
  }
}
