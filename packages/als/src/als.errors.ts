/** Bad options, a bad interaction matrix or a bad model buffer; `parameter` names the offending input. */
export class AlsInputError extends Error {
  override readonly name = 'AlsInputError';

  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}
