import postgres from 'postgres';
import pgvector from 'pgvector';

export type Sql = postgres.Sql;
export type TransactionSql = postgres.TransactionSql;

/** One postgres.js pool. Connections open lazily, so building a module never touches the network. */
export function createSql(url: string, opts: { max?: number; appName?: string } = {}): Sql {
  return postgres(url, {
    max: opts.max ?? 4,
    idle_timeout: 30,
    connect_timeout: 30,
    onnotice: () => undefined,
    connection: { application_name: opts.appName ?? 'tunegraph' },
  });
}

/** pgvector text literal for a dense vector parameter; cast with ::vector in SQL. */
export function toVectorLiteral(values: ArrayLike<number>): string {
  return pgvector.toSql(Array.from(values)) as string;
}

export function fromVectorLiteral(text: string): Float32Array {
  return Float32Array.from(pgvector.fromSql(text) as number[]);
}

/** pgvector sparsevec literal `{i:v,...}/dim` with 1-based indexes. */
export function toSparseLiteral(terms: ArrayLike<number>, weights: ArrayLike<number>, dim: number): string {
  const parts: string[] = [];
  for (let i = 0; i < terms.length; i++) parts.push(`${terms[i] + 1}:${weights[i]}`);
  return `{${parts.join(',')}}/${dim}`;
}

export function fromSparseLiteral(text: string): { terms: Int32Array; weights: Float32Array; dim: number } {
  const match = /^\{(.*)\}\/(\d+)$/.exec(text);
  if (!match) throw new Error(`not a sparsevec literal: ${text.slice(0, 40)}`);
  const pairs = match[1] ? match[1].split(',') : [];
  const terms = new Int32Array(pairs.length);
  const weights = new Float32Array(pairs.length);
  pairs.forEach((p, i) => {
    const [k, v] = p.split(':');
    terms[i] = Number(k) - 1;
    weights[i] = Number(v);
  });
  return { terms, weights, dim: Number(match[2]) };
}
