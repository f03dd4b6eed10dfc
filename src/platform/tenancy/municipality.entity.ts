import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A tenant. Public facts only (no resident data), so this table has no RLS. */
@Entity('municipalities')
export class Municipality {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short stable code used in URLs and case numbers, e.g. "tukums". */
  @Column({ type: 'text', unique: true })
  code: string;

  @Column('text')
  name: string;

  /** ISO 3166 country whose law and working-day calendar apply: LV or GR. */
  @Column({ type: 'char', length: 2 })
  country: string;

  @Column({ type: 'text', default: '' })
  registrationNumber: string;

  @Column({ type: 'text', default: '' })
  address: string;

  /** The municipality's own official e-address (sender identity for e-adrese). */
  @Column({ type: 'text', default: '' })
  eAddress: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
