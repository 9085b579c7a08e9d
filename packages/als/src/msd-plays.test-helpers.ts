export { loadPlays, msdDataDir, type PlayData } from '@tunegraph/msd-formats/testing';
