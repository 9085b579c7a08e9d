import type { Sfc32 } from './sfc32.prng';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const HEX = '0123456789abcdef';
/** Ids start with five letters that encode a permuted index, so they are unique by construction up to 26^5. */
const PREFIX_SPACE = 26 ** 5;

type Kind = 'SO' | 'TR' | 'AR';

function randomChars(rng: Sfc32, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

/**
 * Issues MSD-looking ids (`SO`/`TR`/`AR` + 16 uppercase alphanumerics, 40-hex user ids) that are distinct by
 * construction: an affine bijection of the index forms the first characters, random characters the rest.
 */
export class IdForge {
  /** One affine map per kind, so that a song and its track do not share a visible prefix. */
  private readonly maps: Record<Kind, { multiplier: number; offset: number }>;
  private readonly userMultiplier: number;
  private readonly userOffset: number;

  constructor(private readonly rng: Sfc32) {
    const affine = () => {
      // Coprime with 26^5 = 2^5 * 13^5, hence a bijection of the prefix space.
      let multiplier = rng.int(PREFIX_SPACE / 2) * 2 + 1;
      while (multiplier % 13 === 0) multiplier += 2;
      return { multiplier, offset: rng.int(PREFIX_SPACE) };
    };
    this.maps = { SO: affine(), TR: affine(), AR: affine() };
    this.userMultiplier = (rng.u32() | 1) >>> 0;
    this.userOffset = rng.u32();
  }

  private prefix(kind: Kind, index: number): string {
    if (!(index >= 0 && index < PREFIX_SPACE))
      throw new RangeError(`id index ${index} is outside 0..${PREFIX_SPACE - 1}`);
    const { multiplier, offset } = this.maps[kind];
    let v = (index * multiplier + offset) % PREFIX_SPACE;
    let s = '';
    for (let i = 0; i < 5; i++) {
      s += LETTERS[v % 26];
      v = Math.floor(v / 26);
    }
    return s;
  }

  /** `kind` + 5 letters + 11 alphanumerics, e.g. `SOKQZTA0F3B7XD2E9K`. */
  msdId(kind: Kind, index: number): string {
    return kind + this.prefix(kind, index) + randomChars(this.rng, ALNUM, 11);
  }

  /** 40 hex digits: 8 from a bijection of the 32-bit index, 32 random. */
  userId(index: number): string {
    const head = ((Math.imul(index, this.userMultiplier) + this.userOffset) >>> 0)
      .toString(16)
      .padStart(8, '0');
    return head + randomChars(this.rng, HEX, 32);
  }
}
