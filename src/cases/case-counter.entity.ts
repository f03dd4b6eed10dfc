import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Next case number per municipality, prefix and year (REF-2026-000123). */
@Entity('case_counters')
export class CaseCounter {
  @PrimaryColumn('uuid')
  municipalityId: string;

  @PrimaryColumn('text')
  prefix: string;

  @PrimaryColumn('int')
  year: number;

  @Column({ type: 'int', default: 0 })
  last: number;
}
