/**
 * The platform's schema, applied in order at start by whichever process connects first (under an advisory lock).
 * Append new migrations; never edit one that has shipped.
 */
export const MIGRATIONS: { id: number; name: string; sql: string }[] = [
  {
    id: 1,
    name: 'catalog, plays, lyrics, models, embeddings',
    sql: `
CREATE EXTENSION IF NOT EXISTS vector;

CREATE TABLE artists (
  id text PRIMARY KEY,
  name text NOT NULL
);

CREATE TABLE songs (
  id text PRIMARY KEY,
  title text NOT NULL,
  artist_id text NOT NULL REFERENCES artists(id),
  year int,
  search tsvector NOT NULL DEFAULT ''::tsvector
);
CREATE INDEX songs_search_idx ON songs USING gin (search);
CREATE INDEX songs_artist_idx ON songs (artist_id);

CREATE TABLE tracks (
  id text PRIMARY KEY,
  song_id text NOT NULL REFERENCES songs(id)
);
CREATE INDEX tracks_song_idx ON tracks (song_id);

CREATE TABLE users (
  id text PRIMARY KEY,
  first_seen timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plays (
  user_id text NOT NULL REFERENCES users(id),
  song_id text NOT NULL REFERENCES songs(id),
  count int NOT NULL CHECK (count > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, song_id)
);
CREATE INDEX plays_song_idx ON plays (song_id);

CREATE TABLE play_events (
  event_id text PRIMARY KEY,
  user_id text NOT NULL,
  song_id text NOT NULL,
  count int NOT NULL,
  event_time timestamptz NOT NULL,
  source text NOT NULL,
  stored_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE stems (
  idx int PRIMARY KEY,
  stem text NOT NULL UNIQUE,
  word text
);

CREATE TABLE lyrics (
  track_id text NOT NULL,
  stem_idx int NOT NULL REFERENCES stems(idx),
  count int NOT NULL CHECK (count > 0),
  PRIMARY KEY (track_id, stem_idx)
);

CREATE TABLE ingest_files (
  source text PRIMARY KEY,
  format text NOT NULL,
  encoding text,
  size_bytes bigint NOT NULL,
  fingerprint text NOT NULL,
  status text NOT NULL,
  records bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  finished_at timestamptz
);

CREATE TABLE quarantine (
  id bigserial PRIMARY KEY,
  source text NOT NULL,
  line_no bigint,
  raw text NOT NULL,
  reason text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX quarantine_source_idx ON quarantine (source);

CREATE TABLE model_versions (
  id serial PRIMARY KEY,
  model text NOT NULL,
  version int NOT NULL,
  status text NOT NULL CHECK (status IN ('training', 'ready', 'failed')),
  active boolean NOT NULL DEFAULT false,
  dim int,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  metrics jsonb NOT NULL DEFAULT '{}'::jsonb,
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  UNIQUE (model, version)
);
CREATE UNIQUE INDEX model_versions_one_active ON model_versions (model) WHERE active;

CREATE TABLE song_embeddings (
  model_version_id int NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
  song_id text NOT NULL REFERENCES songs(id),
  embedding vector NOT NULL,
  PRIMARY KEY (model_version_id, song_id)
);

CREATE TABLE user_embeddings (
  model_version_id int NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users(id),
  embedding vector NOT NULL,
  PRIMARY KEY (model_version_id, user_id)
);

CREATE TABLE song_sparse_embeddings (
  model_version_id int NOT NULL REFERENCES model_versions(id) ON DELETE CASCADE,
  song_id text NOT NULL REFERENCES songs(id),
  embedding sparsevec NOT NULL,
  PRIMARY KEY (model_version_id, song_id)
);
`,
  },
  {
    id: 2,
    name: 'model artifacts',
    sql: `
CREATE TABLE model_artifacts (
  model_version_id int PRIMARY KEY REFERENCES model_versions(id) ON DELETE CASCADE,
  artifact bytea NOT NULL
);
`,
  },
  {
    id: 3,
    name: 'ingest jobs',
    sql: `
CREATE TABLE ingest_jobs (
  id uuid PRIMARY KEY,
  paths text[] NOT NULL,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  summary jsonb,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
`,
  },
  {
    id: 4,
    name: 'tags',
    sql: `
-- Tags keyed by song (Last.fm track tags, mapped through the song-track bridge) and by artist (Echo Nest terms,
-- MusicBrainz tags). A "genre/tag" filter matches a song by either.
CREATE TABLE song_tags (
  song_id text NOT NULL REFERENCES songs(id),
  source text NOT NULL,
  tag text NOT NULL,
  weight real NOT NULL DEFAULT 1,
  PRIMARY KEY (song_id, source, tag)
);
CREATE INDEX song_tags_tag_idx ON song_tags (lower(tag));

CREATE TABLE artist_tags (
  artist_id text NOT NULL REFERENCES artists(id),
  source text NOT NULL,
  tag text NOT NULL,
  weight real NOT NULL DEFAULT 1,
  PRIMARY KEY (artist_id, source, tag)
);
CREATE INDEX artist_tags_tag_idx ON artist_tags (lower(tag));
`,
  },
  {
    id: 5,
    name: 'song and artist metadata, artist locations, Last.fm similar tracks, song-track mismatches, tag vocabularies',
    sql: `
-- From the CORGIS subset CSV: what the Echo Nest measured per song and per artist (NULL where unknown).
ALTER TABLE songs ADD COLUMN release text, ADD COLUMN duration real, ADD COLUMN tempo real,
  ADD COLUMN loudness real, ADD COLUMN key smallint, ADD COLUMN mode smallint, ADD COLUMN hotttnesss real;
-- echonest_id: the id is the Echo Nest's own (CORGIS CSV), not one derived from the name (unique_tracks).
ALTER TABLE artists ADD COLUMN hotttnesss real, ADD COLUMN familiarity real,
  ADD COLUMN echonest_id boolean NOT NULL DEFAULT false;
CREATE INDEX songs_year_idx ON songs (year);

-- From mxm_779k_matches: the musiXmatch track an MSD track was matched to.
ALTER TABLE tracks ADD COLUMN mxm_track_id int;

-- artist_location.txt covers artists of the whole MSD, most of them outside the catalog: no foreign key.
CREATE TABLE artist_locations (
  artist_id text PRIMARY KEY,
  latitude double precision,
  longitude double precision,
  name text NOT NULL,
  location text NOT NULL
);

-- The Taste Profile errata: these song-track joins are wrong, and loaders never make them.
CREATE TABLE sid_mismatches (
  song_id text NOT NULL,
  track_id text NOT NULL,
  song_artist text NOT NULL,
  song_title text NOT NULL,
  track_artist text NOT NULL,
  track_title text NOT NULL,
  PRIMARY KEY (song_id, track_id)
);
CREATE INDEX sid_mismatches_track_idx ON sid_mismatches (track_id);

-- Last.fm similar-track pairs, keyed by track like the Last.fm data itself (the other track need not be loaded).
CREATE TABLE track_similars (
  track_id text NOT NULL,
  similar_track_id text NOT NULL,
  score real NOT NULL,
  PRIMARY KEY (track_id, similar_track_id)
);

-- The subset's vocabularies: every Echo Nest term, MusicBrainz tag and artist id it knows.
CREATE TABLE vocabularies (
  vocabulary text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (vocabulary, value)
);
`,
  },
  {
    id: 6,
    name: 'byte-wise play keys',
    sql: `
-- Ids are opaque ASCII: comparing them with memcmp ("C") instead of the locale's strcoll makes building and
-- maintaining the plays keys several times cheaper, which is most of a 48 M-row load. Equality (joins, foreign
-- keys to users and songs) is unchanged.
ALTER TABLE plays ALTER COLUMN user_id TYPE text COLLATE "C", ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE play_events ALTER COLUMN event_id TYPE text COLLATE "C";
`,
  },
  {
    id: 9,
    name: 'content training jobs',
    sql: `
-- Content model trainings started over GraphQL; the caller polls progress and the resulting model version.
CREATE TABLE content_training_jobs (
  id uuid PRIMARY KEY,
  model text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}'::jsonb,
  status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  progress jsonb NOT NULL DEFAULT '{}'::jsonb,
  summary jsonb,
  error text,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
`,
  },
  {
    id: 10,
    name: 'per-user and per-song play statistics',
    sql: `
-- Computed on read from the keyed plays table, so they are exact at every moment, including a play stored through
-- Kafka a moment ago; a lookup by user or song is one index range scan. Stored copies would cost every Kafka batch
-- two more upserts (the event path is the bottleneck) or be stale.
CREATE VIEW user_play_stats AS
  SELECT user_id, count(*)::int AS songs, sum(count)::bigint AS plays, max(updated_at) AS last_played_at
  FROM plays GROUP BY user_id;
CREATE VIEW song_play_stats AS
  SELECT song_id, count(*)::int AS listeners, sum(count)::bigint AS plays FROM plays GROUP BY song_id;
`,
  },
  {
    id: 11,
    name: 'plays references kept by their writers',
    sql: `
-- plays is the table every streamed play writes. Its two foreign keys cost each new (user, song) pair two row-lock
-- lookups (FOR KEY SHARE on the user and on the song, a shared song locked by several consumer transactions at once
-- becoming a multixact): a third of the database's time per event. Its writers keep the references themselves, in the
-- same statement or transaction as the plays: the consumer stores only songs the catalog knows (others are
-- dead-lettered) and inserts the users it stores, the file loads add every user and song their plays name. No
-- path deletes users or songs.
ALTER TABLE plays DROP CONSTRAINT plays_user_id_fkey, DROP CONSTRAINT plays_song_id_fkey;
-- A play of a pair already counted updates its row: room left in each page lets the new row version stay in the
-- page without touching the two indexes (a HOT update), which with full pages every such update had to.
ALTER TABLE plays SET (fillfactor = 80);
`,
  },
  {
    id: 12,
    name: 'byte-wise catalog keys',
    sql: `
-- Every id (song, track, artist, user) compared byte-wise, as the plays keys already are (migration 6): the
-- database's locale ("C.UTF-8" or "en_US.UTF-8" alike) compares through strcoll and gets no abbreviated sort keys,
-- which made each key insert or lookup several times dearer (a load's users and placeholder songs, each streamed
-- play's song lookup and user upsert). Ids are opaque ASCII, so equality and the order of ASCII ids do not change,
-- and a column of the default collation still compares with these as "C". No table is rewritten; the keys are
-- rebuilt.
ALTER TABLE artists ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE songs ALTER COLUMN id TYPE text COLLATE "C", ALTER COLUMN artist_id TYPE text COLLATE "C";
ALTER TABLE tracks ALTER COLUMN id TYPE text COLLATE "C", ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE users ALTER COLUMN id TYPE text COLLATE "C";
ALTER TABLE play_events ALTER COLUMN user_id TYPE text COLLATE "C", ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE lyrics ALTER COLUMN track_id TYPE text COLLATE "C";
ALTER TABLE song_embeddings ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE song_sparse_embeddings ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE user_embeddings ALTER COLUMN user_id TYPE text COLLATE "C";
ALTER TABLE song_tags ALTER COLUMN song_id TYPE text COLLATE "C";
ALTER TABLE artist_tags ALTER COLUMN artist_id TYPE text COLLATE "C";
ALTER TABLE artist_locations ALTER COLUMN artist_id TYPE text COLLATE "C";
ALTER TABLE sid_mismatches ALTER COLUMN song_id TYPE text COLLATE "C", ALTER COLUMN track_id TYPE text COLLATE "C";
ALTER TABLE track_similars ALTER COLUMN track_id TYPE text COLLATE "C",
  ALTER COLUMN similar_track_id TYPE text COLLATE "C";
`,
  },
  {
    id: 13,
    name: 'integer play keys',
    sql: `
-- Plays are keyed by integers standing for the user and song ids: the two keys of a 48 M-row table, and every sort
-- and join that builds them, cost several times less on 4-byte integers than on 40- and 18-byte strings (a bulk
-- load spends most of its time building them). Each user and song gets its integer once, when first stored; ids
-- stay the catalog's identity and the only ones any API shows. \`plays\` becomes a view with the old columns.
DROP VIEW user_play_stats;
DROP VIEW song_play_stats;
ALTER TABLE users ADD COLUMN idx int GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE users ADD CONSTRAINT users_idx_key UNIQUE (idx);
ALTER TABLE songs ADD COLUMN idx int GENERATED BY DEFAULT AS IDENTITY;
ALTER TABLE songs ADD CONSTRAINT songs_idx_key UNIQUE (idx);
-- No foreign keys, as plays had none (migration 11): its writers keep the references.
CREATE TABLE play_counts (
  user_idx int NOT NULL,
  song_idx int NOT NULL,
  count int NOT NULL CHECK (count > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_idx, song_idx)
) WITH (fillfactor = 80);
CREATE INDEX play_counts_song_idx ON play_counts (song_idx);
INSERT INTO play_counts (user_idx, song_idx, count, updated_at)
  SELECT u.idx, s.idx, p.count, p.updated_at FROM plays p JOIN users u ON u.id = p.user_id JOIN songs s ON s.id = p.song_id;
DROP TABLE plays;
CREATE VIEW plays AS
  SELECT u.id AS user_id, s.id AS song_id, p.count, p.updated_at
  FROM play_counts p JOIN users u ON u.idx = p.user_idx JOIN songs s ON s.idx = p.song_idx;
CREATE VIEW user_play_stats AS
  SELECT u.id AS user_id, count(*)::int AS songs, sum(p.count)::bigint AS plays, max(p.updated_at) AS last_played_at
  FROM users u JOIN play_counts p ON p.user_idx = u.idx GROUP BY u.id;
CREATE VIEW song_play_stats AS
  SELECT s.id AS song_id, count(*)::int AS listeners, sum(p.count)::bigint AS plays
  FROM songs s JOIN play_counts p ON p.song_idx = s.idx GROUP BY s.id;
`,
  },
];
