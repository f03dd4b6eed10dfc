import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A pension or benefit the state social insurance agency (VSAA) pays a person, in the simulator. */
@Entity('sim_social_insurance_benefits')
@Index(['personalCode'])
export class SimSocialInsuranceBenefit {
  /** Stable key: generated rows `g:<n>`, demo rows `demo:<code>:<kind>`. */
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  personalCode: string;

  /** old_age_pension | disability_pension | survivor_pension | unemployment_benefit | family_state_benefit | … */
  @Column('text')
  kind: string;

  /** Paid per month, integer cents. */
  @Column('int')
  monthlyCents: number;

  @Column('date')
  validFrom: string;

  @Column({ type: 'date', nullable: true })
  validTo: string | null;
}
