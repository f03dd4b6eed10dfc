import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A period a person was registered as unemployed with the employment agency (NVA), in the simulator. */
@Entity('sim_unemployment_spells')
@Index(['personalCode'])
export class SimUnemploymentSpell {
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  personalCode: string;

  @Column('date')
  registeredFrom: string;

  @Column({ type: 'date', nullable: true })
  registeredTo: string | null;
}
