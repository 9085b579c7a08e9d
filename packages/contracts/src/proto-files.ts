import * as path from 'node:path';

/** Folder holding the .proto sources; the same depth from src/ and dist/, so it resolves in tests and at run time. */
export const PROTO_ROOT = path.resolve(__dirname, '../../../proto');

export const PROTO_FILES = {
  catalog: 'tunegraph/v1/catalog.proto',
  plays: 'tunegraph/v1/plays.proto',
  recommend: 'tunegraph/v1/recommend.proto',
  content: 'tunegraph/v1/content.proto',
  vectors: 'tunegraph/v1/vectors.proto',
} as const;

export const PROTO_LOADER_OPTIONS = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};
