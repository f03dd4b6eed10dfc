import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A road vehicle and the period a person owned it, as the road traffic safety directorate (CSDD) records it, in the simulator. */
@Entity('sim_vehicles')
@Index(['ownerCode'])
export class SimVehicle {
  @PrimaryColumn('text')
  ref: string;

  @Column('text')
  registrationNumber: string;

  @Column('text')
  ownerCode: string;

  /** passenger_car | motorcycle | truck | tractor */
  @Column('text')
  category: string;

  @Column('text')
  make: string;

  @Column('text')
  model: string;

  @Column('int')
  firstRegisteredYear: number;

  @Column('date')
  ownedFrom: string;

  @Column({ type: 'date', nullable: true })
  ownedTo: string | null;
}
