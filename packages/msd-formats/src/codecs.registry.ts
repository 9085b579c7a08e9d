import { artistLocationCodec } from './artist-location.codec';
import { artistMbtagsCodec, artistTermsCodec } from './artist-tags.codec';
import { corgisSongsCodec } from './corgis.codec';
import { lastfmTrackCodec } from './lastfm.codec';
import type { LineCodec } from './line-codec.types';
import { mxmBowCodec } from './mxm-bow.codec';
import { mxmMatchesCodec } from './mxm-matches.codec';
import { mxmReverseMappingCodec } from './mxm-reverse-mapping.codec';
import type { KnownMsdFormat } from './msd.types';
import { sidMismatchesCodec } from './sid-mismatches.codec';
import { tripletsCodec } from './triplets.codec';
import { uniqueTracksCodec } from './unique-tracks.codec';
import { artistIdsCodec, mbtagVocabularyCodec, termVocabularyCodec } from './vocabulary.codec';

export const CODECS: { readonly [F in KnownMsdFormat]: LineCodec<F> } = {
  triplets: tripletsCodec,
  'unique-tracks': uniqueTracksCodec,
  'mxm-bow': mxmBowCodec,
  'mxm-reverse-mapping': mxmReverseMappingCodec,
  'mxm-matches': mxmMatchesCodec,
  'sid-mismatches': sidMismatchesCodec,
  'artist-location': artistLocationCodec,
  'corgis-songs': corgisSongsCodec,
  'artist-terms': artistTermsCodec,
  'artist-mbtags': artistMbtagsCodec,
  'artist-ids': artistIdsCodec,
  'term-vocabulary': termVocabularyCodec,
  'mbtag-vocabulary': mbtagVocabularyCodec,
  'lastfm-track': lastfmTrackCodec,
};
