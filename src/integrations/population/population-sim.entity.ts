import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/*
 * Tables of the population register simulator. They model a national register, so they are not
 * tenant-scoped (no municipality_id, no RLS); the sim_ prefix keeps them apart from Civitas data.
 */

@Entity('sim_persons')
@Index('IDX_sim_persons_by_family', ['familyNameNorm', 'givenNameNorm', 'personalCode'])
@Index('IDX_sim_persons_by_given', ['givenNameNorm', 'familyNameNorm', 'personalCode'])
export class SimPerson {
  @PrimaryColumn('text')
  personalCode: string;

  @Column('text')
  givenName: string;

  @Column('text')
  familyName: string;

  @Column({ type: 'text', collation: 'C' })
  givenNameNorm: string;

  @Column({ type: 'text', collation: 'C' })
  familyNameNorm: string;

  /** M or F. */
  @Column({ type: 'char', length: 1 })
  sex: string;

  @Column('date')
  birthDate: string;

  @Column({ type: 'date', nullable: true })
  deceasedOn: string | null;
}

/** parent → child, or guardian → ward. */
@Entity('sim_family_links')
@Index(['relatedCode'])
export class SimFamilyLink {
  @PrimaryColumn('text')
  personalCode: string;

  @PrimaryColumn('text')
  relatedCode: string;

  /** 'parent' (personalCode is a parent of relatedCode) or 'guardian'. */
  @PrimaryColumn('text')
  kind: string;
}

/** One declared place of residence of a person; the open one (validTo null, active) is current. */
@Entity('sim_residences')
@Index(['personalCode', 'validFrom'])
@Index(['addressCode'])
export class SimResidence {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  personalCode: string;

  @Column('text')
  addressCode: string;

  @Column('date')
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;

  /** active | ended | annulled */
  @Column('text')
  status: string;

  /** Legal basis for using the dwelling (ownership, lease, family, consent, …). */
  @Column({ type: 'text', nullable: true })
  basis: string | null;

  /** Caller's idempotency key for register updates. */
  @Index({ unique: true })
  @Column({ type: 'text', nullable: true })
  requestRef: string | null;

  @Column({ type: 'date', nullable: true })
  annulledFrom: string | null;
}

/** What was seeded, so tests sharing a database seed once and the CLI can report it. */
@Entity('sim_seed_info')
export class SimSeedInfo {
  @PrimaryColumn('int')
  id: number;

  @Column('int')
  seed: number;

  @Column('int')
  persons: number;

  @Column('timestamptz')
  seededAt: Date;
}
