import { Column, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';

/** A form a person started and has not submitted yet: one draft per account and form. */
@Entity('form_drafts')
@Index(['municipalityId', 'accountId', 'formKey'], { unique: true })
export class FormDraft extends TenantScoped {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  accountId: string;

  @Column('text')
  formKey: string;

  @Column('jsonb')
  data: Record<string, string>;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
