import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/**
 * scheduled: waits for its month's run; cancelled: withdrawn before any run took it;
 * in_run: in a payment run (sent to the bank in its pain.001); accepted: the bank accepted it
 * (pain.002 ACCP/ACTC/ACSP/ACWC); paid: settled (ACSC); rejected: the bank refused it (RJCT,
 * reason kept); reissued: rejected and replaced by a new line with a corrected account.
 */
export const LINE_STATUSES = [
  'scheduled',
  'cancelled',
  'in_run',
  'accepted',
  'paid',
  'rejected',
  'reissued',
] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** One payable amount of a case to one payee for one month. (caseId, key) makes scheduling idempotent. */
@Entity('payment_lines')
@Index(['caseId', 'key'], { unique: true })
// The monthly run collects a municipality's due, unpaid lines.
@Index(['municipalityId', 'status', 'dueMonth'])
@Index(['runId', 'id'])
export class PaymentLine extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  /** The caller's key, unique per case (e.g. `gmi:2026-03`). */
  @Column('text')
  key: string;

  /** resident or provider (a utility or house manager paid on the resident's behalf). */
  @Column('text')
  payeeKind: string;

  @Column('text')
  payeeName: string;

  /** Electronic form (no spaces, upper case), checked with ISO 7064 MOD 97-10. */
  @Column('text')
  payeeIban: string;

  @Column({ type: 'text', nullable: true })
  payeeBic: string | null;

  @Column('integer')
  amountCents: number;

  /** YYYY-MM: the month whose run pays it (or a later one, if scheduled after that run). */
  @Column({ type: 'char', length: 7 })
  dueMonth: string;

  /** Unstructured remittance text (the bill reference for a provider), at most 140 characters. */
  @Column('text')
  remittance: string;

  /** ISO 20022 external purpose code (e.g. BENE), optional. */
  @Column({ type: 'text', nullable: true })
  purposeCode: string | null;

  /** Latvian external payment classification (AMK) code; the municipality's default when null. */
  @Column({ type: 'text', nullable: true })
  amkCode: string | null;

  /** Budget economic classification (EKK) code; the municipality's default when null. */
  @Column({ type: 'text', nullable: true })
  ekkCode: string | null;

  /** On whose behalf the municipality pays (UltmtDbtr at transaction level), when it is not itself. */
  @Column({ type: 'text', nullable: true })
  ultimateDebtorName: string | null;

  @Column({ type: 'text', default: 'scheduled' })
  status: LineStatus;

  @Column({ type: 'uuid', nullable: true })
  runId: string | null;

  /** ISO reason code of a rejection (e.g. AC04) and the bank's own words. */
  @Column({ type: 'text', nullable: true })
  statusReason: string | null;

  @Column({ type: 'text', nullable: true })
  statusText: string | null;

  /** The line this one re-issues (after a rejection). */
  @Column({ type: 'uuid', nullable: true })
  reissueOf: string | null;

  @Column('text')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
