import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { load, scratchDir } from './workspace.mjs';

/** The first `limit` records of a musiXmatch bag-of-words file as TF-IDF-style docs, with the token total. */
export async function readBags(file, limit) {
  const { openMsdFile } = load('msd-formats');
  const reader = await openMsdFile(file, { format: 'mxm-bow' });
  const docs = [];
  let tokens = 0;
  let vocabularySize = reader.info.vocabulary?.length ?? 0;
  for await (const batch of reader.batches()) {
    for (const entry of batch) {
      if (entry.kind !== 'record' || docs.length >= limit) continue;
      const { stems, counts } = entry.value;
      docs.push({ id: docs.length, terms: stems, counts: Float32Array.from(counts) });
      for (const c of counts) tokens += c;
    }
  }
  return { docs, tokens, vocabularySize };
}

/** bench/results/<bench>/<name>/{indptr,terms,counts}.i32: the bags in CSR form, as bench/py/content_peers.py reads them. */
export function writeBagsCsr(bench, name, { docs }) {
  const dir = scratchDir(bench, name);
  const indptr = new Int32Array(docs.length + 1);
  docs.forEach((d, i) => (indptr[i + 1] = indptr[i] + d.terms.length));
  const terms = new Int32Array(indptr[docs.length]);
  const counts = new Int32Array(indptr[docs.length]);
  docs.forEach((d, i) => {
    terms.set(d.terms, indptr[i]);
    counts.set(Int32Array.from(d.counts), indptr[i]);
  });
  for (const [file, array] of Object.entries({ indptr, terms, counts })) {
    writeFileSync(path.join(dir, `${file}.i32`), new Uint8Array(array.buffer));
  }
  return dir;
}
