import { basename } from 'node:path';
import { CODECS } from './codecs.registry';
import { KNOWN_MSD_FORMATS, type KnownMsdFormat, type MsdFormat } from './msd.types';

interface Fit {
  format: KnownMsdFormat;
  records: number;
  accepted: number;
}

function fit(format: KnownMsdFormat, lines: readonly string[]): Fit | undefined {
  const header = CODECS[format].requiredHeader;
  if (header !== undefined && lines[0]?.trim().toLowerCase() !== header) return undefined;
  let records = 0;
  let skipped = 0;
  let rejected = 0;
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const verdict = CODECS[format].parse(text, { lineNo: i + 1, terminated: true });
    if (verdict.kind === 'record') records++;
    else if (verdict.kind === 'skip') skipped++;
    else rejected++;
  });
  const accepted = records + skipped;
  return accepted > 0 && accepted > rejected ? { format, records, accepted } : undefined;
}

/**
 * Which format the first lines of a file (`sampleLines[0]` is line 1) are in. Content decides: the format that reads
 * the most records wins, then the one that accepts the most lines (comments and headers count), and a format only
 * qualifies if it accepts most of the sample. The file name only breaks an exact tie; a tie it cannot break, or a
 * sample no format fits, gives `unknown`.
 */
export function detectFormat(sampleLines: string[], fileName?: string): MsdFormat {
  const lines = sampleLines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const fits = KNOWN_MSD_FORMATS.map((f) => fit(f, lines)).filter((f): f is Fit => f !== undefined);
  if (fits.length === 0) return 'unknown';
  fits.sort((a, b) => b.records - a.records || b.accepted - a.accepted);
  const best = fits[0] as Fit;
  const tied = fits.filter((f) => f.records === best.records && f.accepted === best.accepted);
  if (tied.length === 1) return best.format;
  if (fileName === undefined) return 'unknown';
  const name = basename(fileName);
  const named = tied.filter((f) => CODECS[f.format].fileNameHint.test(name));
  return named.length === 1 ? (named[0] as Fit).format : 'unknown';
}
