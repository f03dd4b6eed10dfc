import { Inject, Injectable, Logger } from '@nestjs/common';
import { FilterParser } from 'ldapts';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { Account } from '../../accounts/account.entity';
import type { Grant } from '../../accounts/accounts.service';
import { isRole, STAFF_ROLES } from '../../accounts/roles';
import { DomainError, type FieldError } from '../../errors/domain-error';
import { AUTH_AUDIT, type AuthAudit } from '../auth-audit';
import { SecretBox } from '../secret-box';
import { DirectorySettings, type GroupRoleMapping } from './directory-settings.entity';
import {
  type DirectoryConnection,
  type DirectoryUser,
  LdapDirectory,
  normalizeDn,
} from './ldap-directory';

/**
 * What the administrator's form sends (strings as typed): the connection fields, the switch, and the
 * mapping, one line each `role[:processKey] group-DN`. An empty password keeps the stored one.
 */
export type DirectorySettingsInput = Omit<DirectoryConnection, 'timeoutMs'> & {
  enabled: boolean;
  roleMappings: string;
};

/** The settings as the form shows them: never the password, only whether one is stored. */
export type DirectorySettingsView = Omit<DirectorySettingsInput, 'bindPassword'> & {
  hasBindPassword: boolean;
};

const URL_RE = /^ldaps?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?\/?$/;
const ATTRIBUTE_RE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const PROCESS_KEY_RE = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DEFAULTS = new DirectorySettings();

/**
 * Per-municipality staff directory: its settings (edited by the municipality's administrator, the
 * service password encrypted) and what a directory answer means for the account: provisioning on
 * first sign-in and the group → role mapping, applied on every sign-in and session re-check.
 */
@Injectable()
export class DirectoryService {
  private readonly log = new Logger('Directory');
  private readonly box: SecretBox;

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AUTH_AUDIT) private readonly audit: AuthAudit,
  ) {
    this.box = new SecretBox(
      config.TOTP_ENCRYPTION_KEY ?? config.SESSION_SECRET,
      'directory-bind-password',
    );
  }

  /** The municipality's directory when directory sign-in is switched on, else null. */
  async enabledFor(
    municipalityId: string,
  ): Promise<{ settings: DirectorySettings; directory: LdapDirectory } | null> {
    const settings = await this.ds.getRepository(DirectorySettings).findOneBy({ municipalityId });
    if (!settings?.enabled) return null;
    return { settings, directory: this.client(settings) };
  }

  stored(municipalityId: string): Promise<DirectorySettings | null> {
    return this.ds.getRepository(DirectorySettings).findOneBy({ municipalityId });
  }

  client(s: DirectorySettings): LdapDirectory {
    return new LdapDirectory({
      url: s.url,
      caCertificate: s.caCertificate,
      bindDn: s.bindDn,
      bindPassword: s.bindPasswordEncrypted ? this.box.decrypt(s.bindPasswordEncrypted) : '',
      userDnTemplate: s.userDnTemplate,
      userBaseDn: s.userBaseDn,
      userFilter: s.userFilter,
      groupBaseDn: s.groupBaseDn,
      groupMemberAttribute: s.groupMemberAttribute,
      disabledFilter: s.disabledFilter,
      disabledGroupDn: s.disabledGroupDn,
      timeoutMs: this.config.DIRECTORY_TIMEOUT_MS,
    });
  }

  async view(municipalityId: string): Promise<DirectorySettingsView> {
    const s =
      (await this.ds.getRepository(DirectorySettings).findOneBy({ municipalityId })) ?? DEFAULTS;
    return {
      enabled: s.enabled ?? false,
      url: s.url ?? '',
      caCertificate: s.caCertificate ?? '',
      bindDn: s.bindDn ?? '',
      hasBindPassword: !!s.bindPasswordEncrypted,
      userDnTemplate: s.userDnTemplate ?? '',
      userBaseDn: s.userBaseDn ?? '',
      userFilter: s.userFilter ?? '(&(objectClass=inetOrgPerson)(uid={login}))',
      groupBaseDn: s.groupBaseDn ?? '',
      groupMemberAttribute: s.groupMemberAttribute ?? 'member',
      disabledFilter: s.disabledFilter ?? '(pwdAccountLockedTime=*)',
      disabledGroupDn: s.disabledGroupDn ?? '',
      roleMappings: (s.roleMappings ?? [])
        .map((m) => `${m.role}${m.processKey ? `:${m.processKey}` : ''} ${m.groupDn}`)
        .join('\n'),
    };
  }

  /** Validates (field-level errors, nothing stored on any) and stores; audited without the password. */
  async save(
    municipalityId: string,
    input: DirectorySettingsInput,
    byAccountId: string | null,
  ): Promise<void> {
    const repo = this.ds.getRepository(DirectorySettings);
    const existing = await repo.findOneBy({ municipalityId });
    const errors: FieldError[] = [];
    const mappings = parseMappings(input.roleMappings, errors);
    const t = (v: string): string => v.trim();
    const url = t(input.url);
    if (url && !URL_RE.test(url))
      errors.push({ field: 'url', message: 'admin:directory.errors.url' });
    if (input.enabled && !url) errors.push({ field: 'url', message: 'admin:directory.errors.url' });
    const ca = t(input.caCertificate);
    if (ca && !/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(ca))
      errors.push({ field: 'caCertificate', message: 'admin:directory.errors.caCertificate' });
    const bindDn = t(input.bindDn);
    const template = t(input.userDnTemplate);
    if (input.enabled && !bindDn && !template)
      errors.push({ field: 'bindDn', message: 'admin:directory.errors.bindOrTemplate' });
    if (template && !template.includes('{login}'))
      errors.push({ field: 'userDnTemplate', message: 'admin:directory.errors.template' });
    if (bindDn && !input.bindPassword && !existing?.bindPasswordEncrypted)
      errors.push({ field: 'bindPassword', message: 'admin:directory.errors.bindPassword' });
    if (input.enabled && !t(input.userBaseDn))
      errors.push({ field: 'userBaseDn', message: 'admin:directory.errors.userBaseDn' });
    const userFilter = t(input.userFilter);
    if (!userFilter.includes('{login}') || !parses(userFilter.replaceAll('{login}', 'x')))
      errors.push({ field: 'userFilter', message: 'admin:directory.errors.userFilter' });
    const disabledFilter = t(input.disabledFilter);
    if (disabledFilter && !parses(disabledFilter))
      errors.push({ field: 'disabledFilter', message: 'admin:directory.errors.filter' });
    const memberAttr = t(input.groupMemberAttribute) || 'member';
    if (!ATTRIBUTE_RE.test(memberAttr))
      errors.push({ field: 'groupMemberAttribute', message: 'admin:directory.errors.attribute' });
    if (input.enabled && mappings.length && !t(input.groupBaseDn))
      errors.push({ field: 'groupBaseDn', message: 'admin:directory.errors.groupBaseDn' });
    if (input.enabled && !mappings.length)
      errors.push({ field: 'roleMappings', message: 'admin:directory.errors.noMappings' });
    if (errors.length) throw DomainError.validation(errors);

    const passwordChanged = !!input.bindPassword;
    await repo.save({
      municipalityId,
      enabled: input.enabled,
      url,
      caCertificate: ca,
      bindDn,
      bindPasswordEncrypted: !bindDn
        ? null
        : passwordChanged
          ? this.box.encrypt(input.bindPassword)
          : existing!.bindPasswordEncrypted,
      userDnTemplate: template,
      userBaseDn: t(input.userBaseDn),
      userFilter,
      groupBaseDn: t(input.groupBaseDn),
      groupMemberAttribute: memberAttr,
      disabledFilter,
      disabledGroupDn: t(input.disabledGroupDn),
      roleMappings: mappings,
    });
    await this.audit.record({
      action: 'auth.directory_settings_changed',
      accountId: byAccountId,
      municipalityId,
      details: {
        enabled: input.enabled,
        url,
        bindDn,
        userBaseDn: t(input.userBaseDn),
        mappings: mappings.length,
        passwordChanged,
      },
    });
  }

  /** The grants the user's groups map to (none: the user may not sign in). */
  grantsFor(settings: DirectorySettings, user: DirectoryUser): Grant[] {
    const groups = new Set(user.groups);
    const grants = settings.roleMappings
      .filter((m) => groups.has(normalizeDn(m.groupDn)))
      .map((m) => ({ role: m.role, processKey: m.processKey }));
    return grants.filter(
      (g, i) => grants.findIndex((x) => x.role === g.role && x.processKey === g.processKey) === i,
    );
  }

  /**
   * The account of this directory entry (created on first sign-in, audited), its name refreshed and
   * its roles in the municipality replaced by `grants`: the directory is the source of truth for
   * directory accounts, so roles granted by hand to such an account are removed here too.
   */
  async provision(
    municipalityId: string,
    login: string,
    user: DirectoryUser,
    grants: Grant[],
  ): Promise<{ account: Account; created: boolean; rolesChanged: boolean }> {
    // Two first sign-ins at once: the loser of the unique index finds the winner's account on the retry.
    const once = () =>
      this.ds.transaction(async (em) => {
        let account = await em.findOneBy(Account, {
          directoryMunicipalityId: municipalityId,
          directoryEntryId: user.entryId,
        });
        const created = !account;
        account ??= em.create(Account, {
          username: null,
          email: null,
          displayName: user.displayName,
          preferredLanguage: 'lv',
          directoryMunicipalityId: municipalityId,
          directoryEntryId: user.entryId,
        });
        Object.assign(account, { displayName: user.displayName, directoryLogin: login });
        account = await em.save(account);
        const rolesChanged = await this.syncGrants(em, account.id, municipalityId, grants);
        return { account, created, rolesChanged };
      });
    const result = await once().catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505') return once();
      throw e;
    });
    if (result.created) {
      await this.audit.record({
        action: 'auth.account_provisioned',
        accountId: result.account.id,
        municipalityId,
        details: { source: 'directory', login, roles: grants.map(grantLabel).join(',') },
      });
    } else if (result.rolesChanged) {
      await this.audit.record({
        action: 'auth.directory_roles_changed',
        accountId: result.account.id,
        municipalityId,
        details: { roles: grants.map(grantLabel).join(',') },
      });
    }
    return result;
  }

  /** Removes every role the account holds in the municipality (disabled or no mapped group in the directory). */
  async revokeAll(accountId: string, municipalityId: string): Promise<boolean> {
    const changed = await this.ds.transaction((em) =>
      this.syncGrants(em, accountId, municipalityId, []),
    );
    if (changed)
      await this.audit.record({
        action: 'auth.directory_roles_changed',
        accountId,
        municipalityId,
        details: { roles: '' },
      });
    return changed;
  }

  /** The account of a directory entry, if provisioned before. */
  accountOf(municipalityId: string, entryId: string): Promise<Account | null> {
    return this.ds.manager.findOneBy(Account, {
      directoryMunicipalityId: municipalityId,
      directoryEntryId: entryId,
    });
  }

  warn(municipalityId: string, reason: string): void {
    this.log.warn({ municipalityId, reason }, 'staff directory unreachable');
  }

  private async syncGrants(
    em: EntityManager,
    accountId: string,
    municipalityId: string,
    grants: Grant[],
  ): Promise<boolean> {
    const held: { role: string; process_key: string | null }[] = await em.query(
      `SELECT role, process_key FROM role_assignments WHERE account_id = $1 AND municipality_id = $2`,
      [accountId, municipalityId],
    );
    const key = (role: string, pk: string | null): string => `${role}:${pk ?? ''}`;
    const want = new Set(grants.map((g) => key(g.role, g.processKey)));
    const have = new Set(held.map((h) => key(h.role, h.process_key)));
    const stale = held.filter((h) => !want.has(key(h.role, h.process_key)));
    for (const h of stale) {
      await em.query(
        `DELETE FROM role_assignments WHERE account_id = $1 AND municipality_id = $2 AND role = $3 AND process_key IS NOT DISTINCT FROM $4`,
        [accountId, municipalityId, h.role, h.process_key],
      );
    }
    const missing = grants.filter((g) => !have.has(key(g.role, g.processKey)));
    for (const g of missing) {
      await em.query(
        `INSERT INTO role_assignments (account_id, municipality_id, role, process_key) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [accountId, municipalityId, g.role, g.processKey],
      );
    }
    return stale.length > 0 || missing.length > 0;
  }
}

const grantLabel = (g: Grant): string => (g.processKey ? `${g.role}:${g.processKey}` : g.role);

const parses = (filter: string): boolean => {
  try {
    FilterParser.parseString(filter);
    return true;
  } catch {
    return false;
  }
};

/** `role[:processKey] group-DN` a line; blank lines and lines starting with # are skipped. */
function parseMappings(text: string, errors: FieldError[]): GroupRoleMapping[] {
  const out: GroupRoleMapping[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const [i, line] of lines.entries()) {
    const m = /^(\S+)\s+(\S.*)$/.exec(line);
    const [role, processKey] = (m?.[1] ?? '').split(':');
    const groupDn = m?.[2].trim() ?? '';
    const ok =
      !!m &&
      isRole(role) &&
      STAFF_ROLES.includes(role) &&
      /^[^=,]+=[^=]/.test(groupDn) &&
      (processKey === undefined || (role === 'caseworker' && PROCESS_KEY_RE.test(processKey)));
    if (!ok) {
      errors.push({
        field: 'roleMappings',
        message: 'admin:directory.errors.mapping',
        params: { line: i + 1 },
      });
      continue;
    }
    out.push({ groupDn, role, processKey: processKey ?? null });
  }
  return out;
}
