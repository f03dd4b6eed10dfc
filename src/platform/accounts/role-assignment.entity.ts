import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { Municipality } from '../tenancy/municipality.entity';
import { Account } from './account.entity';
import type { Role } from './roles';

/**
 * One role of one account in one municipality. Access-control data, not resident data, so it has no
 * RLS: sign-in must list an account's municipalities before any tenant is chosen.
 * A caseworker grant with a process key covers only that process; without one, every process.
 */
@Entity('role_assignments')
@Index(['accountId', 'municipalityId', 'role', 'processKey'], {
  unique: true,
  where: '"process_key" IS NOT NULL',
})
@Index(['accountId', 'municipalityId', 'role'], { unique: true, where: '"process_key" IS NULL' })
@Check(
  `"role" IN ('citizen', 'caseworker', 'manager', 'council_secretary', 'deputy', 'administrator')`,
)
@Check(`"process_key" IS NULL OR "role" = 'caseworker'`)
export class RoleAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  accountId: string;

  @ManyToOne(() => Account, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Index()
  @Column('uuid')
  municipalityId: string;

  @ManyToOne(() => Municipality, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'municipality_id' })
  municipality?: Municipality;

  @Column('text')
  role: Role;

  @Column({ type: 'text', nullable: true })
  processKey: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
