import type { KnownMsdFormat } from '@tunegraph/msd-formats';
import type { FormatLoader } from './loader.types';
import { mxmBowLoader } from './mxm-bow.loader';
import { reverseMappingLoader } from './reverse-mapping.loader';
import { tripletsLoader } from './triplets.loader';
import { uniqueTracksLoader } from './unique-tracks.loader';

/** In load order: metadata first so plays and lyrics attach to real songs, then stems' readable words. */
export const LOADERS: FormatLoader<KnownMsdFormat>[] = [
  uniqueTracksLoader,
  tripletsLoader,
  mxmBowLoader,
  reverseMappingLoader,
] as unknown as FormatLoader<KnownMsdFormat>[];
