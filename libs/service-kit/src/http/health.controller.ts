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

  /**
   * Ready when the database answers; used by readiness and liveness probes. A consumer waiting for its broker makes
   * the service `degraded`, not unavailable: it still serves, and restarting it would not bring the broker back.
   */
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
    const consumers = this.bus.consumers();
    const status = consumers.every((c) => c.state === 'running') ? 'ok' : 'degraded';
    return { status, service: this.service, database: 'ok', events: this.bus.kind, consumers };
  }
}
