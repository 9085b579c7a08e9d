import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { AbstractHttpAdapter, BaseExceptionFilter } from '@nestjs/core';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { AppError, ERROR_CODES, type ErrorCode } from './app-error';

function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
}

/** The stable code of an HTTP status raised by Nest or Express itself (a body that is not JSON, no such route). */
export function codeOfStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  if (status === 409) return 'CONFLICT';
  return status >= 400 && status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
}

/** The 4xx status of an error Nest (HttpException) or Express's body parser (http-errors, `expose`) raised. */
export function clientErrorStatus(exception: unknown): number | undefined {
  const httpError = exception as { status?: unknown; expose?: unknown };
  const status =
    exception instanceof HttpException
      ? exception.getStatus()
      : httpError.expose === true && typeof httpError.status === 'number'
        ? httpError.status
        : undefined;
  return status !== undefined && status >= 400 && status < 500 ? status : undefined;
}

/** GraphQL: every error leaves with a stable extensions.code; internals are logged, not leaked. */
export function graphqlErrorFormatter(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrap(error);
    if (original instanceof AppError) {
      return {
        ...formatted,
        message: original.message,
        extensions: { code: original.code, details: original.details },
      };
    }
    if (original instanceof HttpException) {
      return { ...formatted, extensions: { code: codeOfStatus(original.getStatus()) } };
    }
    const code = formatted.extensions?.code;
    if (typeof code === 'string' && code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: original }, 'unhandled error in a resolver');
    return {
      message: 'Internal server error',
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** The gRPC status for an error: AppError codes map to status codes, anything else is logged and INTERNAL. */
export function toGrpcStatus(
  exception: unknown,
  logger: Logger,
): { code: number; message: string; details: string } {
  if (exception instanceof AppError) {
    return { code: ERROR_CODES[exception.code].grpc, message: exception.message, details: exception.message };
  }
  logger.error({ err: exception }, 'unhandled error in a gRPC handler');
  return {
    code: ERROR_CODES.INTERNAL_SERVER_ERROR.grpc,
    message: 'internal error',
    details: 'internal error',
  };
}

/**
 * One filter for every transport: gRPC gets a status code, HTTP a status and JSON body naming the code and each
 * issue, GraphQL passes the error on to graphqlErrorFormatter.
 */
@Catch()
export class TransportExceptionFilter extends BaseExceptionFilter {
  constructor(
    adapter: AbstractHttpAdapter,
    private readonly logger: Logger,
  ) {
    super(adapter);
  }

  override catch(exception: unknown, host: ArgumentsHost): Observable<never> | unknown {
    const type = host.getType<'http' | 'rpc' | 'graphql'>();
    if (type === 'graphql') return exception;
    if (type === 'rpc') return throwError(() => toGrpcStatus(exception, this.logger));
    const res = host.switchToHttp().getResponse<{ status(n: number): { json(b: unknown): void } }>();
    if (exception instanceof AppError) {
      res
        .status(ERROR_CODES[exception.code].http)
        .json({ code: exception.code, message: exception.message, details: exception.details });
      return;
    }
    // Raised before any handler ran (a body that is not JSON or too large, an unknown route): the same body shape.
    const status = clientErrorStatus(exception);
    if (status !== undefined) {
      res
        .status(status)
        .json({ code: codeOfStatus(status), message: (exception as Error).message, details: [] });
      return;
    }
    return super.catch(exception, host);
  }
}
