import { IdInterner } from '@tunegraph/ids';
import type { Sql } from '@tunegraph/service-kit';

const READ_ROWS = 20_000;

/**
 * The integer keys (`idx`) of one table's ids during a bulk load that holds the table against writes: the keys
 * stored already, read first, and new ones numbered from the table's own sequence, which `commit` moves past them.
 * New ids take the slots after the stored ones, in order, so a new id's key is `first` plus its place among them.
 */
export class TableKeys {
  private readonly ids = new IdInterner(1 << 16);
  private keys = new Int32Array(1 << 16);
  private stored = 0;
  /** The key of the first new id. */
  private first = 0;

  private constructor(private readonly sequence: string) {}

  static async read(tx: Sql, table: 'users' | 'songs'): Promise<TableKeys> {
    const [{ sequence }] = await tx<
      { sequence: string }[]
    >`SELECT pg_get_serial_sequence(${table}, 'idx') AS sequence`;
    const keys = new TableKeys(sequence);
    await tx
      .unsafe<{ id: string; idx: number }[]>(`SELECT id, idx FROM ${table}`)
      .cursor(READ_ROWS, (rows) => {
        for (const r of rows) keys.set(keys.ids.slotOf(r.id), r.idx);
      });
    keys.stored = keys.ids.size;
    const [{ next }] = await tx<{ next: number }[]>`SELECT nextval(${sequence})::int AS next`;
    keys.first = next;
    return keys;
  }

  keyOf(id: string): number {
    const slot = this.ids.slotOf(id);
    return slot < this.stored ? this.keys[slot] : this.first + slot - this.stored;
  }

  /** Ids met that the table lacks, with their new keys, as rows (id, idx) in chunks. */
  *added(chunkRows = 10_000): Generator<[string, number][]> {
    for (let from = this.stored; from < this.ids.size; from += chunkRows) {
      const chunk: [string, number][] = [];
      for (let slot = from; slot < Math.min(from + chunkRows, this.ids.size); slot++)
        chunk.push([this.ids.idAt(slot), this.first + slot - this.stored]);
      yield chunk;
    }
  }

  get addedCount(): number {
    return this.ids.size - this.stored;
  }

  get storedCount(): number {
    return this.stored;
  }

  /** Moves the sequence past the keys given out, so later inserts take the next ones. */
  async commit(tx: Sql): Promise<void> {
    await tx`SELECT setval(${this.sequence}, ${this.first + this.addedCount}, false)`;
  }

  private set(slot: number, key: number) {
    if (slot >= this.keys.length) {
      const grown = new Int32Array(Math.max(slot + 1, this.keys.length * 2));
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys[slot] = key;
  }
}
