/** Thrown for bad options, wrong-dimension or non-finite vectors, unknown or duplicate ids, corrupt buffers. */
export class LshInputError extends Error {
  override readonly name: string = 'LshInputError';
}

/** Thrown by a query on an index holding no vectors, where no answer (not even an empty one) is meaningful. */
export class LshEmptyIndexError extends LshInputError {
  override readonly name: string = 'LshEmptyIndexError';
}
