/** User-item interactions in coordinate form: entry k is (users[k], items[k], counts[k]). */
export interface Interactions {
  users: Int32Array;
  items: Int32Array;
  counts: Float32Array;
}

/** Throws on mismatched lengths, negative indexes or non-finite counts, naming the entry. */
export function validateInteractions(data: Interactions): void {
  const n = data.users.length;
  if (data.items.length !== n || data.counts.length !== n) {
    throw new RangeError(
      `interactions: users (${n}), items (${data.items.length}) and counts (${data.counts.length}) differ in length`,
    );
  }
  for (let k = 0; k < n; k++) {
    if (data.users[k] < 0)
      throw new RangeError(`interactions: entry ${k} has negative user ${data.users[k]}`);
    if (data.items[k] < 0)
      throw new RangeError(`interactions: entry ${k} has negative item ${data.items[k]}`);
    if (!Number.isFinite(data.counts[k])) {
      throw new RangeError(`interactions: entry ${k} has non-finite count ${data.counts[k]}`);
    }
  }
}
