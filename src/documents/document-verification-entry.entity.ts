import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The public index of issued documents that lets anyone verify one without signing in: the
 * verification code and the PDF's hash lead to the issuing municipality. Holds no personal data,
 * so it has no row-level security; like documents it is append-only.
 */
@Entity('document_verifications')
export class DocumentVerificationEntry {
  @PrimaryColumn('text')
  verificationCode: string;

  @Index()
  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column('uuid')
  municipalityId: string;

  @Column({ type: 'uuid', unique: true })
  documentId: string;

  @Column('timestamptz')
  issuedAt: Date;
}
