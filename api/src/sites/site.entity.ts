import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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

  /** IANA zone used for day boundaries in reports. */
  @Column({ type: 'text', default: 'UTC' })
  timezone!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
