import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode, type FieldError } from '../errors/domain-error';
import { isUuid } from '../ids';
import {
  API_SCOPES,
  ApiClient,
  MAX_RATE_LIMIT_PER_MINUTE,
  type ApiScope,
} from './api-client.entity';

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
 * per-client limit of calls per minute (the client's own, else API_CLIENT_RATE_LIMIT_PER_MINUTE;
 * counted per app instance). The first call of each minute records when the client was last used.
 */
@Injectable()
export class ApiClientsService {
  private readonly windows = new Map<string, { start: number; calls: number }>();

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * A new client of the municipality. `name`, `scopes` and `rateLimitPerMinute` come as typed by
   * an administrator: field errors name what is wrong; `offered` is what may be given here.
   */
  async create(input: {
    municipalityId: string;
    name: unknown;
    scopes: unknown;
    rateLimitPerMinute?: unknown;
    createdBy: string;
    offered?: readonly ApiScope[];
  }): Promise<{ client: ApiClient; secret: string }> {
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    const offered: readonly string[] = input.offered ?? API_SCOPES;
    const scopes = (Array.isArray(input.scopes) ? input.scopes : [input.scopes]).filter(
      (x): x is string => typeof x === 'string' && x !== '',
    );
    const rate = rateLimitOf(input.rateLimitPerMinute);
    const errors: FieldError[] = [];
    if (!name || name.length > 200)
      errors.push({ field: 'name', message: 'admin:errors.apiClientName' });
    if (!scopes.length || scopes.some((x) => !offered.includes(x)))
      errors.push({ field: 'scopes', message: 'admin:errors.apiClientScopes' });
    if (rate === undefined)
      errors.push({
        field: 'rateLimitPerMinute',
        message: 'admin:errors.apiClientRateLimit',
        params: { max: MAX_RATE_LIMIT_PER_MINUTE },
      });
    if (errors.length) throw DomainError.validation(errors);
    const secret = randomBytes(32).toString('base64url');
    const client = await this.ds.getRepository(ApiClient).save({
      municipalityId: input.municipalityId,
      clientId: `ac_${randomBytes(12).toString('hex')}`,
      name,
      secretHash: sha256(secret).toString('hex'),
      scopes: [...new Set(scopes)] as ApiScope[],
      rateLimitPerMinute: rate ?? null,
      createdBy: input.createdBy,
      revokedAt: null,
      revokedBy: null,
      lastUsedAt: null,
    });
    return { client, secret };
  }

  list(municipalityId: string): Promise<ApiClient[]> {
    return this.ds
      .getRepository(ApiClient)
      .find({ where: { municipalityId }, order: { createdAt: 'ASC' } });
  }

  /** One client of the municipality; 404 for another municipality's (as for one that does not exist). */
  async get(municipalityId: string, id: string): Promise<ApiClient> {
    const row = isUuid(id)
      ? await this.ds.getRepository(ApiClient).findOne({ where: { id, municipalityId } })
      : null;
    if (!row) throw new DomainError(ErrorCode.NotFound, `API client ${id} not found`);
    return row;
  }

  /** Revokes a client of the municipality: its next call is refused (401); 409 when it was already. */
  async revoke(municipalityId: string, id: string, now: Date, by = 'system'): Promise<ApiClient> {
    const row = await this.get(municipalityId, id);
    const done = await this.ds
      .getRepository(ApiClient)
      .update(
        { id: row.id, municipalityId, revokedAt: IsNull() },
        { revokedAt: now, revokedBy: by },
      );
    if (!done.affected)
      throw new DomainError(ErrorCode.AlreadyDone, `API client ${id} is revoked already`, [
        { field: 'id', message: 'admin:errors.apiClientRevoked' },
      ]);
    this.windows.delete(row.id);
    return { ...row, revokedAt: now, revokedBy: by };
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
    if (
      this.throttle(
        row.id,
        row.rateLimitPerMinute ?? this.config.API_CLIENT_RATE_LIMIT_PER_MINUTE,
        now,
      )
    )
      await this.ds.getRepository(ApiClient).update({ id: row.id }, { lastUsedAt: new Date(now) });
    return {
      id: row.id,
      clientId: row.clientId,
      name: row.name,
      municipalityId: row.municipalityId,
      scopes: row.scopes,
    };
  }

  /** Counts the call in the client's current minute; true when it opened a new minute. */
  private throttle(id: string, limit: number, now: number): boolean {
    const w = this.windows.get(id);
    if (!w || now - w.start >= 60_000) {
      this.windows.set(id, { start: now, calls: 1 });
      return true;
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
    return false;
  }
}

/** An empty rate limit is the default (null); otherwise a whole number 1…max, or undefined when invalid. */
function rateLimitOf(v: unknown): number | null | undefined {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
  if (v === undefined || v === null || text === '') return null;
  if (!/^\d{1,6}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= MAX_RATE_LIMIT_PER_MINUTE ? n : undefined;
}
