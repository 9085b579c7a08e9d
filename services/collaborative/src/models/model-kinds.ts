import { alsKind } from './als.kind';
import { easeKind, itemKnnKind, popularityKind } from './baseline.kinds';
import { ModelRegistry, type ModelKind } from './model-kind';

/** Every collaborative model the service trains and serves; add a kind here to get CLI, GraphQL and gRPC support. */
export const COLLABORATIVE_MODEL_KINDS: readonly ModelKind[] = [
  alsKind,
  popularityKind,
  itemKnnKind,
  easeKind,
];

export const DEFAULT_MODEL = 'als';

export const collaborativeModels = new ModelRegistry(COLLABORATIVE_MODEL_KINDS);
