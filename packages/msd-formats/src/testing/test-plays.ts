import path from 'node:path';
import { openMsdFile } from '../msd-file.reader';
import { msdDataDir } from './msd-data-dir';

export interface PlayData {
  users: Int32Array;
  items: Int32Array;
  counts: Float32Array;
  /** Dense index -> original id, in order of first appearance. */
  userIds: string[];
  songIds: string[];
}

/** Reads a Taste Profile triplets file (relative to msdDataDir) into dense COO arrays; any bad line is an error. */
export async function loadPlays(relativePath: string): Promise<PlayData> {
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
    const { userId, songId, count } = line.value;
    users.push(denseIndex(userIndex, userId));
    items.push(denseIndex(songIndex, songId));
    counts.push(count);
  }
  if (problems.length > 0)
    throw new Error(`${relativePath}: ${problems.length} unusable lines\n${problems.join('\n')}`);
  return {
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    counts: Float32Array.from(counts),
    userIds: [...userIndex.keys()],
    songIds: [...songIndex.keys()],
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
