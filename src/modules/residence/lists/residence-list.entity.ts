import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { TenantScoped } from '../../../platform/tenancy/tenant.entity-base';

/** Which address-register municipality (e.g. "Tukuma novads") this tenant's lists and statistics cover. */
@Entity('residence_territories')
export class ResidenceTerritory {
  @PrimaryColumn('uuid')
  municipalityId: string;

  @Column('text')
  registerMunicipality: string;
}

/** A list filter a user saved under a name (per user and municipality). */
@Entity('residence_saved_lists')
@Index(['municipalityId', 'accountId', 'name'], { unique: true })
export class ResidenceSavedList extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  accountId: string;

  @Column('text')
  name: string;

  /** persons | declarations | large-families */
  @Column('text')
  list: string;

  @Column('jsonb')
  filters: Record<string, string>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
