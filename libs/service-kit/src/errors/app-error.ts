/** Stable error codes shared by every transport (GraphQL extensions.code, gRPC status, HTTP status). */
export const ERROR_CODES = {
  BAD_USER_INPUT: { grpc: 3, http: 400 },
  NOT_FOUND: { grpc: 5, http: 404 },
  CONFLICT: { grpc: 6, http: 409 },
  MODEL_NOT_READY: { grpc: 9, http: 409 },
  UNAVAILABLE: { grpc: 14, http: 503 },
  INTERNAL_SERVER_ERROR: { grpc: 13, http: 500 },
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badInput = (message: string, details: string[] = []) =>
  new AppError('BAD_USER_INPUT', message, details);
export const notFound = (message: string) => new AppError('NOT_FOUND', message);

/** Parses with a zod schema and turns every issue into one BAD_USER_INPUT error. */
export function validate<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
  what: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = result.error.issues.map((i) =>
    i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message,
  );
  throw badInput(`Invalid ${what}: ${details.join('; ')}`, details);
}

const GRPC_TO_CODE: Record<number, ErrorCode> = {
  3: 'BAD_USER_INPUT',
  5: 'NOT_FOUND',
  6: 'CONFLICT',
  9: 'MODEL_NOT_READY',
  14: 'UNAVAILABLE',
};

/** Maps an error thrown by a gRPC client call back to an AppError, keeping the remote message. */
export function fromGrpcError(error: unknown): AppError {
  const e = error as { code?: number; details?: string; message?: string };
  const code = (e.code !== undefined && GRPC_TO_CODE[e.code]) || 'UNAVAILABLE';
  return new AppError(code, e.details || e.message || 'remote call failed');
}
