import { registerEnumType } from '@nestjs/graphql';
import { COLLABORATIVE_MODEL_KINDS } from '../models/model-kinds';

/** The GraphQL face of the model registry: ALS, POPULARITY, ITEMKNN, EASE, ... (value = the kind's name). */
export const CollaborativeModel: Record<string, string> = Object.fromEntries(
  COLLABORATIVE_MODEL_KINDS.map((k) => [k.name.toUpperCase(), k.name]),
);

registerEnumType(CollaborativeModel, {
  name: 'CollaborativeModel',
  description: 'A collaborative model kind',
  valuesMap: Object.fromEntries(
    COLLABORATIVE_MODEL_KINDS.map((k) => [k.name.toUpperCase(), { description: k.description }]),
  ),
});
