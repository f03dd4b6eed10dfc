import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An address of the address register simulator (national data: not tenant-scoped). */
@Entity('sim_addresses')
@Index('IDX_sim_addresses_search_trgm', { synchronize: false })
@Index(['parentCode'])
export class SimAddress {
  /** 9-digit address code, as in the State Address Register (ARIS). */
  @PrimaryColumn('text')
  code: string;

  /** building | house | apartment */
  @Column('text')
  kind: string;

  /** For an apartment: the code of its building. */
  @Column({ type: 'text', nullable: true })
  parentCode: string | null;

  /** e.g. "Tukuma novads"; for Rīga "Rīga" (a state city). */
  @Column('text')
  municipality: string;

  /** Town or parish (pagasts) with village, e.g. "Tukums", "Ogre", "Ikšķiles pagasts, Ciemupe". */
  @Column('text')
  territory: string;

  @Column({ type: 'text', nullable: true })
  street: string | null;

  /** House number ("12", "12A") or, in the countryside, the house name ("Kalnieši"). */
  @Column('text')
  house: string;

  @Column({ type: 'text', nullable: true })
  apartment: string | null;

  /** LV-NNNN */
  @Column('text')
  postcode: string;

  /** One line as printed: "Talsu iela 4 - 12, Tukums, Tukuma nov., LV-3101". */
  @Column('text')
  fullText: string;

  /** normalizeForSearch(fullText), searched with a pg_trgm GIN index. */
  @Column({ type: 'text', collation: 'C' })
  searchText: string;
}
