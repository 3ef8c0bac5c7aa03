import { Controller, Get, Inject } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ClickHouseClient } from '@sightline/clickhouse';
import { DomainError } from '../common/domain-error';
import { Endpoint } from '../common/endpoint.decorator';
import { CLICKHOUSE, REDIS } from '../common/tokens';
import { checkStores } from './store-health';

@Controller('api')
export class HealthController {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(CLICKHOUSE) private readonly clickhouse: ClickHouseClient,
  ) {}

  @Get('health')
  @Endpoint({ summary: 'Liveness: the process answers', access: 'public', tag: 'meta' })
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: 503 naming the stores the API cannot work without; ClickHouse is reported, not required. */
  @Get('ready')
  @Endpoint({
    summary: 'Readiness: Postgres and Redis answer (ClickHouse reported as analytics up/down)',
    access: 'public',
    tag: 'meta',
  })
  async ready(): Promise<{ status: 'ready'; analytics: 'up' | 'down' }> {
    const health = await checkStores({
      dataSource: this.dataSource,
      redis: this.redis,
      clickhouse: this.clickhouse,
    });
    if (health.missing.length)
      throw new DomainError(503, 'not_ready', `Unavailable: ${health.missing.join(', ')}`);
    return { status: 'ready', analytics: health.analytics };
  }
}
