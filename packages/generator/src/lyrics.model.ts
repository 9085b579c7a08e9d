import type { LyricsBow } from '@tunegraph/msd-formats';
import { AliasTable } from './alias.sampler';
import type { Catalog } from './catalog.model';
import { type PresetShape, STRUCTURE } from './presets.config';
import type { Sfc32 } from './sfc32.prng';
import { forgeDistinctWords, forgeWordsForStems } from './words.forge';

/** musiXmatch track ids are drawn without repeats from 1..MXM_ID_SPACE through an affine bijection. */
const MXM_ID_SPACE = 10_000_000;
/** How steeply a topic's weight falls over its stems. */
const TOPIC_EXPONENT = 0.8;

export interface LyricsModel {
  /** Stems in background-frequency order, like the real vocabulary (index 0 is the most common). */
  vocabulary: string[];
  /** The full word behind each stem, for mxm_reverse_mapping.txt. */
  words: string[];
  /** Each group's topic stems, highest weight first. */
  topicStems: Int32Array[];
  /** Songs with lyrics in track-id order (the order of the real files), and their musiXmatch ids. */
  lyricSongs: Int32Array;
  mxmTrackIds: Int32Array;
}

export class LyricsSampler {
  private readonly topics: AliasTable[];
  private readonly background: AliasTable;
  private readonly tally: Int32Array;
  private readonly touched: Int32Array;

  constructor(
    readonly model: LyricsModel,
    private readonly rng: Sfc32,
  ) {
    const v = model.vocabulary.length;
    this.background = new AliasTable(Float64Array.from({ length: v }, (_, i) => 1 / (i + 1)));
    this.topics = model.topicStems.map(
      (stems) => new AliasTable(Float64Array.from(stems, (_, j) => (j + 1) ** -TOPIC_EXPONENT)),
    );
    this.tally = new Int32Array(v);
    this.touched = new Int32Array(STRUCTURE.maxTokens);
  }

  /** 30-120 tokens, each from the group's topic (60%) or the shared background (40%). */
  bagOf(trackId: string, mxmTrackId: number, group: number): LyricsBow {
    const { rng, tally, touched } = this;
    const tokens = STRUCTURE.minTokens + rng.int(STRUCTURE.maxTokens - STRUCTURE.minTokens + 1);
    const topic = this.topics[group] as AliasTable;
    const topicStems = this.model.topicStems[group] as Int32Array;
    let distinct = 0;
    for (let t = 0; t < tokens; t++) {
      const stem =
        rng.float() < STRUCTURE.topicShare
          ? (topicStems[topic.sample(rng)] as number)
          : this.background.sample(rng);
      if (tally[stem]++ === 0) touched[distinct++] = stem;
    }
    const stems = touched.slice(0, distinct).sort();
    const counts = Int32Array.from(stems, (s) => tally[s] as number);
    for (const s of stems) tally[s] = 0;
    return { trackId, mxmTrackId, stems, counts };
  }
}

export function buildLyricsModel(shape: PresetShape, catalog: Catalog, rng: Sfc32): LyricsModel {
  const v = STRUCTURE.vocabularySize;
  const vocabulary = forgeDistinctWords(rng, v, 1, 2);
  const words = forgeWordsForStems(rng, vocabulary);
  const candidates = v - STRUCTURE.topicSkipsTopStems;
  const topicStems = Array.from({ length: shape.groups }, () => {
    const pool = rng.shuffle(
      Int32Array.from({ length: candidates }, (_, i) => i + STRUCTURE.topicSkipsTopStems),
    );
    return pool.slice(0, STRUCTURE.topicStems);
  });

  const songs = catalog.songIds.length;
  const chosen = rng.shuffle(Int32Array.from({ length: songs }, (_, i) => i)).slice(0, shape.lyricsSongs);
  const trackIds = catalog.trackIds;
  const lyricSongs = chosen.sort((a, b) => ((trackIds[a] as string) < (trackIds[b] as string) ? -1 : 1));
  let multiplier = rng.int(MXM_ID_SPACE / 2) * 2 + 1;
  while (multiplier % 5 === 0) multiplier += 2;
  const offset = rng.int(MXM_ID_SPACE);
  const mxmTrackIds = Int32Array.from(lyricSongs, (_, i) => 1 + ((i * multiplier + offset) % MXM_ID_SPACE));
  return { vocabulary, words, topicStems, lyricSongs, mxmTrackIds };
}
