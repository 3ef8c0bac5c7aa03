import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { OrgEntity } from './org.entity';

/** A tracked website. `domain` is what the tracker sends as `domain` and is stored normalised. */
@Entity({ name: 'sites' })
export class SiteEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  /** Unique among live sites only: a deleted site's domain can be added again at once. */
  @Index('sites_domain_key', { unique: true, where: '"deleted_at" IS NULL' })
  @Column({ type: 'text' })
  domain!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Every site belongs to exactly one org; deleting the org deletes its sites. */
  @Index('sites_org_id_idx')
  @Column({ type: 'uuid', name: 'org_id' })
  orgId!: string;

  @ManyToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'sites_org_id_fkey' })
  org?: OrgEntity;

  /** IANA zone used for day boundaries in reports. */
  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  /**
   * Page host names this site accepts events from (`example.com`, `*.example.com`). Empty means
   * any host; otherwise events from other hosts are refused with 403.
   */
  @Column({ type: 'text', array: true, name: 'allowed_hostnames', default: () => "'{}'" })
  allowedHostnames!: string[];

  /** ISO 4217 code revenue goals are reported in; revenue sent in other currencies is left out. */
  @Column({ type: 'text', default: 'USD' })
  currency!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;

  /**
   * Set when the site is deleted. TypeORM's find methods skip such rows, so the API and everything
   * else no longer see the site; the workers' retention sweep then deletes its ClickHouse data and
   * removes the row.
   */
  @Index('sites_deleted_at_idx', { where: '"deleted_at" IS NOT NULL' })
  @DeleteDateColumn({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;
}
