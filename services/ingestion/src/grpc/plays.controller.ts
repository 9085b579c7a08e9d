import { Controller } from '@nestjs/common';
import { plays } from '@tunegraph/contracts';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { MAX_PLAYS_PER_REQUEST, PlaysService } from '../services/plays.service';
import { badInput } from '@tunegraph/service-kit';

@Controller()
@plays.PlaysServiceControllerMethods()
export class PlaysGrpcController implements plays.PlaysServiceController {
  constructor(private readonly plays: PlaysService) {}

  /** Client streaming: the whole stream is validated, then published as one batch (all or nothing). */
  async recordPlays(requests: Observable<plays.RecordPlaysRequest>): Promise<plays.RecordPlaysResponse> {
    const all = await lastValueFrom(requests.pipe(toArray()));
    if (all.length > MAX_PLAYS_PER_REQUEST) throw badInput(`at most ${MAX_PLAYS_PER_REQUEST} plays per stream`);
    const events = await this.plays.recordMany(
      all.map((r, i) => {
        if (!r.event) throw badInput(`message ${i} has no event`);
        const e = r.event;
        return { userId: e.userId, songId: e.songId, count: e.count || 1, eventId: e.eventId || undefined, timestampMs: e.timestampMs || undefined };
      }),
      'grpc',
    );
    return { accepted: events.length, rejected: 0, eventIds: events.map((e) => e.eventId), rejections: [] };
  }
}
