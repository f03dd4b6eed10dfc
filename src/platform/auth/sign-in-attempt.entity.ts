import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** `ldap`: the password form answered by the municipality's staff directory. */
export type SignInMethod = 'password' | 'oidc' | 'ldap';
export type SignInOutcome = 'success' | 'failure' | 'rate_limited';

/** Every sign-in attempt, successful or not, with the reason; kept for security review. */
@Entity('sign_in_attempts')
@Index(['identifier', 'at'])
export class SignInAttempt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;

  @Column('text')
  method: SignInMethod;

  /** Username typed, or issuer subject for OIDC; may name no account. */
  @Column({ type: 'text', default: '' })
  identifier: string;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  accountId: string | null;

  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column('text')
  outcome: SignInOutcome;

  /** Machine-readable reason, e.g. bad_password, unknown_account, disabled, no_role, state_mismatch. */
  @Column({ type: 'text', default: '' })
  reason: string;

  @Column({ type: 'text', default: '' })
  ip: string;

  @Column({ type: 'text', default: '' })
  userAgent: string;
}
