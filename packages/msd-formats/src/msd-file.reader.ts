import { type ByteSource, type MsdSource, toByteSource } from './byte-source';
import { CODECS } from './codecs.registry';
import { detectFormat } from './format.detector';
import type { LineCodec, LineContext } from './line-codec.types';
import { DEFAULT_MAX_LINE_BYTES, isGzipFile, type RawLine, readLineBatches } from './lines.reader';
import { parseMxmVocabulary } from './mxm-bow.codec';
import type {
  AnyMsdFile,
  KnownMsdFormat,
  MsdEncoding,
  MsdFile,
  MsdFileInfo,
  MsdFileStats,
  MsdRecordMap,
  Parsed,
} from './msd.types';

/** Enough lines to tell formats apart; `#` comment lines do not count towards it, so long mxm headers fit. */
const SAMPLE_LINES = 32;
const SAMPLE_MAX_LINES = 2_000;

/** Which kinds of non-ASCII lines a file has shown so far. */
class EncodingSeen {
  private latin1 = false;
  private utf8 = false;

  note(line: RawLine): void {
    if (line.encoding === 'latin1') this.latin1 = true;
    else if (line.encoding === 'utf-8') this.utf8 = true;
  }

  get encoding(): MsdEncoding {
    if (!this.latin1) return 'utf-8';
    return this.utf8 ? 'mixed' : 'latin1';
  }
}

async function sampleHead(source: ByteSource, seen: EncodingSeen): Promise<RawLine[]> {
  const sample: RawLine[] = [];
  let dataLines = 0;
  for await (const batch of readLineBatches(source)) {
    for (const line of batch) {
      seen.note(line);
      sample.push(line);
      if (!line.text.startsWith('#')) dataLines++;
      if (dataLines >= SAMPLE_LINES || sample.length >= SAMPLE_MAX_LINES) return sample;
    }
  }
  return sample;
}

function readVocabulary(path: string, sample: readonly RawLine[]): { words: string[]; lineNo: number } {
  const line = sample.find((l) => !l.text.startsWith('#') && l.text.trim() !== '');
  if (line === undefined || !line.text.startsWith('%')) {
    throw new Error(`${path}: mxm-bow file has no '%' vocabulary line before its first record`);
  }
  if (line.overlongBytes > 0)
    throw new Error(`${path} line ${line.lineNo}: vocabulary line is over the line length limit`);
  const words = parseMxmVocabulary(line.text);
  if (typeof words === 'string') throw new Error(`${path} line ${line.lineNo}: ${words}`);
  return { words, lineNo: line.lineNo };
}

function blankReason(text: string): string | undefined {
  if (text.length === 0) return 'empty line';
  return text.charCodeAt(0) <= 32 && text.trim() === '' ? 'blank line (only whitespace)' : undefined;
}

class MsdFileReader<F extends KnownMsdFormat> implements MsdFile<F> {
  private current: MsdFileStats = { lines: 0, records: 0, rejected: 0, skipped: 0, latin1Lines: 0 };

  constructor(
    readonly info: MsdFileInfo<F>,
    private readonly codec: LineCodec<F>,
    private readonly seen: EncodingSeen,
    private readonly vocabularyLineNo: number | undefined,
    private readonly source: ByteSource,
  ) {}

  get format(): F {
    return this.info.format;
  }

  stats(): MsdFileStats {
    return { ...this.current };
  }

  async *records(): AsyncGenerator<Parsed<MsdRecordMap[F]>> {
    for await (const batch of this.batches()) yield* batch;
  }

  async *batches(): AsyncGenerator<Parsed<MsdRecordMap[F]>[]> {
    const stats: MsdFileStats = { lines: 0, records: 0, rejected: 0, skipped: 0, latin1Lines: 0 };
    this.current = stats;
    const ctx: LineContext = {
      lineNo: 0,
      terminated: true,
      vocabularySize: this.info.vocabulary?.length,
      vocabularyLineNo: this.vocabularyLineNo,
    };
    for await (const lines of readLineBatches(this.source)) {
      const batch: Parsed<MsdRecordMap[F]>[] = [];
      for (const line of lines) {
        stats.lines++;
        if (line.encoding === 'latin1') stats.latin1Lines++;
        this.seen.note(line);
        const { lineNo, text } = line;
        let reason = blankReason(text);
        if (line.overlongBytes > 0) {
          reason = `line is ${line.overlongBytes} bytes long, over the ${DEFAULT_MAX_LINE_BYTES}-byte limit`;
        }
        if (reason === undefined) {
          ctx.lineNo = lineNo;
          ctx.terminated = line.terminated;
          const verdict = this.codec.parse(text, ctx);
          if (verdict.kind === 'skip') {
            stats.skipped++;
            continue;
          }
          if (verdict.kind === 'record') {
            stats.records++;
            batch.push({ kind: 'record', lineNo, value: verdict.value });
            continue;
          }
          reason = verdict.reason;
        }
        stats.rejected++;
        if (line.member !== undefined) reason = `${line.member}: ${reason}`;
        batch.push({ kind: 'rejected', lineNo, raw: text, reason });
      }
      this.info.encoding = this.seen.encoding;
      if (batch.length > 0) yield batch;
    }
  }
}

/**
 * Format, compression and (for a well-formed mxm-bow file) vocabulary, from the first lines of a file. Never
 * throws over content: `unknown` is a valid answer, and openMsdFile reports what is wrong with a broken header.
 */
export async function probeMsdFile(source: MsdSource): Promise<MsdFileInfo> {
  const { info, sample } = await probe(toByteSource(source));
  if (info.format === 'mxm-bow') {
    try {
      info.vocabulary = readVocabulary(info.path, sample).words;
    } catch {
      // The header problem is openMsdFile's to report; a probe only describes.
    }
  }
  return info;
}

async function probe(
  source: ByteSource,
): Promise<{ info: MsdFileInfo; sample: RawLine[]; seen: EncodingSeen }> {
  const seen = new EncodingSeen();
  const path = source.path;
  const compressed = await isGzipFile(source);
  const sample = await sampleHead(source, seen);
  const format = detectFormat(
    sample.map((l) => l.text),
    path,
  );
  return { info: { path, format, compressed, encoding: seen.encoding }, sample, seen };
}

/**
 * Opens a file for streaming. The format is detected from the content unless `opts.format` forces one; a file
 * no format fits is an error, as is an mxm-bow file without a usable vocabulary line.
 */
export async function openMsdFile<F extends KnownMsdFormat>(
  source: MsdSource,
  opts: { format: F },
): Promise<MsdFile<F>>;
export async function openMsdFile(source: MsdSource, opts?: { format?: KnownMsdFormat }): Promise<AnyMsdFile>;
export async function openMsdFile(
  source: MsdSource,
  opts: { format?: KnownMsdFormat } = {},
): Promise<AnyMsdFile> {
  const bytes = toByteSource(source);
  const path = bytes.path;
  const { info, sample, seen } = await probe(bytes);
  const format = opts.format ?? info.format;
  if (format === 'unknown') {
    throw new Error(
      `${path}: the first lines fit none of the MSD formats (${Object.keys(CODECS).join(', ')}); name its format to load it anyway`,
    );
  }
  let vocabularyLineNo: number | undefined;
  info.format = format;
  if (format === 'mxm-bow') {
    const vocabulary = readVocabulary(path, sample);
    info.vocabulary = vocabulary.words;
    vocabularyLineNo = vocabulary.lineNo;
  }
  return new MsdFileReader(
    info as MsdFileInfo<typeof format>,
    CODECS[format] as LineCodec<typeof format>,
    seen,
    vocabularyLineNo,
    bytes,
  ) as AnyMsdFile;
}

/** Narrows an opened file to the format the caller needs, or throws naming both formats. */
export function assertFormat<F extends KnownMsdFormat>(file: AnyMsdFile, format: F): MsdFile<F> {
  if (file.format !== format)
    throw new Error(`${file.info.path}: expected a ${format} file, found ${file.format}`);
  return file as unknown as MsdFile<F>;
}
