export * from './jobs/ingest.job';
export { UNKNOWN_ARTIST, artistIdFromName } from './jobs/catalog-ids';
