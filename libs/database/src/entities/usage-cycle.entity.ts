import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrgEntity } from './org.entity';

/**
 * An org's billable events (pageviews + custom events of all its sites) in one usage cycle, as the
 * workers' usage-metering job last counted them in ClickHouse. The API shows these rows and billing
 * charges them, so both see the same number.
 */
@Entity({ name: 'usage_cycles' })
export class UsageCycleEntity {
  @PrimaryColumn({ type: 'uuid', name: 'org_id', primaryKeyConstraintName: 'usage_cycles_pkey' })
  orgId!: string;

  @PrimaryColumn({ type: 'timestamptz', name: 'cycle_start', primaryKeyConstraintName: 'usage_cycles_pkey' })
  cycleStart!: Date;

  @ManyToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'usage_cycles_org_id_fkey' })
  org?: OrgEntity;

  @Column({ type: 'timestamptz', name: 'cycle_end' })
  cycleEnd!: Date;

  /** bigint: read as a string by pg, converted by the repositories. */
  @Column({ type: 'bigint' })
  events!: string;

  @Column({ type: 'timestamptz', name: 'computed_at' })
  computedAt!: Date;
}
