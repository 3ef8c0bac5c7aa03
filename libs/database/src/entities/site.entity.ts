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
import { OrgEntity } from './org.entity';

/** A tracked website. `domain` is what the tracker sends as `domain` and is stored normalised. */
@Entity({ name: 'sites' })
export class SiteEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id!: number;

  @Index('sites_domain_key', { unique: true })
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

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
