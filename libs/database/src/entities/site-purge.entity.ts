import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A site whose Postgres row is gone (its org was deleted with an account) and whose ClickHouse
 * events still have to be removed. Written in the same transaction as the deletion, removed once
 * the events are gone, so a failed ClickHouse delete is retried and nothing is forgotten.
 */
@Entity({ name: 'site_purges' })
export class SitePurgeEntity {
  @PrimaryColumn({ type: 'integer', name: 'site_id', primaryKeyConstraintName: 'site_purges_pkey' })
  siteId!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'requested_at' })
  requestedAt!: Date;
}
