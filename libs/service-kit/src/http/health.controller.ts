import { Controller, Get, HttpException, Inject } from '@nestjs/common';
import type { Sql } from '../db/sql.client';
import type { EventBus } from '../events/event-bus';
import { EVENT_BUS, SERVICE_NAME, SQL } from '../tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(SQL) private readonly sql: Sql,
    @Inject(EVENT_BUS) private readonly bus: EventBus,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Ready when the database answers; used by readiness and liveness probes. */
  @Get('health')
  async health() {
    try {
      await this.sql`SELECT 1`;
    } catch (err) {
      throw new HttpException(
        { status: 'unavailable', service: this.service, database: (err as Error).message },
        503,
      );
    }
    return { status: 'ok', service: this.service, database: 'ok', events: this.bus.kind };
  }
}
