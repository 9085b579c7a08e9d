import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Metadata } from '@grpc/grpc-js';
import { Observable } from 'rxjs';
import { CORRELATION_HEADER, withCorrelation } from '../logging/correlation';

/** Runs each gRPC handler inside the caller's correlation id (from metadata), or a new one. */
@Injectable()
export class GrpcCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const metadata = context.switchToRpc().getContext<Metadata | undefined>();
    const id = metadata?.get?.(CORRELATION_HEADER)?.[0];
    return new Observable((subscriber) =>
      withCorrelation(typeof id === 'string' ? id : undefined, () => next.handle().subscribe(subscriber)),
    );
  }
}
