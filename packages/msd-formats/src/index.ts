export * from './msd.types';
export { detectFormat } from './format.detector';
export { openMsdFile, probeMsdFile, assertFormat } from './msd-file.reader';
export { listMsdFiles } from './msd-files.lister';
export { fileSource, toByteSource, type ByteSource, type MsdSource } from './byte-source';
export {
  readLineBatches,
  isGzipFile,
  DEFAULT_MAX_LINE_BYTES,
  type RawLine,
  type LineEncoding,
} from './lines.reader';
export { formatTripletLine } from './triplets.codec';
export { formatUniqueTrackLine } from './unique-tracks.codec';
export { formatMxmHeader, formatMxmRecord, parseMxmVocabulary } from './mxm-bow.codec';
export { formatStemWordLine } from './mxm-reverse-mapping.codec';
export { isSongId, isTrackId, isArtistId } from './fields.validator';
