import type { Interactions } from '@tunegraph/metrics';

/** Rows of distinct column indexes (sorted), CSR style: row r owns indices[indptr[r] .. indptr[r + 1]). */
export interface BinaryRows {
  indptr: Int32Array;
  indices: Int32Array;
}

export interface MatrixShape {
  numUsers: number;
  numItems: number;
}

/** Checks the plays against the shape and that they are usable at all; names the first bad entry. */
export function checkTrainingInput(data: Interactions, shape: MatrixShape, what: string): void {
  const { numUsers, numItems } = shape;
  if (!Number.isInteger(numUsers) || numUsers < 1 || !Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(
      `${what}: need at least 1 user and 1 item, got ${numUsers} users and ${numItems} items`,
    );
  }
  const n = data.users.length;
  if (n === 0) throw new RangeError(`${what}: there are no plays to learn from`);
  if (data.items.length !== n || data.counts.length !== n)
    throw new RangeError(`${what}: users, items and counts differ in length`);
  for (let k = 0; k < n; k++) {
    const u = data.users[k];
    const i = data.items[k];
    if (
      !(u >= 0 && u < numUsers) ||
      !(i >= 0 && i < numItems) ||
      !Number.isInteger(u) ||
      !Number.isInteger(i)
    ) {
      throw new RangeError(
        `${what}: play ${k} (user ${u}, item ${i}) is outside ${numUsers} users x ${numItems} items`,
      );
    }
  }
}

/** Each user's distinct items (the play counts are ignored: these models treat a play as a binary signal). */
export function userItemRows(data: Interactions, shape: MatrixShape): BinaryRows {
  return binaryRows(data.users, data.items, shape.numUsers);
}

/** Each item's distinct users. */
export function itemUserRows(data: Interactions, shape: MatrixShape): BinaryRows {
  return binaryRows(data.items, data.users, shape.numItems);
}

function binaryRows(rows: Int32Array, cols: Int32Array, numRows: number): BinaryRows {
  const counts = new Int32Array(numRows + 1);
  for (let k = 0; k < rows.length; k++) counts[rows[k] + 1]++;
  for (let r = 0; r < numRows; r++) counts[r + 1] += counts[r];
  const fill = counts.slice(0, numRows);
  const raw = new Int32Array(rows.length);
  for (let k = 0; k < rows.length; k++) raw[fill[rows[k]]++] = cols[k];
  // Sort each row and drop repeats, compacting in place.
  const indptr = new Int32Array(numRows + 1);
  let out = 0;
  for (let r = 0; r < numRows; r++) {
    const row = raw.subarray(counts[r], counts[r + 1]).sort();
    for (let q = 0; q < row.length; q++) if (q === 0 || row[q] !== row[q - 1]) raw[out++] = row[q];
    indptr[r + 1] = out;
  }
  return { indptr, indices: raw.slice(0, out) };
}
