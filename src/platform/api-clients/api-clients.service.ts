import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../errors/domain-error';
import { API_SCOPES, ApiClient, type ApiScope } from './api-client.entity';

/** The client a request authenticated as (on `req.apiClient`). */
export interface AuthenticatedClient {
  id: string;
  clientId: string;
  name: string;
  municipalityId: string;
  scopes: ApiScope[];
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/**
 * Machine clients of the municipal APIs: created by an administrator (the secret is returned once),
 * revoked, and checked on every call with HTTP Basic credentials (client id : secret), with a
 * per-client limit of calls per minute (API_CLIENT_RATE_LIMIT_PER_MINUTE; counted per app instance).
 */
@Injectable()
export class ApiClientsService {
  private readonly windows = new Map<string, { start: number; calls: number }>();

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(input: {
    municipalityId: string;
    name: string;
    scopes: ApiScope[];
    createdBy: string;
  }): Promise<{ client: ApiClient; secret: string }> {
    const name = input.name.trim();
    const errors = [];
    if (!name || name.length > 200)
      errors.push({ field: 'name', message: 'admin:errors.required' });
    if (!input.scopes.length || input.scopes.some((s) => !API_SCOPES.includes(s)))
      errors.push({ field: 'scopes', message: 'admin:errors.required' });
    if (errors.length) throw DomainError.validation(errors);
    const secret = randomBytes(32).toString('base64url');
    const client = await this.ds.getRepository(ApiClient).save({
      municipalityId: input.municipalityId,
      clientId: `ac_${randomBytes(12).toString('hex')}`,
      name,
      secretHash: sha256(secret).toString('hex'),
      scopes: input.scopes,
      createdBy: input.createdBy,
      revokedAt: null,
    });
    return { client, secret };
  }

  list(municipalityId: string): Promise<ApiClient[]> {
    return this.ds
      .getRepository(ApiClient)
      .find({ where: { municipalityId }, order: { createdAt: 'ASC' } });
  }

  async revoke(municipalityId: string, id: string, now: Date): Promise<void> {
    await this.ds
      .getRepository(ApiClient)
      .update({ id, municipalityId, revokedAt: IsNull() }, { revokedAt: now });
  }

  /**
   * The client an `Authorization: Basic …` header names, or 401; 429 when it called too often in
   * the current minute. Unknown id, wrong secret and revoked client all answer the same.
   */
  async authenticate(header: string | undefined, now: number): Promise<AuthenticatedClient> {
    const refused = () =>
      new DomainError(ErrorCode.Unauthenticated, 'API client credentials required', [
        { field: 'authorization', message: 'common:errors.apiClientCredentials' },
      ]);
    const m = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
    if (!m) throw refused();
    const decoded = Buffer.from(m[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) throw refused();
    const clientId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const row = await this.ds.getRepository(ApiClient).findOne({ where: { clientId } });
    const given = sha256(secret);
    const stored = Buffer.from(row?.secretHash ?? '0'.repeat(64), 'hex');
    if (!row || row.revokedAt || !timingSafeEqual(given, stored)) throw refused();
    this.throttle(row.id, now);
    return {
      id: row.id,
      clientId: row.clientId,
      name: row.name,
      municipalityId: row.municipalityId,
      scopes: row.scopes,
    };
  }

  private throttle(id: string, now: number): void {
    const limit = this.config.API_CLIENT_RATE_LIMIT_PER_MINUTE;
    const w = this.windows.get(id);
    if (!w || now - w.start >= 60_000) {
      this.windows.set(id, { start: now, calls: 1 });
      return;
    }
    w.calls += 1;
    if (w.calls > limit) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      throw new DomainError(
        ErrorCode.RateLimited,
        'too many calls',
        [
          {
            field: 'authorization',
            message: 'common:errors.apiClientRateLimited',
            params: { seconds: retryAfter },
          },
        ],
        { retryAfter },
      );
    }
  }
}
