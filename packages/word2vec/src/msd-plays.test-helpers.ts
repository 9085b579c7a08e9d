import path from 'node:path';
import { openMsdFile } from '@tunegraph/msd-formats';
import { msdDataDir } from '@tunegraph/msd-formats/testing';
import type { Interactions } from '@tunegraph/metrics';

/** Taste Profile triplets (relative to msdDataDir) as dense interactions; any unusable line is an error. */
export async function loadPlays(
  relativePath: string,
): Promise<Interactions & { numUsers: number; numItems: number }> {
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
  if (problems.length > 0)
    throw new Error(`${relativePath}: ${problems.length} unusable lines\n${problems.join('\n')}`);
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
