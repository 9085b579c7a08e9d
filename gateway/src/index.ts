export * from './config';
export * from './gateway.server';
export * from './subgraphs';
