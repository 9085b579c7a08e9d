export * from './proto-files';
export * from './events/play-event.schema';
export * as catalog from './generated/tunegraph/v1/catalog';
export * as plays from './generated/tunegraph/v1/plays';
export * as recommend from './generated/tunegraph/v1/recommend';
export * as content from './generated/tunegraph/v1/content';
export * as vectors from './generated/tunegraph/v1/vectors';
