import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { SiteEntity } from './site.entity';

/** A stored step: a pageview path pattern or a custom event name (validated by the API). */
export type FunnelStepRecord = { kind: 'page'; pattern: string } | { kind: 'event'; name: string };

/** A site's funnel: 2–8 ordered steps, computed on demand in ClickHouse. Deleted with the site. */
@Entity({ name: 'funnels' })
@Index('funnels_site_id_name_key', ['siteId', 'name'], { unique: true })
export class FunnelEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'funnels_pkey' })
  id!: string;

  @Column({ type: 'integer', name: 'site_id' })
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'funnels_site_id_fkey' })
  site?: SiteEntity;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'jsonb' })
  steps!: FunnelStepRecord[];

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
