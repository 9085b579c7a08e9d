import * as fs from 'node:fs';
import * as path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS } from './subgraphs';

/**
 * Composes the supergraph offline from the SDL files the services emit and commit; `--check` fails when the
 * committed supergraph.graphql is stale.
 */
const root = path.resolve(__dirname, '../..');
const target = path.join(root, 'gateway/supergraph.graphql');
const services = SUBGRAPHS.map((s) => {
  const file = path.join(root, 'services', s.dir, 'schema.graphql');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run 'npm run emit-sdl' in services/${s.dir}`);
  return { name: s.name, url: s.url, typeDefs: parse(fs.readFileSync(file, 'utf8')) };
});
const result = composeServices(services);
if (result.errors?.length) {
  for (const e of result.errors) console.error(e.message);
  process.exit(1);
}
const supergraph = result.supergraphSdl + '\n';
if (process.argv.includes('--check')) {
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== supergraph) {
    console.error("gateway/supergraph.graphql is stale: run 'npm run supergraph:compose' and commit it.");
    process.exit(1);
  }
  console.log('supergraph is up to date');
} else {
  fs.writeFileSync(target, supergraph);
  console.log(`wrote ${target}`);
}
