export { msdDataDir } from './msd-data-dir';
export { loadPlays, type PlayData } from './test-plays';
export { loadLyrics, loadTrackArtists, loadReverseMapping, type LyricsData } from './test-lyrics';
