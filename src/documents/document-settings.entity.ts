import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A municipality's document preferences. Public configuration (no resident data), so no RLS. A
 * municipality without a row issues in its official language only.
 */
@Entity('document_settings')
export class DocumentSettings {
  @PrimaryColumn('uuid')
  municipalityId: string;

  /** When set, every document also carries a translation into this language after the original. */
  @Column({ type: 'char', length: 2, nullable: true })
  secondLanguage: string | null;
}
