/** Conditions on the catalog a neighbour must meet; every given condition applies. */
export interface SongFilter {
  /** Leave out songs this user has played. */
  excludePlayedBy?: string;
  /** Lower-cased tags: the song, or its artist, carries at least one. */
  tags?: string[];
  yearMin?: number;
  yearMax?: number;
  artistIds?: string[];
}

export function isEmptyFilter(f: SongFilter | undefined): boolean {
  return (
    !f ||
    (!f.excludePlayedBy &&
      !f.tags?.length &&
      f.yearMin === undefined &&
      f.yearMax === undefined &&
      !f.artistIds?.length)
  );
}

/**
 * The filter as a boolean SQL expression over the song row aliased `s`, appending its values to `params`
 * (placeholders continue from params.length). Undefined when the filter is empty.
 */
export function songConditionSql(f: SongFilter, params: unknown[]): string | undefined {
  const conditions: string[] = [];
  const param = (value: unknown, cast: string) => {
    params.push(value);
    return `$${params.length}::${cast}`;
  };
  if (f.yearMin !== undefined) conditions.push(`s.year >= ${param(f.yearMin, 'int')}`);
  if (f.yearMax !== undefined) conditions.push(`s.year <= ${param(f.yearMax, 'int')}`);
  if (f.artistIds?.length) conditions.push(`s.artist_id = ANY(${param(f.artistIds, 'text[]')})`);
  if (f.tags?.length) {
    const tags = param(f.tags, 'text[]');
    conditions.push(
      `(EXISTS (SELECT 1 FROM song_tags t WHERE t.song_id = s.id AND lower(t.tag) = ANY(${tags}))
        OR EXISTS (SELECT 1 FROM artist_tags a WHERE a.artist_id = s.artist_id AND lower(a.tag) = ANY(${tags})))`,
    );
  }
  if (f.excludePlayedBy) {
    conditions.push(
      `NOT EXISTS (SELECT 1 FROM plays p WHERE p.user_id = ${param(f.excludePlayedBy, 'text')} AND p.song_id = s.id)`,
    );
  }
  return conditions.length ? conditions.join(' AND ') : undefined;
}

/**
 * The filter as a condition on an embedding row aliased `e`. It is a scalar subquery on purpose: Postgres never
 * turns it into a join, so it stays a per-row Filter on the index scan, and the scan keeps its distance order
 * (an EXISTS could become a semi-join whose plan no longer walks the vector index).
 */
export function embeddingFilterSql(f: SongFilter | undefined, params: unknown[]): string {
  const condition = f && songConditionSql(f, params);
  return condition ? ` AND (SELECT ${condition} FROM songs s WHERE s.id = e.song_id)` : '';
}
