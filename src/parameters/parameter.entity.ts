import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One entry of a list parameter: a code kept with the case, what people read, and its source. */
export interface ParameterListItem {
  code: string;
  label: { lv: string; en: string; el: string };
  legalReference: string;
}

/**
 * An amount set by law or by the council (a fee, a threshold, a coefficient), effective-dated: a
 * change is a new row with a later validFrom, never an edit. municipalityId null = the national
 * value; a municipal row overrides it. Public facts, no resident data: no RLS.
 */
@Entity('parameters')
@Index(['country', 'key', 'validFrom'])
export class Parameter {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  /** Dotted key, e.g. `residence-declaration.fee`. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'numeric', precision: 14, scale: 4 })
  value: string;

  /**
   * A list parameter (e.g. the grounds for annulment in force): its items, each with a stable
   * code, translated labels and a legal reference; `value` then holds the number of items.
   */
  @Column({ type: 'jsonb', nullable: true })
  items: ParameterListItem[] | null;

  /** e.g. EUR, EUR/month, days, coefficient, percent, list. */
  @Column({ type: 'text' })
  unit: string;

  @Column({ type: 'date' })
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** Source of the value, or "unverified". */
  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ type: 'text', default: '' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
