import { Controller, Inject } from '@nestjs/common';
import { GrpcStreamCall } from '@nestjs/microservices';
import type { sendUnaryData, ServerReadableStream } from '@grpc/grpc-js';
import { MAX_PLAYS_PER_REQUEST, type plays } from '@tunegraph/contracts';
import {
  CORRELATION_HEADER,
  LOGGER,
  badInput,
  toGrpcStatus,
  withCorrelation,
  type Logger,
} from '@tunegraph/service-kit';
import { PlaysService } from '../services/plays.service';

/**
 * Client streaming is handled on the raw call (GrpcStreamCall) rather than the generated GrpcStreamMethod: Nest's
 * buffered stream loses every message when the client's whole stream arrives before the handler runs (its buffer is
 * cleared on 'end' before it is drained), so short streams hung forever.
 */
@Controller()
export class PlaysGrpcController {
  constructor(
    private readonly plays: PlaysService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @GrpcStreamCall('PlaysService', 'RecordPlays')
  recordPlays(
    call: ServerReadableStream<plays.RecordPlaysRequest, plays.RecordPlaysResponse>,
    callback: sendUnaryData<plays.RecordPlaysResponse>,
  ) {
    const received: plays.RecordPlaysRequest[] = [];
    let tooMany = false;
    call.on('data', (request: plays.RecordPlaysRequest) => {
      if (received.length < MAX_PLAYS_PER_REQUEST) received.push(request);
      else tooMany = true;
    });
    call.on('end', () => {
      const correlationId = call.metadata.get(CORRELATION_HEADER)[0];
      void withCorrelation(typeof correlationId === 'string' ? correlationId : undefined, async () => {
        try {
          if (tooMany) throw badInput(`at most ${MAX_PLAYS_PER_REQUEST} plays per stream`);
          callback(null, await this.record(received));
        } catch (err) {
          callback(toGrpcStatus(err, this.logger));
        }
      });
    });
  }

  /** The whole stream is validated, then published as one batch (all or nothing). */
  private async record(requests: plays.RecordPlaysRequest[]): Promise<plays.RecordPlaysResponse> {
    const events = await this.plays.recordMany(
      requests.map((r, i) => {
        if (!r.event) throw badInput(`message ${i} has no event`);
        const e = r.event;
        return {
          userId: e.userId,
          songId: e.songId,
          count: e.count || 1,
          eventId: e.eventId || undefined,
          timestampMs: e.timestampMs || undefined,
        };
      }),
      'grpc',
    );
    return { accepted: events.length, rejected: 0, eventIds: events.map((e) => e.eventId), rejections: [] };
  }
}
