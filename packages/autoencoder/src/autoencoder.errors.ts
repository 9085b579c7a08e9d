/** Bad options, a bad interaction matrix, a bad history or a bad model buffer; `parameter` names the input. */
export class AutoencoderInputError extends Error {
  override readonly name = 'AutoencoderInputError';

  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(`${parameter}: ${message}`);
  }
}
