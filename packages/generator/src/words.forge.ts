import type { Sfc32 } from './sfc32.prng';

// Syllable parts for made-up but pronounceable words; nothing is taken from the real data.
const ONSETS = 'b c d f g h j k l m n p r s t v w z br cr dr fl gr kl pl st tr sh ch th'.split(' ');
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'a', 'e', 'o', 'ai', 'ea', 'ou', 'ie'];
const CODAS = ['', '', '', '', 'n', 'r', 'l', 's', 'm', 'k', 'nd', 'st', 'sh'];
const SUFFIXES = ['', 'e', 's', 'y', 'ed', 'er', 'ing', 'en'];

const pick = <T>(rng: Sfc32, items: readonly T[]): T => items[rng.int(items.length)] as T;
const capitalize = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);

export function forgeWord(rng: Sfc32, minSyllables: number, maxSyllables: number): string {
  const syllables = minSyllables + rng.int(maxSyllables - minSyllables + 1);
  let w = '';
  // Only a first syllable may start with its vowel, which avoids vowel pile-ups such as "ouai".
  for (let i = 0; i < syllables; i++)
    w += (i === 0 && rng.float() < 0.15 ? '' : pick(rng, ONSETS)) + pick(rng, VOWELS) + pick(rng, CODAS);
  return w;
}

/** `n` distinct words; the space of syllable combinations is far larger than any n used here. */
export function forgeDistinctWords(
  rng: Sfc32,
  n: number,
  minSyllables: number,
  maxSyllables: number,
): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let attempts = 0; out.length < n; attempts++) {
    if (attempts > n * 50)
      throw new Error(`could not forge ${n} distinct words of ${minSyllables}-${maxSyllables} syllables`);
    const w = forgeWord(rng, minSyllables, maxSyllables);
    if (!seen.has(w)) {
      seen.add(w);
      out.push(w);
    }
  }
  return out;
}

/** The full word each stem stands for (stem + a common suffix), distinct across the vocabulary. */
export function forgeWordsForStems(rng: Sfc32, stems: readonly string[]): string[] {
  const used = new Set<string>();
  return stems.map((stem) => {
    const first = rng.int(SUFFIXES.length);
    for (let k = 0; k < SUFFIXES.length; k++) {
      const word = stem + SUFFIXES[(first + k) % SUFFIXES.length];
      if (!used.has(word)) {
        used.add(word);
        return word;
      }
    }
    throw new Error(`no free word for stem '${stem}'`);
  });
}

/** Distinct band-like names: "Name Name", "The Names", "Name". */
export function forgeArtistNames(rng: Sfc32, n: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (let attempts = 0; out.length < n; attempts++) {
    if (attempts > n * 50) throw new Error(`could not forge ${n} distinct artist names`);
    const style = rng.float();
    const name =
      style < 0.45
        ? `${capitalize(forgeWord(rng, 1, 2))} ${capitalize(forgeWord(rng, 1, 3))}`
        : style < 0.7
          ? `The ${capitalize(forgeWord(rng, 1, 3))}s`
          : capitalize(forgeWord(rng, 2, 3));
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

/** A 1-4 word title from a fixed lexicon, skewed to short titles. */
export function forgeTitle(rng: Sfc32, lexicon: readonly string[]): string {
  const words = 1 + Math.min(3, Math.floor(-Math.log(1 - rng.float()) * 1.2));
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(capitalize(pick(rng, lexicon)));
  return parts.join(' ');
}
