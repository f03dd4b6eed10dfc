import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { TenantScoped } from '../platform/tenancy/tenant.entity-base';
import { IssuedDocument } from './issued-document.entity';

/**
 * A person whose data an issued document shows, by personal code: the subject of a certificate
 * requested for someone else, everyone an at-property certificate lists, each person a decision
 * names. Written with the document in one transaction; a staff read of the document (or of its
 * case file) names each in their "Who used my data" (issue 12 M2). Append-only, like documents.
 */
@Entity('document_persons')
export class DocumentPerson extends TenantScoped {
  @PrimaryColumn('uuid')
  documentId: string;

  @PrimaryColumn('text')
  personalCode: string;

  @ManyToOne(() => IssuedDocument, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'document_id' })
  document?: IssuedDocument;
}
