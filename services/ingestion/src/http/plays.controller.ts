import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { TOPICS } from '@tunegraph/contracts';
import { EVENT_BUS, badInput, type EventBus } from '@tunegraph/service-kit';
import { PlaysService, type PlayRequest } from '../services/plays.service';

/** Bulk replay over HTTP: POST /plays/batch with { plays: [...] } or a JSON array. */
@Controller('plays')
export class PlaysHttpController {
  constructor(
    private readonly plays: PlaysService,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
  ) {}

  @Post('batch')
  @HttpCode(202)
  async batch(@Body() body: unknown) {
    const list = Array.isArray(body) ? body : (body as { plays?: unknown })?.plays;
    if (!Array.isArray(list)) throw badInput('body must be a JSON array of plays or { "plays": [...] }');
    const events = await this.plays.recordMany(list as PlayRequest[], 'http');
    return { accepted: events.length, eventIds: events.map((e) => e.eventId) };
  }

  /** Consumer lag of the play store, for operators and autoscalers. */
  @Get('lag')
  async lag() {
    return { topic: TOPICS.plays, group: 'ingestion', lag: await this.bus.lag('ingestion', TOPICS.plays) };
  }
}
