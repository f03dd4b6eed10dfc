import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A real property of the property register simulator (Kadastrs / Zemesgrāmata-like). */
@Entity('sim_properties')
@Index(['addressCode'])
export class SimProperty {
  /** 11-digit cadastral number; the first four digits are the cadastral territory. */
  @PrimaryColumn('text')
  cadastralNumber: string;

  @Column('text')
  addressCode: string;

  /** apartment | house */
  @Column('text')
  kind: string;

  /** Land-register folio, e.g. "Tukuma pilsētas zemesgrāmatas nodalījums Nr. 1234". */
  @Column('text')
  landRegisterFolio: string;
}

/** One owner's undivided share of a property, e.g. 1/2. */
@Entity('sim_property_shares')
@Index(['cadastralNumber'])
@Index(['ownerCode'])
export class SimPropertyShare {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('text')
  cadastralNumber: string;

  /** Personal code of a natural person, or the registration number of a legal person. */
  @Column('text')
  ownerCode: string;

  @Column('text')
  ownerName: string;

  @Column('int')
  shareNumerator: number;

  @Column('int')
  shareDenominator: number;
}
