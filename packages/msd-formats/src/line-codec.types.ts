import type { KnownMsdFormat, MsdRecordMap } from './msd.types';

export interface LineContext {
  /** 1-based. */
  lineNo: number;
  /** False only for a final line that the file does not end with a newline. */
  terminated: boolean;
  /** mxm-bow: vocabulary size; undefined while detecting a format, where only the shape of a line is checked. */
  vocabularySize?: number;
  /** mxm-bow: the line that held the `%` vocabulary. */
  vocabularyLineNo?: number;
}

export type LineVerdict<T> =
  { kind: 'record'; value: T } | { kind: 'skip' } | { kind: 'reject'; reason: string };

/** One format's line grammar: the reader and the detector both use it, so there is one definition per format. */
export interface LineCodec<F extends KnownMsdFormat> {
  readonly format: F;
  /** File-name pattern used only to break ties between formats that fit the content equally well. */
  readonly fileNameHint: RegExp;
  /** Lower-case first line without which detection never picks this format (for formats that fit any text). */
  readonly requiredHeader?: string;
  parse(line: string, ctx: LineContext): LineVerdict<MsdRecordMap[F]>;
}

export const SKIP: LineVerdict<never> = { kind: 'skip' };

export const reject = (reason: string): LineVerdict<never> => ({ kind: 'reject', reason });

export const record = <T>(value: T): LineVerdict<T> => ({ kind: 'record', value });

/** `<SEP>` is the literal separator of the official MSD text files. */
export const SEP = '<SEP>';

/** Splits on `<SEP>` and reports a wrong field count the same way in every `<SEP>` format. */
export function splitSep(line: string, expected: number): string[] | string {
  const fields = line.split(SEP);
  return fields.length === expected
    ? fields
    : `expected ${expected} fields separated by ${SEP}, got ${fields.length}`;
}
