import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The last registration number given per municipality, register and year (TUK-IZZ/2026/000123).
 * Incremented in the transaction that stores the document, under the row lock, so the numbers have
 * no gaps: a failed issue rolls its increment back. Same pattern as `case_counters`.
 */
@Entity('document_counters')
export class DocumentCounter {
  @PrimaryColumn('uuid')
  municipalityId: string;

  @PrimaryColumn('text')
  register: string;

  @PrimaryColumn('int')
  year: number;

  @Column({ type: 'int', default: 0 })
  last: number;
}
