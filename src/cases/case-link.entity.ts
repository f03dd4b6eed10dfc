import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';
import { Case } from './case.entity';

/**
 * A typed link from one case to another of the same municipality, e.g. an agenda item that
 * `decides` a case, a payment that `pays` a decision. Read both ways: the case page shows the
 * links a case makes and the links made to it. One link per (from, to, type); a link to itself is
 * refused by linkCases.
 */
@Entity('case_links')
@Unique('UQ_case_links', ['fromCaseId', 'toCaseId', 'type'])
@Index('IDX_case_links_to', ['toCaseId'])
export class CaseLink extends TenantScoped {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_case_links' })
  id: string;

  @Column('uuid')
  fromCaseId: string;

  @Column('uuid')
  toCaseId: string;

  /** One of CASE_LINK_TYPES (src/cases/case-links.ts). */
  @Column('text')
  type: string;

  /** An account id, or `system` when a process made the link. */
  @Column('text')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @ManyToOne(() => Case)
  @JoinColumn([
    { name: 'municipality_id', referencedColumnName: 'municipalityId' },
    { name: 'from_case_id', referencedColumnName: 'id' },
  ])
  from?: Case;

  @ManyToOne(() => Case)
  @JoinColumn([
    { name: 'municipality_id', referencedColumnName: 'municipalityId' },
    { name: 'to_case_id', referencedColumnName: 'id' },
  ])
  to?: Case;
}
