import { SeededRandom } from '@tunegraph/vectors';
import type { Sql } from '@tunegraph/service-kit';
import { insertPlays } from '@tunegraph/service-kit/testing';

/** Two disjoint taste groups: users of group g only ever play songs of group g. */
export const GROUPS = ['A', 'B'] as const;
export const USERS_PER_GROUP = 30;
export const SONGS_PER_GROUP = 10;
export const SONGS_PER_USER = 6;

export const songId = (group: string, i: number) => `SOGROUP${group}${String(i).padStart(9, '0')}`;
export const userId = (group: string, i: number) => `user-${group}-${String(i).padStart(2, '0')}`;
export const groupOfSong = (id: string) => id.charAt(7);

export async function seedCatalog(sql: Sql): Promise<void> {
  await sql`INSERT INTO artists (id, name) VALUES ('ARPLANTED00000000', 'Planted')`;
  const songs = GROUPS.flatMap((g) =>
    Array.from({ length: SONGS_PER_GROUP }, (_, i) => ({
      id: songId(g, i),
      title: `Song ${g}${i}`,
      artist_id: 'ARPLANTED00000000',
    })),
  );
  await sql`INSERT INTO songs ${sql(songs, 'id', 'title', 'artist_id')}`;
  const users = GROUPS.flatMap((g) =>
    Array.from({ length: USERS_PER_GROUP }, (_, i) => ({ id: userId(g, i) })),
  );
  await sql`INSERT INTO users ${sql(users, 'id')}`;
}

/** Each user plays SONGS_PER_USER random songs of their group, 1..5 times each (seeded). */
export async function seedPlantedPlays(sql: Sql, seed = 7): Promise<void> {
  const rng = new SeededRandom(seed);
  const plays: { user_id: string; song_id: string; count: number }[] = [];
  for (const g of GROUPS) {
    for (let u = 0; u < USERS_PER_GROUP; u++) {
      const order = Int32Array.from({ length: SONGS_PER_GROUP }, (_, i) => i);
      rng.shuffle(order);
      for (let k = 0; k < SONGS_PER_USER; k++) {
        plays.push({ user_id: userId(g, u), song_id: songId(g, order[k]), count: 1 + rng.nextInt(5) });
      }
    }
  }
  await insertPlays(sql, plays);
}

export { recordingBus } from '@tunegraph/service-kit/testing';
