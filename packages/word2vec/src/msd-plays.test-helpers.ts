import { existsSync } from 'node:fs';
import path from 'node:path';
import { openMsdFile } from '@tunegraph/msd-formats';
import type { Interactions } from '@tunegraph/metrics';

/** The shared read-only MSD sample folder; fails loudly when it is missing so data tests never pass vacuously. */
export function msdDataDir(): string {
  let root = __dirname;
  while (!existsSync(path.join(root, 'turbo.json'))) {
    const parent = path.dirname(root);
    if (parent === root) throw new Error(`no turbo.json above ${__dirname}: cannot locate the repo root`);
    root = parent;
  }
  const dir = process.env.MSD_DATA_DIR ?? path.resolve(root, '../shared/data/msd');
  if (!existsSync(dir)) {
    throw new Error(`MSD sample data not found at ${dir}; set MSD_DATA_DIR to the folder holding SOURCES.md`);
  }
  return dir;
}

/** Taste Profile triplets (relative to msdDataDir) as dense interactions; any unusable line is an error. */
export async function loadPlays(relativePath: string): Promise<Interactions & { numUsers: number; numItems: number }> {
  const file = await openMsdFile(path.join(msdDataDir(), relativePath), { format: 'triplets' });
  const userIndex = new Map<string, number>();
  const songIndex = new Map<string, number>();
  const users: number[] = [];
  const items: number[] = [];
  const counts: number[] = [];
  const problems: string[] = [];
  for await (const line of file.records()) {
    if (line.kind === 'rejected') {
      problems.push(`line ${line.lineNo}: ${line.reason}`);
      continue;
    }
    users.push(denseIndex(userIndex, line.value.userId));
    items.push(denseIndex(songIndex, line.value.songId));
    counts.push(line.value.count);
  }
  if (problems.length > 0) throw new Error(`${relativePath}: ${problems.length} unusable lines\n${problems.join('\n')}`);
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    counts: Float32Array.from(counts),
    numUsers: userIndex.size,
    numItems: songIndex.size,
  };
}

function denseIndex(index: Map<string, number>, id: string): number {
  let i = index.get(id);
  if (i === undefined) {
    i = index.size;
    index.set(id, i);
  }
  return i;
}
