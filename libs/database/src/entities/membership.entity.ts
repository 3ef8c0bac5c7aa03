import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import type { OrgRole } from '@sightline/api-contract';
import { UserEntity } from './user.entity';
import { OrgEntity } from './org.entity';

@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ type: 'uuid', name: 'org_id', primaryKeyConstraintName: 'memberships_pkey' })
  orgId!: string;

  @Index('memberships_user_id_idx')
  @PrimaryColumn({ type: 'uuid', name: 'user_id', primaryKeyConstraintName: 'memberships_pkey' })
  userId!: string;

  @ManyToOne(() => OrgEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'org_id', foreignKeyConstraintName: 'memberships_org_id_fkey' })
  org?: OrgEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'memberships_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'text' })
  role!: OrgRole;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
