import { Injectable } from '@nestjs/common';
import { badInput, notFound } from '@tunegraph/service-kit';
import { CatalogRepository, type SongRow } from '../repositories/catalog.repository';

export const MAX_PAGE = 100;
const ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function checkFirst(first: number | null | undefined, max = MAX_PAGE, fallback = 10): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}, got ${first}`);
  return first;
}

export function checkId(id: string, what: string): string {
  if (!ID.test(id)) throw badInput(`${what} '${id.slice(0, 40)}' is not a valid id`);
  return id;
}

@Injectable()
export class CatalogService {
  constructor(private readonly repo: CatalogRepository) {}

  async song(id: string): Promise<SongRow | null> {
    const [song] = await this.repo.songsByIds([checkId(id, 'song id')]);
    return song ?? null;
  }

  /** Songs in the order asked for; unknown ids are left out. */
  async songs(ids: string[]): Promise<SongRow[]> {
    const rows = await this.repo.songsByIds(ids);
    const byRequest = new Map<string, SongRow>();
    for (const row of rows) for (const id of row.requested) byRequest.set(id, row);
    return ids.map((id) => byRequest.get(id)).filter((s): s is SongRow => s !== undefined);
  }

  async search(query: string, first: number): Promise<SongRow[]> {
    if (query.length > 200) throw badInput('query is longer than 200 characters');
    const words = (query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 8);
    if (words.length === 0) return [];
    return this.repo.search(words, checkFirst(first));
  }

  async user(id: string): Promise<{ id: string } | null> {
    return (await this.repo.userExists(checkId(id, 'user id'))) ? { id } : null;
  }

  users(first: number) {
    return this.repo.users(checkFirst(first));
  }

  playStats(userId: string) {
    return this.repo.playStats(checkId(userId, 'user id'));
  }

  plays(userId: string, first: number) {
    return this.repo.plays(userId, checkFirst(first, 1000));
  }

  async requireSongId(id: string): Promise<string> {
    const songId = await this.repo.resolveSongId(checkId(id, 'song id'));
    if (!songId) throw notFound(`song '${id}' is not in the catalog`);
    return songId;
  }
}
