import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { AbstractHttpAdapter, BaseExceptionFilter } from '@nestjs/core';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { throwError, type Observable } from 'rxjs';
import type { Logger } from 'pino';
import { AppError, ERROR_CODES } from './app-error';

function unwrap(error: unknown): unknown {
  return error instanceof GraphQLError && error.originalError ? error.originalError : error;
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
      const status = original.getStatus();
      const code = status === 400 ? 'BAD_USER_INPUT' : status === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR';
      return { ...formatted, extensions: { code } };
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
    if (exception instanceof AppError) {
      const res = host.switchToHttp().getResponse<{ status(n: number): { json(b: unknown): void } }>();
      res
        .status(ERROR_CODES[exception.code].http)
        .json({ code: exception.code, message: exception.message, details: exception.details });
      return;
    }
    return super.catch(exception, host);
  }
}
