import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What an API client may call (one scope per machine API). */
export const API_SCOPES = ['social-assistance.status'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Where each machine API is offered (social assistance, and so its status API, is Latvian only). */
export const API_SCOPE_COUNTRIES: Readonly<Record<ApiScope, readonly string[]>> = {
  'social-assistance.status': ['LV'],
};

/** The scopes an administrator of a municipality in `country` may give a client (none: no API there). */
export const apiScopesOffered = (country: string | null | undefined): ApiScope[] =>
  API_SCOPES.filter((s) => !!country && API_SCOPE_COUNTRIES[s].includes(country));

/** Countries where at least one machine API is offered (the API clients page exists there). */
export const API_CLIENT_COUNTRIES: readonly string[] = [
  ...new Set(Object.values(API_SCOPE_COUNTRIES).flat()),
];

/** Highest calls-per-minute an administrator may give one client. */
export const MAX_RATE_LIMIT_PER_MINUTE = 10_000;

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

  /** Calls per minute this client may make; null: API_CLIENT_RATE_LIMIT_PER_MINUTE. */
  @Column({ type: 'int', nullable: true })
  rateLimitPerMinute: number | null;

  /** Account id of the administrator who created it. */
  @Column('text')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Account id of the administrator who revoked it. */
  @Column({ type: 'text', nullable: true })
  revokedBy: string | null;

  /** Start of the latest minute in which it called (kept to the minute: one write per minute at most). */
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;
}
