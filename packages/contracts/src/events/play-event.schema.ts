import { z } from 'zod';

export const TOPICS = {
  plays: 'plays',
  playsDeadLetter: 'plays.dlq',
  playsStored: 'plays.stored',
  modelActivated: 'models.activated',
  lyricsStored: 'lyrics.stored',
  vectorsStored: 'vectors.stored',
} as const;

export const PLAY_SOURCES = ['graphql', 'grpc', 'http', 'replay', 'test'] as const;

const id = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, `${what} is empty`)
    .max(128, `${what} is longer than 128 characters`)
    .regex(/^[\x21-\x7e]+$/, `${what} must be printable ASCII without spaces`);

export const SONG_ID = /^(SO|TR)[A-Z0-9]{16}$/;

/** The most plays one request may carry (GraphQL recordPlays, a gRPC stream, an HTTP batch). */
export const MAX_PLAYS_PER_REQUEST = 10_000;
/** What a JSON request of MAX_PLAYS_PER_REQUEST plays may weigh: about 3.6 MB with the longest ids allowed. */
export const PLAYS_REQUEST_BODY_LIMIT = '5mb';

/** A day of client clock skew is allowed; later is a mistake (microseconds sent as milliseconds, say). */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;

/** A play as it travels on the `plays` topic, keyed by user id. */
export const playEventSchema = z.object({
  eventId: id('eventId'),
  userId: id('userId'),
  songId: z.string().regex(SONG_ID, 'songId must look like SO + 16 characters (or a TR track id)'),
  count: z
    .number()
    .int('count must be an integer')
    .min(1, 'count must be at least 1')
    .max(100_000, 'count must be at most 100000'),
  timestampMs: z
    .number()
    .int()
    .nonnegative()
    .refine(
      (ms) => ms <= Date.now() + FUTURE_SLACK_MS,
      'timestampMs is more than a day in the future: it counts milliseconds since 1970',
    ),
  source: z.enum(PLAY_SOURCES),
});
export type PlayEvent = z.infer<typeof playEventSchema>;

/** Published after plays are stored, so models can fold the user in. */
export const playsStoredSchema = z.object({
  userIds: z.array(id('userId')).min(1),
  events: z.number().int().nonnegative(),
});
export type PlaysStored = z.infer<typeof playsStoredSchema>;

/** Published when a model version becomes active, so indexes (LSH) and caches rebuild. */
export const modelActivatedSchema = z.object({
  model: z.string().min(1),
  version: z.number().int().positive(),
  collection: z.string().min(1),
});
export type ModelActivated = z.infer<typeof modelActivatedSchema>;

/**
 * Published by ingestion after a lyrics load, with the songs whose lyrics were added or changed, so content models
 * embed them at once (cold start). Large loads are split into several messages.
 */
export const lyricsStoredSchema = z.object({
  songIds: z
    .array(z.string().regex(SONG_ID, 'songIds must look like SO + 16 characters (or a TR track id)'))
    .min(1)
    .max(5000),
});
export type LyricsStored = z.infer<typeof lyricsStoredSchema>;

/**
 * Published by content after it wrote vectors of new songs into an existing model version (cold start), so the lsh
 * service adds them to its index at once instead of at its next rebuild. Large batches are split.
 */
export const vectorsStoredSchema = z.object({
  collection: z.string().min(1),
  /** The model version's database id (song_embeddings.model_version_id). */
  versionId: z.number().int().positive(),
  songIds: z
    .array(z.string().regex(SONG_ID, 'songIds must look like SO + 16 characters (or a TR track id)'))
    .min(1)
    .max(5000),
});
export type VectorsStored = z.infer<typeof vectorsStoredSchema>;

/** A message that failed validation, with every reason, as written to a dead-letter topic. */
export const deadLetterSchema = z.object({
  topic: z.string(),
  reason: z.string(),
  payload: z.string(),
  failedAt: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

export const EVENT_SCHEMAS = {
  [TOPICS.plays]: playEventSchema,
  [TOPICS.playsStored]: playsStoredSchema,
  [TOPICS.modelActivated]: modelActivatedSchema,
  [TOPICS.lyricsStored]: lyricsStoredSchema,
  [TOPICS.vectorsStored]: vectorsStoredSchema,
  [TOPICS.playsDeadLetter]: deadLetterSchema,
} as const;
export type TopicName = keyof typeof EVENT_SCHEMAS;
export type EventOf<T extends TopicName> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
