import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Role } from '../../accounts/roles';

/** One line of a municipality's group → role mapping; a caseworker grant may name one process. */
export interface GroupRoleMapping {
  groupDn: string;
  role: Role;
  processKey: string | null;
}

/**
 * A municipality's staff directory (LDAP). Configuration, no resident data, so no RLS. The service
 * account's password is stored encrypted (SecretBox) and never shown back. Without a row, or with
 * `enabled` off, staff of the municipality sign in with local accounts only.
 */
@Entity('directory_settings')
export class DirectorySettings {
  @PrimaryColumn('uuid')
  municipalityId: string;

  @Column({ type: 'boolean', default: false })
  enabled: boolean;

  /** ldap://host:port or ldaps://host:port. */
  @Column({ type: 'text', default: '' })
  url: string;

  /** PEM certificate(s) of the CA that issued the ldaps:// server certificate; empty: the system CAs. */
  @Column({ type: 'text', default: '' })
  caCertificate: string;

  /** Service account for searching users (search mode). Empty: direct bind with userDnTemplate. */
  @Column({ type: 'text', default: '' })
  bindDn: string;

  @Column({ type: 'text', nullable: true })
  bindPasswordEncrypted: string | null;

  /** Direct bind without a service account, e.g. `uid={login},ou=people,dc=example,dc=lv`. */
  @Column({ type: 'text', default: '' })
  userDnTemplate: string;

  @Column({ type: 'text', default: '' })
  userBaseDn: string;

  /** `{login}` is replaced by the escaped user name. */
  @Column({ type: 'text', default: '(&(objectClass=inetOrgPerson)(uid={login}))' })
  userFilter: string;

  @Column({ type: 'text', default: '' })
  groupBaseDn: string;

  /** member / uniqueMember hold the user's DN; memberUid holds the login. */
  @Column({ type: 'text', default: 'member' })
  groupMemberAttribute: string;

  /** A user entry matching this filter is disabled (OpenLDAP ppolicy: `(pwdAccountLockedTime=*)`). Empty: none. */
  @Column({ type: 'text', default: '(pwdAccountLockedTime=*)' })
  disabledFilter: string;

  /** Members of this group are disabled. Empty: none. */
  @Column({ type: 'text', default: '' })
  disabledGroupDn: string;

  @Column({ type: 'jsonb', default: () => `'[]'` })
  roleMappings: GroupRoleMapping[];

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
