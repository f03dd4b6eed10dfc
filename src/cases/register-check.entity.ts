import {
  Column,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';
import { Case } from './case.entity';

import type { RegisterCheckFlag, RegisterCheckStatus } from '../../workflows/kit/register-checks';

export type { RegisterCheckFlag, RegisterCheckStatus };

/**
 * One register's answer about one person for a case (activities/registry): what was asked, what
 * came back, the differences from the declaration, and how many attempts it took. One row per
 * (case, check key); a retried or repeated check updates it.
 */
@Entity('register_checks')
@Unique('UQ_register_checks_case_key', ['caseId', 'checkKey'])
export class RegisterCheck extends TenantScoped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_register_checks' })
  id: string;

  @Column('uuid')
  caseId: string;

  /** `<register>:<personal code>` unless the process names its own (e.g. a re-assessment round). */
  @Column('text')
  checkKey: string;

  /** population | social-insurance | income | employment | disability | property | vehicles | assistance */
  @Index('IDX_register_checks_register')
  @Column('text')
  register: string;

  /** The person the register was asked about. */
  @Column('text')
  subjectCode: string;

  /** What was asked (period, date), without the personal code. */
  @Column('jsonb')
  request: Record<string, unknown>;

  @Column({ type: 'jsonb', nullable: true })
  result: Record<string, unknown> | null;

  @Column('jsonb')
  flags: RegisterCheckFlag[];

  /** Values the process passed from the declaration, compared with the result. */
  @Column({ type: 'jsonb', nullable: true })
  declared: Record<string, unknown> | null;

  @Column('text')
  status: RegisterCheckStatus;

  /** Error code and message of the last failed attempt. */
  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column('int')
  attempts: number;

  @Column('timestamptz')
  checkedAt: Date;

  @ManyToOne(() => Case)
  @JoinColumn([
    { name: 'municipality_id', referencedColumnName: 'municipalityId' },
    { name: 'case_id', referencedColumnName: 'id' },
  ])
  case?: Case;
}
