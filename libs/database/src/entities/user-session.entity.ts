import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from './user.entity';

/**
 * A browser sign-in. The cookie holds a random token; only its SHA-256 is stored, so a database
 * leak does not leak live sessions. Ends at `expiresAt` (absolute), after the idle timeout since
 * `lastSeenAt`, or when revoked.
 */
@Entity({ name: 'user_sessions' })
export class UserSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('user_sessions_user_id_idx')
  @Column({ type: 'uuid', name: 'user_id' })
  userId!: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'user_sessions_user_id_fkey' })
  user?: UserEntity;

  @Index('user_sessions_token_hash_key', { unique: true })
  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  /** Country of the sign-in IP (the IP itself is never stored). */
  @Column({ type: 'text', nullable: true })
  country!: string | null;

  /** "Chrome on macOS"-style description of the user agent. */
  @Column({ type: 'text', nullable: true })
  device!: string | null;
}
