import type { IncomingMessage, ServerResponse } from 'node:http';
import { CORRELATION_HEADER, currentCorrelationId, withCorrelation } from '../logging/correlation';

/** Express middleware: adopt or mint a correlation id, echo it back, and keep it for the whole request. */
export function correlationMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void) {
  const header = req.headers[CORRELATION_HEADER];
  withCorrelation(Array.isArray(header) ? header[0] : header, () => {
    res.setHeader(CORRELATION_HEADER, currentCorrelationId() ?? '');
    next();
  });
}
