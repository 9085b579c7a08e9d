import { GrowthBudget, IdInterner } from '@tunegraph/ids';
import type { Sql } from '@tunegraph/service-kit';

const READ_ROWS = 20_000;

/**
 * The integer keys (`idx`) of one table's ids during a bulk load that holds the table against writes: the keys
 * stored already, read first, and new ones numbered from the table's own sequence, which `commit` moves past them.
 * New ids take the slots after the stored ones, in order, so a new id's key is `first` plus its place among them.
 * The ids are held within `budget`: once it is spent, an id not held has no key here (-1), stored or not.
 */
export class TableKeys {
  private readonly ids: IdInterner;
  private keys = new Int32Array(1 << 12);
  private stored = 0;
  /** The key of the first new id. */
  private first = 0;

  private constructor(
    private readonly sequence: string,
    budget: GrowthBudget,
  ) {
    this.ids = new IdInterner(1 << 12, budget);
  }

  static async read(tx: Sql, table: 'users' | 'songs', budget: GrowthBudget): Promise<TableKeys> {
    const [{ sequence }] = await tx<
      { sequence: string }[]
    >`SELECT pg_get_serial_sequence(${table}, 'idx') AS sequence`;
    const keys = new TableKeys(sequence, budget);
    await tx
      .unsafe<{ id: string; idx: number }[]>(`SELECT id, idx FROM ${table}`)
      .cursor(READ_ROWS, (rows) => {
        for (const r of rows) {
          const slot = keys.ids.slotOf(r.id);
          if (slot >= 0) keys.set(slot, r.idx);
        }
      });
    keys.stored = keys.ids.size;
    const [{ next }] = await tx<{ next: number }[]>`SELECT nextval(${sequence})::int AS next`;
    keys.first = next;
    return keys;
  }

  /** The id's key, given now when it is new; -1 when the budget holds no room for it. */
  keyOf(id: string): number {
    const slot = this.ids.slotOf(id);
    if (slot < 0) return -1;
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
