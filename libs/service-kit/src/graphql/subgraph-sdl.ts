import * as fs from 'node:fs';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import { NestFactory } from '@nestjs/core';
import { printSubgraphSchema } from '@apollo/subgraph';

/**
 * Builds the service's module without serving it and writes its subgraph SDL (or, with --check, fails when the
 * committed file differs). Building the module does no I/O: connections open lazily.
 */
export async function emitSubgraphSdl(
  module: unknown,
  file: string,
  argv = process.argv.slice(2),
): Promise<void> {
  const app = await NestFactory.create(module as never, { logger: false });
  await app.init();
  const sdl = printSubgraphSchema(app.get(GraphQLSchemaHost).schema) + '\n';
  await app.close();
  if (argv.includes('--check')) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== sdl) {
      console.error(`${file} is stale: run 'npm run emit-sdl' in this service and commit the result.`);
      process.exit(1);
    }
    console.log(`${file} is up to date`);
    return;
  }
  fs.writeFileSync(file, sdl);
  console.log(`wrote ${file}`);
}
