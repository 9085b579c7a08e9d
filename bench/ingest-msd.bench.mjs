/**
 * `npm run bench -- ingest-msd`: every file of the generator's full `msd` preset (48,373,586 triplets, the catalog's
 * unique_tracks, 237,662 songs' lyrics and the stem mapping) loaded by `tunegraph ingest` into a fresh database on
 * DATABASE_URL, timed, with the peak RSS of the ingesting process. Goals: at most 10 minutes, under 400 MB.
 */
import process from 'node:process';
import { generatedTriplets } from './lib/plays.mjs';
import { freshDatabase, queryNumber, requireDatabaseUrl, runIngest } from './lib/ingest-run.mjs';
import { fmt, log } from './lib/stats.mjs';

export const needs = ['cli', 'generator'];

export async function run() {
  const server = requireDatabaseUrl('ingest-msd');
  const { summary } = await generatedTriplets('msd', 7, {});
  const files = ['uniqueTracks', 'triplets', 'mxmBow', 'mxmReverseMapping'].map(
    (role) => summary.files[role],
  );
  const db = freshDatabase(server, 'bench_ingest_msd');
  try {
    const first = await runIngest(files, { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    const plays = queryNumber(db.url, 'SELECT count(*) FROM play_counts');
    const lyrics = queryNumber(db.url, 'SELECT count(DISTINCT track_id) FROM lyrics');
    log(
      `ingested ${plays} plays and ${lyrics} tracks' lyrics in ${first.seconds.toFixed(0)}s, peak RSS ${first.peakRssMiB.toFixed(0)} MiB`,
    );
    if (plays !== summary.triplets)
      throw new Error(`plays has ${plays} rows, the preset ${summary.triplets}`);
    return {
      results: { dataset: summary, first, plays, lyrics },
      summary:
        `ingest msd preset into PostgreSQL (${plays} triplets, ${summary.songs} songs, ${lyrics} lyric tracks, 4 files): ` +
        `${fmt(first.seconds / 60, 1)} min (goal <= 10), ${fmt(plays / first.seconds, 0)} triplets/s, ` +
        `peak RSS ${fmt(first.peakRssMiB, 0)} MiB (goal < 400)`,
    };
  } finally {
    db.drop();
  }
}
