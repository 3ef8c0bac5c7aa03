import { Inject, Injectable } from '@nestjs/common';
import { DataSource, LessThan, type Repository } from 'typeorm';
import type { AdminAuditEntry } from '@sightline/api-contract';
import { AdminAuditEntryEntity } from '@sightline/database';

export interface NewAuditEntry {
  actorId: string;
  actorEmail: string;
  action: string;
  targetType: 'user' | 'org' | 'announcement';
  targetId: string;
  reason: string | null;
  details?: Record<string, unknown>;
}

/** The append-only admin audit log (the database refuses UPDATE and DELETE on it). */
@Injectable()
export class AdminAuditRepository {
  private readonly entries: Repository<AdminAuditEntryEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.entries = dataSource.getRepository(AdminAuditEntryEntity);
  }

  async append(entry: NewAuditEntry): Promise<void> {
    await this.entries.save(this.entries.create({ ...entry, details: entry.details ?? {} }));
  }

  async list(opts: { limit: number; beforeId?: string; targetId?: string }): Promise<AdminAuditEntry[]> {
    const rows = await this.entries.find({
      where: {
        ...(opts.beforeId ? { id: LessThan(opts.beforeId) } : {}),
        ...(opts.targetId ? { targetId: opts.targetId } : {}),
      },
      order: { id: 'DESC' },
      take: opts.limit,
    });
    return rows.map((r) => ({
      id: r.id,
      actorEmail: r.actorEmail,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      reason: r.reason,
      details: r.details,
      createdAt: r.createdAt.toISOString(),
    }));
  }
}
