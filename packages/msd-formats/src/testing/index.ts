export { msdDataDir } from './msd-data-dir';
export { loadPlays, type PlayData } from './test-plays';
