import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { SiteEntity } from './site.entity';
import { UserEntity } from './user.entity';

/**
 * A read-only link to one site's dashboard. Only the token's SHA-256 is stored (the token is an
 * HMAC of the link id under the signing key, so the owner's list can show the link again);
 * the optional password is an argon2id hash.
 */
@Entity({ name: 'shared_links' })
export class SharedLinkEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'shared_links_pkey' })
  id!: string;

  @Index('shared_links_site_id_idx')
  @Column({ type: 'integer', name: 'site_id' })
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id', foreignKeyConstraintName: 'shared_links_site_id_fkey' })
  site?: SiteEntity;

  @Column({ type: 'text' })
  label!: string;

  @Index('shared_links_token_hash_key', { unique: true })
  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @Column({ type: 'text', name: 'password_hash', nullable: true })
  passwordHash!: string | null;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @Column({ type: 'uuid', name: 'created_by', nullable: true })
  createdBy!: string | null;

  @ManyToOne(() => UserEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'shared_links_created_by_fkey' })
  creator?: UserEntity;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
