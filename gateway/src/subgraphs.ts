/** The federated subgraphs: name, SDL file (emitted by each service) and default URL (overridable by env). */
export const SUBGRAPHS = [
  { name: 'ingestion', dir: 'ingestion', env: 'INGESTION_URL', url: 'http://127.0.0.1:4001/graphql' },
  { name: 'collaborative', dir: 'collaborative', env: 'COLLABORATIVE_URL', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'content', dir: 'content', env: 'CONTENT_URL', url: 'http://127.0.0.1:4003/graphql' },
  { name: 'vector_search', dir: 'vector-search', env: 'VECTOR_SEARCH_URL', url: 'http://127.0.0.1:4004/graphql' },
] as const;
