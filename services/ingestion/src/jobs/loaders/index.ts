import type { KnownMsdFormat } from '@tunegraph/msd-formats';
import { artistLocationLoader } from './artist-location.loader';
import { artistMbtagsLoader, artistTermsLoader } from './artist-tags.loader';
import { corgisSongsLoader } from './corgis-songs.loader';
import { lastfmTrackLoader } from './lastfm-track.loader';
import type { FormatLoader } from './loader.types';
import { mxmBowLoader } from './mxm-bow.loader';
import { mxmMatchesLoader } from './mxm-matches.loader';
import { reverseMappingLoader } from './reverse-mapping.loader';
import { sidMismatchesLoader } from './sid-mismatches.loader';
import { tripletsLoader } from './triplets.loader';
import { uniqueTracksLoader } from './unique-tracks.loader';
import { artistIdsLoader, mbtagVocabularyLoader, termVocabularyLoader } from './vocabulary.loader';

/**
 * In load order: the song-track errata first so no wrong join is made, then metadata (the CORGIS CSV before the
 * artist tag dumps, whose artists it names) so plays, lyrics and tags attach to real songs, then stems' readable words.
 */
export const LOADERS: FormatLoader<KnownMsdFormat>[] = [
  sidMismatchesLoader,
  uniqueTracksLoader,
  corgisSongsLoader,
  artistTermsLoader,
  artistMbtagsLoader,
  artistIdsLoader,
  termVocabularyLoader,
  mbtagVocabularyLoader,
  artistLocationLoader,
  tripletsLoader,
  mxmBowLoader,
  mxmMatchesLoader,
  lastfmTrackLoader,
  reverseMappingLoader,
] as unknown as FormatLoader<KnownMsdFormat>[];
