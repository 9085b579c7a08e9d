import { Injectable } from '@nestjs/common';
import type { SongRow } from '../repositories/catalog.repository';
import { CatalogService } from './catalog.service';

/**
 * Batches song look-ups made in the same tick (a page of plays, a federation _entities call) into one query.
 * Nothing is cached across ticks, so results are never stale.
 */
@Injectable()
export class SongBatchLoader {
  private pending = new Map<string, ((s: SongRow | null) => void)[]>();
  private failures = new Map<string, ((e: unknown) => void)[]>();

  constructor(private readonly catalog: CatalogService) {}

  load(id: string): Promise<SongRow | null> {
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) process.nextTick(() => void this.flush());
      this.pending.set(id, [...(this.pending.get(id) ?? []), resolve]);
      this.failures.set(id, [...(this.failures.get(id) ?? []), reject]);
    });
  }

  private async flush() {
    const pending = this.pending;
    const failures = this.failures;
    this.pending = new Map();
    this.failures = new Map();
    try {
      const rows = await this.catalog.songs([...pending.keys()]);
      const byId = new Map<string, SongRow>();
      const ids = [...pending.keys()];
      for (const id of ids) {
        const row = rows.find((r) => r.id === id || r.trackIds.includes(id));
        if (row) byId.set(id, row);
      }
      for (const [id, resolvers] of pending) for (const r of resolvers) r(byId.get(id) ?? null);
    } catch (err) {
      for (const rejects of failures.values()) for (const r of rejects) r(err);
    }
  }
}
