import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode, type FieldError } from '../errors/domain-error';
import { Account } from './account.entity';
import { PasswordHasher } from './password-hasher';
import { RoleAssignment } from './role-assignment.entity';
import { LANGUAGES, type Language, type Role, isRole } from './roles';
import { isUuid } from '../ids';

export interface Grant {
  role: Role;
  processKey: string | null;
}

export interface NewStaffAccount {
  username: string;
  displayName: string;
  email?: string | null;
  password?: string | null;
  preferredLanguage?: Language;
}

export const MIN_PASSWORD_LENGTH = 12;
const USERNAME = /^[a-z0-9][a-z0-9._@-]{2,63}$/;

/** Accounts and their per-municipality roles. Sessions are ended through SessionRegistry. */
@Injectable()
export class AccountsService {
  constructor(
    private readonly ds: DataSource,
    private readonly hasher: PasswordHasher,
  ) {}

  async createStaff(input: NewStaffAccount, em: EntityManager = this.ds.manager): Promise<Account> {
    const username = input.username.trim().toLowerCase();
    const errors: FieldError[] = [];
    if (!USERNAME.test(username))
      errors.push({ field: 'username', message: 'auth:validation.username' });
    if (!input.displayName.trim())
      errors.push({ field: 'displayName', message: 'auth:validation.displayName' });
    if (input.password !== undefined && input.password !== null)
      errors.push(...passwordProblems(input.password));
    if (input.preferredLanguage && !LANGUAGES.includes(input.preferredLanguage))
      errors.push({ field: 'preferredLanguage', message: 'auth:validation.language' });
    if (errors.length) throw DomainError.validation(errors);
    if (await em.existsBy(Account, { username }))
      throw new DomainError(ErrorCode.Conflict, `username ${username} is taken`, [
        { field: 'username', message: 'auth:validation.usernameTaken' },
      ]);
    return em.save(
      em.create(Account, {
        username,
        displayName: input.displayName.trim(),
        email: input.email?.trim().toLowerCase() || null,
        passwordHash:
          input.password !== undefined && input.password !== null
            ? await this.hasher.hash(input.password)
            : null,
        preferredLanguage: input.preferredLanguage ?? 'lv',
      }),
    );
  }

  async setPassword(accountId: string, password: string): Promise<void> {
    const errors = passwordProblems(password);
    if (errors.length) throw DomainError.validation(errors);
    await this.ds.manager.update(
      Account,
      { id: accountId },
      { passwordHash: await this.hasher.hash(password) },
    );
  }

  async grant(
    accountId: string,
    municipalityId: string,
    role: Role,
    processKey: string | null = null,
    em: EntityManager = this.ds.manager,
  ): Promise<void> {
    if (!isRole(role))
      throw DomainError.validation([{ field: 'role', message: 'auth:validation.role' }]);
    if (processKey && role !== 'caseworker')
      throw DomainError.validation([
        { field: 'processKey', message: 'auth:validation.processKeyOnlyCaseworker' },
      ]);
    await em
      .createQueryBuilder()
      .insert()
      .into(RoleAssignment)
      .values({ accountId, municipalityId, role, processKey })
      .orIgnore()
      .execute();
  }

  async revoke(
    accountId: string,
    municipalityId: string,
    role: Role,
    processKey: string | null = null,
  ): Promise<void> {
    await this.ds.manager
      .createQueryBuilder()
      .delete()
      .from(RoleAssignment)
      .where('account_id = :accountId AND municipality_id = :municipalityId AND role = :role', {
        accountId,
        municipalityId,
        role,
      })
      .andWhere(processKey === null ? 'process_key IS NULL' : 'process_key = :processKey', {
        processKey,
      })
      .execute();
  }

  findByUsername(username: string): Promise<Account | null> {
    return this.ds.manager.findOneBy(Account, { username: username.trim().toLowerCase() });
  }

  /**
   * What every signed-in request needs, in one round trip: the account's state and its grants in
   * the active municipality (null when the account does not exist).
   */
  async forRequest(
    accountId: string,
    municipalityId: string | null,
  ): Promise<{
    id: string;
    displayName: string;
    personalCode: string | null;
    preferredLanguage: Language;
    disabled: boolean;
    grants: Grant[];
  } | null> {
    const [row] = (await this.ds.query(
      `SELECT a.id, a.display_name, a.personal_code, a.preferred_language, a.disabled,
              coalesce((SELECT json_agg(json_build_object('role', r.role, 'processKey', r.process_key) ORDER BY r.role, r.process_key)
                          FROM role_assignments r WHERE r.account_id = a.id AND r.municipality_id = $2), '[]'::json) AS grants
         FROM accounts a WHERE a.id = $1`,
      [accountId, municipalityId],
    )) as {
      id: string;
      display_name: string;
      personal_code: string | null;
      preferred_language: Language;
      disabled: boolean;
      grants: Grant[];
    }[];
    return row
      ? {
          id: row.id,
          displayName: row.display_name,
          personalCode: row.personal_code,
          preferredLanguage: row.preferred_language,
          disabled: row.disabled,
          grants: row.grants,
        }
      : null;
  }

  /** Municipalities where the account holds any role, staff roles first. */
  async municipalitiesOf(accountId: string): Promise<{ municipalityId: string; roles: Role[] }[]> {
    const rows: { municipality_id: string; roles: Role[] }[] = await this.ds.query(
      `SELECT municipality_id, array_agg(DISTINCT role ORDER BY role) AS roles
         FROM role_assignments WHERE account_id = $1 GROUP BY municipality_id
         ORDER BY bool_or(role <> 'citizen') DESC, min(created_at)`,
      [accountId],
    );
    return rows.map((r) => ({ municipalityId: r.municipality_id, roles: r.roles }));
  }

  /**
   * An account belongs to a municipality when it holds a role there and none anywhere else. A
   * municipal administrator manages only such accounts; one with roles in several municipalities
   * is the platform operator's (CLI), so no administrator reaches into another municipality.
   */
  async belongsTo(accountId: string, municipalityId: string): Promise<boolean> {
    if (!isUuid(accountId)) return false;
    const [row] = (await this.ds.query(
      `SELECT count(*) FILTER (WHERE municipality_id = $2)::int AS here, count(*) FILTER (WHERE municipality_id <> $2)::int AS elsewhere
         FROM role_assignments WHERE account_id = $1`,
      [accountId, municipalityId],
    )) as { here: number; elsewhere: number }[];
    return row.here > 0 && row.elsewhere === 0;
  }

  /** Whether the account holds a staff role (not only citizen) in the municipality. */
  async belongsToStaffOf(accountId: string, municipalityId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM role_assignments WHERE account_id = $1 AND municipality_id = $2 AND role <> 'citizen' LIMIT 1`,
      [accountId, municipalityId],
    );
    return rows.length > 0;
  }

  async markSignedIn(accountId: string, passwordRehash?: string): Promise<void> {
    await this.ds.manager.update(
      Account,
      { id: accountId },
      { lastSignInAt: new Date(), ...(passwordRehash ? { passwordHash: passwordRehash } : {}) },
    );
  }

  /** Sets the disabled flag only; AuthService.disableAccount also ends the sessions. */
  async setDisabled(
    accountId: string,
    disabled: boolean,
    em: EntityManager = this.ds.manager,
  ): Promise<void> {
    const res = await em.update(Account, { id: accountId }, { disabled });
    if (!res.affected) throw new DomainError(ErrorCode.NotFound, `account ${accountId} not found`);
  }

  async setPreferredLanguage(accountId: string, lang: Language): Promise<void> {
    if (!LANGUAGES.includes(lang))
      throw DomainError.validation([
        { field: 'preferredLanguage', message: 'auth:validation.language' },
      ]);
    await this.ds.manager.update(Account, { id: accountId }, { preferredLanguage: lang });
  }

  get manager(): EntityManager {
    return this.ds.manager;
  }
}

export function passwordProblems(password: string): FieldError[] {
  return password.length < MIN_PASSWORD_LENGTH
    ? [
        {
          field: 'password',
          message: 'auth:validation.passwordTooShort',
          params: { min: MIN_PASSWORD_LENGTH },
        },
      ]
    : [];
}
