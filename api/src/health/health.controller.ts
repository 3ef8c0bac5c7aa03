import { Controller, Get, Inject } from '@nestjs/common';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import type { ClickHouseClient } from '@sightline/clickhouse';
import { DomainError } from '../common/domain-error';
import { Endpoint } from '../common/endpoint.decorator';
import { CLICKHOUSE, REDIS } from '../common/tokens';

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

  /** Readiness: 503 naming the first store that does not answer. */
  @Get('ready')
  @Endpoint({ summary: 'Readiness: Postgres, Redis and ClickHouse answer', access: 'public', tag: 'meta' })
  async ready(): Promise<{ status: 'ready' }> {
    const problems: string[] = [];
    await this.dataSource.query('SELECT 1').catch(() => problems.push('postgres'));
    if (this.redis.status !== 'ready') problems.push('redis');
    const ping = await this.clickhouse.ping().catch(() => ({ success: false }));
    if (!ping.success) problems.push('clickhouse');
    if (problems.length) throw new DomainError(503, 'not_ready', `Unavailable: ${problems.join(', ')}`);
    return { status: 'ready' };
  }
}
