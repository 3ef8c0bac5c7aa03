import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A person who can sign in. Emails are stored lower-cased; the password only as an argon2id hash. */
@Entity({ name: 'users' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('users_email_key', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', nullable: true })
  name!: string | null;

  @Column({ type: 'text', name: 'password_hash' })
  passwordHash!: string;

  @Column({ type: 'timestamptz', name: 'email_verified_at', nullable: true })
  emailVerifiedAt!: Date | null;

  /** Support staff: set only by `npm run staff -- add EMAIL`, never through the API. */
  @Column({ type: 'boolean', name: 'is_staff', default: false })
  isStaff!: boolean;

  /** Base32 TOTP secret (RFC 6238) once two-factor sign-in is confirmed. */
  @Column({ type: 'text', name: 'totp_secret', nullable: true })
  totpSecret!: string | null;

  /** Secret shown during enrolment, until the first code confirms it. */
  @Column({ type: 'text', name: 'totp_pending_secret', nullable: true })
  totpPendingSecret!: string | null;

  @Column({ type: 'timestamptz', name: 'totp_enabled_at', nullable: true })
  totpEnabledAt!: Date | null;

  /** The last 30-second step whose code was accepted; codes of this step or earlier are replays. */
  @Column({ type: 'bigint', name: 'totp_last_step', nullable: true })
  totpLastStep!: string | null;

  /** Blocked by support: cannot sign in; their sites keep counting. */
  @Column({ type: 'timestamptz', name: 'blocked_at', nullable: true })
  blockedAt!: Date | null;

  @Column({ type: 'text', name: 'blocked_reason', nullable: true })
  blockedReason!: string | null;

  /** Deletion requested: hidden and signed out; hard-deleted 72 hours later unless restored. */
  @Index('users_deleted_at_idx')
  @Column({ type: 'timestamptz', name: 'deleted_at', nullable: true })
  deletedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
