import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A municipality's paying account (the debtor of its pain.001 files) and its payment-file
 * choices. Public configuration, no resident data: no RLS (like document_settings). Without a
 * row, a payment run refuses to export (the file would have no debtor account).
 */
@Entity('payment_settings')
export class PaymentSettings {
  @PrimaryColumn('uuid')
  municipalityId: string;

  /** Debtor name as the bank knows the account holder (the municipality's name when empty). */
  @Column({ type: 'text', default: '' })
  debtorName: string;

  @Column('text')
  debtorIban: string;

  /** The debtor's bank BIC (derived from a Latvian IBAN when empty). */
  @Column({ type: 'text', nullable: true })
  debtorBic: string | null;

  /** Default AMK and EKK codes of the municipality's payments (optional; a line may give its own). */
  @Column({ type: 'text', nullable: true })
  amkCode: string | null;

  @Column({ type: 'text', nullable: true })
  ekkCode: string | null;

  /** 'domestic': Latvian letters kept for LV→LV payments; 'never': always transliterated. */
  @Column({ type: 'text', default: 'domestic' })
  latvianLetters: string;

  /** Working days a caseworker has to fix a rejected payment (the task's due date). */
  @Column({ type: 'integer', default: 5 })
  rejectionTaskDays: number;
}
