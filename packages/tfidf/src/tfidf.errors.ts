/** Thrown for malformed documents, vectors, options or serialized models; the message names the culprit. */
export class TfidfInputError extends Error {
  override readonly name = 'TfidfInputError';
}
