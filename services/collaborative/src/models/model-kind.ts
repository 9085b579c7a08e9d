import type { Interactions, Recommender } from '@tunegraph/metrics';
import { badInput, validate, type BulkTarget } from '@tunegraph/service-kit';
import type { z } from 'zod';

/** Every play as dense indexes: users 0..numUsers-1, songs 0..numItems-1. */
export interface TrainingData extends Interactions {
  numUsers: number;
  numItems: number;
}

export type ProgressLog = (fields: Record<string, unknown>, message: string) => void;

/** Where a kind that also publishes vectors (e.g. ALS song factors for vector-search) writes them. */
export interface VectorTarget extends BulkTarget {
  versionId: number;
  songIds: string[];
  userIds: string[];
}

/**
 * One collaborative model kind. The service trains, stores, loads and serves every kind the same way: a kind
 * only says how to validate its hyperparameters, fit a Recommender on plays, and read one back from its bytes.
 * To add a kind, implement this and list it in COLLABORATIVE_MODEL_KINDS (model-kinds.ts).
 */
export interface ModelKind<P extends Record<string, unknown> = Record<string, unknown>> {
  /** Lower-case name: the model_versions.model value, the CLI word and (upper-cased) the GraphQL enum value. */
  readonly name: string;
  readonly description: string;
  /** Fills defaults and rejects absurd values; every issue is reported (BAD_USER_INPUT). */
  readonly params: z.ZodType<P>;
  fit(data: TrainingData, params: P, log: ProgressLog): Promise<Recommender> | Recommender;
  /** The inverse of Recommender.toBuffer for this kind. */
  load(bytes: Buffer): Recommender;
  /** Optional extra output, e.g. song vectors in pgvector; returns their dimension. */
  publishVectors?(model: Recommender, target: VectorTarget, params: P): Promise<number>;
}

/** The kinds the service knows, looked up by name with a clear error for an unknown one. */
export class ModelRegistry {
  private readonly kinds = new Map<string, ModelKind>();

  constructor(kinds: readonly ModelKind[]) {
    for (const kind of kinds) {
      if (!/^[a-z][a-z0-9_]*$/.test(kind.name))
        throw new Error(`model kind name "${kind.name}" must be lower-case`);
      if (this.kinds.has(kind.name)) throw new Error(`model kind "${kind.name}" is registered twice`);
      this.kinds.set(kind.name, kind);
    }
  }

  names(): string[] {
    return [...this.kinds.keys()];
  }

  get(name: string): ModelKind {
    const kind = this.kinds.get(name);
    if (!kind) throw badInput(`Unknown collaborative model "${name}"; known: ${this.names().join(', ')}`);
    return kind;
  }

  /** Validates raw hyperparameters against the kind's schema, listing every problem (BAD_USER_INPUT). */
  params(name: string, raw: unknown): Record<string, unknown> {
    return validate(this.get(name).params, raw ?? {}, `${name} hyperparameters`);
  }
}
