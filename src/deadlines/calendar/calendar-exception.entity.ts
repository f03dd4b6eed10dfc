import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { ExceptionKind } from './holiday-calendar';

/**
 * An administrator's correction to the working-day calendar: a Saturday decreed a working day
 * (pārceltā darbdiena) or an extra day off. Public facts, no resident data: no RLS.
 * municipalityId null = the whole country.
 */
@Entity('calendar_exceptions')
@Index(['country', 'date'])
export class CalendarException {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column({ type: 'date' })
  date: string;

  @Column({ type: 'text' })
  kind: ExceptionKind;

  @Column({ type: 'text', default: '' })
  note: string;

  @Column({ type: 'text', default: '' })
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
