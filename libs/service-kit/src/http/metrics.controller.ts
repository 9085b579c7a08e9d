import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Registry } from 'prom-client';
import type { Metrics } from '../metrics/metrics';
import { METRICS } from '../tokens';

@Controller()
export class MetricsController {
  constructor(@Inject(METRICS) private readonly metrics: Metrics) {}

  /** Prometheus text exposition, for scrapers (the Kubernetes pods carry the prometheus.io annotations). */
  @Get('metrics')
  @Header('content-type', Registry.PROMETHEUS_CONTENT_TYPE)
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
