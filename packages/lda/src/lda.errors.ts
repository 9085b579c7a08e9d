/** Bad options, a malformed document or a bad model buffer; the message names the culprit. */
export class LdaInputError extends Error {
  override readonly name = 'LdaInputError';
}
