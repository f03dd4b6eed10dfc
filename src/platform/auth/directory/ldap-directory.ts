import {
  Client,
  DN,
  type Entry,
  Filter,
  InvalidCredentialsError,
  SizeLimitExceededError,
} from 'ldapts';

/** What the directory client needs of a municipality's settings (password decrypted). */
export interface DirectoryConnection {
  url: string;
  caCertificate: string;
  bindDn: string;
  bindPassword: string;
  userDnTemplate: string;
  userBaseDn: string;
  userFilter: string;
  groupBaseDn: string;
  groupMemberAttribute: string;
  disabledFilter: string;
  disabledGroupDn: string;
  timeoutMs: number;
}

/** A directory user as sign-in sees it. */
export interface DirectoryUser {
  dn: string;
  /** entryUUID (OpenLDAP), objectGUID (AD), nsUniqueId (389 DS), else the DN. */
  entryId: string;
  displayName: string;
  email: string | null;
  /** DNs of the groups the user is a member of (normalised: lower-case, no blanks around separators). */
  groups: string[];
  disabled: boolean;
}

export type DirectoryAnswer =
  | { ok: true; user: DirectoryUser }
  | { ok: false; reason: 'unknown_user' | 'ambiguous_user' | 'bad_password' };

/** The directory could not be asked (down, timeout, TLS, refused service bind, bad configuration). */
export class DirectoryUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`directory unavailable: ${reason}`);
    this.name = 'DirectoryUnavailable';
  }
}

const USER_ATTRIBUTES = [
  'entryUUID',
  'objectGUID',
  'nsUniqueId',
  'uid',
  'cn',
  'displayName',
  'mail',
];

/** Lower-case, no blanks after separators: how group DNs from the directory and the mapping are compared. */
export const normalizeDn = (dn: string): string =>
  dn
    .toLowerCase()
    .split(',')
    .map((rdn) =>
      rdn
        .split('=')
        .map((part) => part.trim())
        .join('='),
    )
    .join(',');

/** A value placed into a DN (the direct-bind template): RFC 4514 escaping by the library's DN builder. */
const escapeDnValue = (value: string): string => new DN({ x: value }).toString().slice(2);

/**
 * A municipality's LDAP directory over ldapts. Never compares passwords itself: the user's own bind
 * decides. Every value from the user goes through the library's filter or DN escaping. An empty
 * password is refused before any bind (an LDAP "unauthenticated bind" would otherwise succeed).
 */
export class LdapDirectory {
  constructor(private readonly c: DirectoryConnection) {}

  /** Checks the login and password with a bind as the user; then reads name, groups and disabled state. */
  async authenticate(login: string, password: string): Promise<DirectoryAnswer> {
    if (!password) return { ok: false, reason: 'bad_password' };
    return this.withClient(async (client) => {
      let dn: string;
      if (this.c.bindDn) {
        await this.serviceBind(client);
        const found = await this.findUser(client, login);
        if (!found.ok) return found;
        dn = found.dn;
      } else {
        dn = this.c.userDnTemplate.replaceAll('{login}', escapeDnValue(login));
      }
      try {
        await client.bind(dn, password);
      } catch (e) {
        // A locked account (ppolicy) also answers "invalid credentials".
        // Direct bind cannot tell an unknown name from a wrong password: both are bad_password.
        if (e instanceof InvalidCredentialsError) return { ok: false, reason: 'bad_password' };
        throw e;
      }
      // Read as the service account where there is one (users may not read groups), else as the user.
      if (this.c.bindDn) await this.serviceBind(client);
      return { ok: true, user: await this.readUser(client, dn) };
    });
  }

  /** The user's current state, found again by login with the service account (session re-check); null when gone. */
  async lookup(login: string): Promise<DirectoryUser | null> {
    if (!this.c.bindDn) throw new DirectoryUnavailable('no service account to look users up with');
    return this.withClient(async (client) => {
      await this.serviceBind(client);
      const found = await this.findUser(client, login);
      return found.ok ? this.readUser(client, found.dn) : null;
    });
  }

  /** Binds as the service account and reads the user base: proves the settings work. */
  async probe(): Promise<void> {
    await this.withClient(async (client) => {
      if (this.c.bindDn) await this.serviceBind(client);
      await client.search(this.c.userBaseDn, { scope: 'base', attributes: ['dn'] });
    });
  }

  get canLookup(): boolean {
    return !!this.c.bindDn;
  }

  private async findUser(
    client: Client,
    login: string,
  ): Promise<{ ok: true; dn: string } | { ok: false; reason: 'unknown_user' | 'ambiguous_user' }> {
    const filter = this.c.userFilter.replaceAll('{login}', Filter.escape(login));
    const { searchEntries } = await client
      .search(this.c.userBaseDn, { scope: 'sub', filter, attributes: ['dn'], sizeLimit: 2 })
      .catch((e: unknown) => {
        // More entries than the size limit: the filter matches more than one user.
        if (e instanceof SizeLimitExceededError)
          return { searchEntries: [{ dn: '' }, { dn: '' }] as Entry[] };
        throw e;
      });
    if (searchEntries.length === 0) return { ok: false, reason: 'unknown_user' };
    if (searchEntries.length > 1) return { ok: false, reason: 'ambiguous_user' };
    return { ok: true, dn: searchEntries[0].dn };
  }

  private async readUser(client: Client, dn: string): Promise<DirectoryUser> {
    const { searchEntries } = await client.search(dn, {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: USER_ATTRIBUTES,
      explicitBufferAttributes: ['objectGUID'],
    });
    const e = searchEntries[0];
    if (!e) throw new DirectoryUnavailable('user entry not readable after bind');
    const groups = this.c.groupBaseDn ? await this.groupsOf(client, dn, e) : [];
    const disabledByGroup =
      !!this.c.disabledGroupDn && groups.includes(normalizeDn(this.c.disabledGroupDn));
    const disabledByFilter =
      !!this.c.disabledFilter &&
      (
        await client.search(dn, {
          scope: 'base',
          filter: `(&(objectClass=*)${this.c.disabledFilter})`,
          attributes: ['dn'],
        })
      ).searchEntries.length > 0;
    return {
      dn: e.dn,
      entryId: first(e.entryUUID) ?? guid(e.objectGUID) ?? first(e.nsUniqueId) ?? normalizeDn(e.dn),
      displayName: first(e.displayName) ?? first(e.cn) ?? e.dn,
      email: first(e.mail)?.toLowerCase() ?? null,
      groups,
      disabled: disabledByGroup || disabledByFilter,
    };
  }

  private async groupsOf(client: Client, dn: string, entry: Entry): Promise<string[]> {
    const attr = this.c.groupMemberAttribute || 'member';
    // memberUid (posixGroup) holds the uid, member/uniqueMember the DN.
    const value = attr.toLowerCase() === 'memberuid' ? (first(entry.uid) ?? dnFirstValue(dn)) : dn;
    const filter = `(${attr}=${Filter.escape(value)})`;
    const { searchEntries } = await client.search(this.c.groupBaseDn, {
      scope: 'sub',
      filter,
      attributes: ['dn'],
    });
    return searchEntries.map((g) => normalizeDn(g.dn));
  }

  private async serviceBind(client: Client): Promise<void> {
    try {
      await client.bind(this.c.bindDn, this.c.bindPassword);
    } catch (e) {
      throw new DirectoryUnavailable(
        `service bind refused (${e instanceof Error ? e.message : String(e)})`,
      );
    }
  }

  private async withClient<T>(fn: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({
      url: this.c.url,
      timeout: this.c.timeoutMs,
      connectTimeout: this.c.timeoutMs,
      strictDN: true,
      tlsOptions: this.c.caCertificate.trim() ? { ca: [this.c.caCertificate] } : undefined,
    });
    try {
      return await fn(client);
    } catch (e) {
      if (e instanceof DirectoryUnavailable) throw e;
      throw new DirectoryUnavailable(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }
}

const first = (v: Entry[string] | undefined): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return x === undefined ? undefined : Buffer.isBuffer(x) ? x.toString('utf8') : x;
};

const guid = (v: Entry[string] | undefined): string | undefined => {
  const x = Array.isArray(v) ? v[0] : v;
  return Buffer.isBuffer(x) && x.length ? x.toString('hex') : undefined;
};

const dnFirstValue = (dn: string): string => dn.split(',')[0].split('=').slice(1).join('=');
