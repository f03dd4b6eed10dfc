import {
  BeforeInsert,
  BeforeUpdate,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';
import { normalizeForSearch } from './name-normalize';

/** A resident known to the municipality (taken over from the population register). */
@Entity('persons')
@Index(['municipalityId', 'personalCode'], { unique: true })
@Index('IDX_persons_by_family', [
  'municipalityId',
  'familyNameNorm',
  'givenNameNorm',
  'personalCode',
])
@Index('IDX_persons_by_given', [
  'municipalityId',
  'givenNameNorm',
  'familyNameNorm',
  'personalCode',
])
export class Person extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  personalCode: string;

  @Column('text')
  givenName: string;

  @Column('text')
  familyName: string;

  /** normalizeForSearch(givenName): diacritics-insensitive prefix search on a b-tree index. */
  @Column({ type: 'text', collation: 'C', default: '' })
  givenNameNorm: string;

  @Column({ type: 'text', collation: 'C', default: '' })
  familyNameNorm: string;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  /** M or F, as in the population register. */
  @Column({ type: 'char', length: 1, nullable: true })
  sex: string | null;

  /** When the record was taken over from the population register (null: entered locally). */
  @Column({ type: 'timestamptz', nullable: true })
  takenOverAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;

  @BeforeInsert()
  @BeforeUpdate()
  normalizeNames(): void {
    this.givenNameNorm = normalizeForSearch(this.givenName);
    this.familyNameNorm = normalizeForSearch(this.familyName);
  }
}
