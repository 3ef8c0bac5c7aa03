import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { SiteEntity } from './site.entity';
import { UserEntity } from './user.entity';

/**
 * One report mail that the SMTP server accepted. Written only after acceptance; its key makes a
 * report go out once per (site, member, kind, period), however often the job runs.
 */
@Entity({ name: 'report_deliveries' })
export class ReportDeliveryEntity {
  @PrimaryColumn({ type: 'integer', name: 'site_id', primaryKeyConstraintName: 'report_deliveries_pkey' })
  siteId!: number;

  @PrimaryColumn({ type: 'uuid', name: 'user_id', primaryKeyConstraintName: 'report_deliveries_pkey' })
  userId!: string;

  /** `weekly` or `monthly`. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'report_deliveries_pkey' })
  kind!: string;

  /** First day of the period, in the site's time zone. */
  @PrimaryColumn({ type: 'date', name: 'period_start', primaryKeyConstraintName: 'report_deliveries_pkey' })
  periodStart!: string;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'report_deliveries_site_id_fkey' })
  site?: SiteEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'report_deliveries_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'timestamptz', name: 'sent_at' })
  sentAt!: Date;
}
