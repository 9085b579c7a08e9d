/** Bad options, a bad token sequence or a bad model buffer; `parameter` names the offending input. */
export class Word2VecInputError extends Error {
  override readonly name = 'Word2VecInputError';

  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}
