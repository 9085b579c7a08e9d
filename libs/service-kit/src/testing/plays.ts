import type { Sql } from '../db/sql.client';

export interface PlayRow {
  user_id: string;
  song_id: string;
  count: number;
}

/** Stores plays as the platform's writers do, adding missing users; every song must be in the catalog already. */
export async function insertPlays(sql: Sql, plays: PlayRow[]): Promise<void> {
  for (let i = 0; i < plays.length; i += 5_000) {
    const chunk = plays.slice(i, i + 5_000);
    const users = chunk.map((p) => p.user_id);
    await sql`INSERT INTO users (id) SELECT DISTINCT unnest(${users}::text[]) ON CONFLICT DO NOTHING`;
    const stored = await sql`
      INSERT INTO play_counts (user_idx, song_idx, count)
      SELECT u.idx, s.idx, p.count
      FROM unnest(${users}::text[], ${chunk.map((p) => p.song_id)}::text[], ${chunk.map((p) => p.count)}::int[])
        AS p (user_id, song_id, count)
      JOIN users u ON u.id = p.user_id JOIN songs s ON s.id = p.song_id`;
    if (stored.count !== chunk.length)
      throw new Error(`insertPlays: ${chunk.length - stored.count} plays name unknown songs`);
  }
}
