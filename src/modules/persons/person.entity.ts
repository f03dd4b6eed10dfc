import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantScoped } from '../../platform/tenancy/tenant.entity-base';

/** A resident known to the municipality (taken over from the population register). */
@Entity('persons')
@Index(['municipalityId', 'personalCode'], { unique: true })
export class Person extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  personalCode: string;

  @Column('text')
  givenName: string;

  @Column('text')
  familyName: string;

  @Column({ type: 'date', nullable: true })
  birthDate: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
