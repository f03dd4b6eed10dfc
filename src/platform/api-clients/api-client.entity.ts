import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an API client may call (one scope per machine API). */
export const API_SCOPES = ['social-assistance.status'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/**
 * Another municipal system that calls Civitas's machine APIs (e.g. the property-tax system asking
 * whether a person holds needy status): belongs to one municipality and sees only its data, holds
 * scopes, authenticates with its client id and a secret shown once at creation. The secret is a
 * random 256-bit value, so its SHA-256 is stored (no slow hash needed: nothing to guess). Read
 * before a tenant is known (the credentials name it): listed in NON_TENANT_TABLES.
 */
@Entity('api_clients')
@Index('IDX_api_clients_client_id', ['clientId'], { unique: true })
export class ApiClient {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index('IDX_api_clients_municipality')
  @Column('uuid')
  municipalityId: string;

  /** Public identifier, e.g. `ac_3f9a…`. */
  @Column('text')
  clientId: string;

  /** What people call it ("Property-tax system"). */
  @Column('text')
  name: string;

  /** Hex SHA-256 of the secret. */
  @Column('text')
  secretHash: string;

  @Column('jsonb')
  scopes: ApiScope[];

  /** Account id of the administrator who created it. */
  @Column('text')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
