import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An employment relationship as the tax service (VID) knows it from employers' monthly reports, in the simulator. */
@Entity('sim_employment_income')
@Index(['personalCode'])
export class SimEmploymentIncome {
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  personalCode: string;

  /** Employer's registration number. */
  @Column('text')
  employerCode: string;

  @Column('text')
  employerName: string;

  /** Gross pay per month, integer cents. */
  @Column('int')
  grossCents: number;

  /** Withheld per month (social contributions and personal income tax), integer cents. */
  @Column('int')
  taxCents: number;

  @Column('date')
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;
}
