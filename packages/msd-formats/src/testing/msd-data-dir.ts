import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function repoRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'turbo.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no turbo.json above ${__dirname}: cannot locate the repository root`);
  }
}

/** The read-only MSD sample folder; tests that need it fail loudly rather than skip when it is missing. */
export function msdDataDir(): string {
  const dir = process.env.MSD_DATA_DIR ?? resolve(repoRoot(), '../shared/data/msd');
  if (!existsSync(join(dir, 'SOURCES.md'))) {
    throw new Error(
      `MSD sample data not found at ${dir} (no SOURCES.md): set MSD_DATA_DIR to the MSD fixtures folder`,
    );
  }
  return dir;
}
