export { msdDataDir } from './msd-data-dir';
