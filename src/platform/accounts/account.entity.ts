import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Language } from './roles';

/**
 * A person who can sign in. Global (not per municipality): one person may hold roles in several
 * municipalities. Staff sign in with username + password and/or OIDC; citizens only through OIDC
 * (eID), identified by their personal code.
 */
@Entity('accounts')
@Index(['oidcIssuer', 'oidcSubject'], { unique: true, where: '"oidc_subject" IS NOT NULL' })
@Index(['directoryMunicipalityId', 'directoryEntryId'], {
  unique: true,
  where: '"directory_entry_id" IS NOT NULL',
})
@Check(`"preferred_language" IN ('lv', 'en', 'el')`)
export class Account {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Staff sign-in name, stored lower-case. Null for citizens. */
  @Index({ unique: true, where: '"username" IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  username: string | null;

  @Index({ unique: true, where: '"email" IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  email: string | null;

  @Column('text')
  displayName: string;

  /** argon2id PHC string; null when the account may sign in only through OIDC. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  /** National personal code from eID (citizens). */
  @Index({ unique: true, where: '"personal_code" IS NOT NULL' })
  @Column({ type: 'text', nullable: true })
  personalCode: string | null;

  @Column({ type: 'text', nullable: true })
  oidcIssuer: string | null;

  @Column({ type: 'text', nullable: true })
  oidcSubject: string | null;

  /** Provisioned from this municipality's staff directory (LDAP): it signs in there only, by directoryLogin. */
  @Column({ type: 'uuid', nullable: true })
  directoryMunicipalityId: string | null;

  /** The directory entry's stable id (entryUUID, objectGUID or, failing those, its DN). */
  @Column({ type: 'text', nullable: true })
  directoryEntryId: string | null;

  /** The name typed at sign-in (lower-case); searched again when the session is re-checked. */
  @Column({ type: 'text', nullable: true })
  directoryLogin: string | null;

  @Column({ type: 'varchar', length: 2, default: 'lv' })
  preferredLanguage: Language;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  lastSignInAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
