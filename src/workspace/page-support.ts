import type { Request, Response } from 'express';
import { API_CLIENT_COUNTRIES } from '../platform/api-clients/api-client.entity';
import { satisfies } from '../platform/auth/access';
import type { SessionUser } from '../platform/auth/session-user';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import type { I18nService } from '../platform/i18n/i18n.service';
import type { StaffMenuEntry } from '../processes/process-module';
import type { ProcessRegistry } from '../processes/process-registry';

export interface StaffUser {
  accountId: string;
  displayName: string;
  municipalityId: string;
  roles: string[];
  grants: SessionUser['grants'];
}

/** The signed-in staff member with an active municipality (the access guard ran before). */
export function staffOf(req: Request): StaffUser {
  const u = req.user;
  if (!u?.municipalityId) throw new DomainError(ErrorCode.Unauthenticated, 'sign-in required');
  return {
    accountId: u.accountId,
    displayName: u.displayName,
    municipalityId: u.municipalityId,
    roles: u.roles,
    grants: u.grants,
  };
}

/** The platform's own staff pages: first the inbox and dashboard, last administration; process modules' entries go between. */
const FIRST: readonly StaffMenuEntry[] = [
  {
    key: 'inbox',
    href: '/workspace',
    label: 'workspace:nav.inbox',
    anyOf: ['caseworker', 'manager', 'council_secretary', 'deputy', 'administrator'],
  },
  {
    key: 'dashboard',
    href: '/workspace/dashboard',
    label: 'workspace:nav.dashboard',
    anyOf: ['manager'],
  },
  {
    key: 'correspondence',
    href: '/workspace/correspondence',
    label: 'workspace:nav.correspondence',
    anyOf: ['caseworker', 'manager'],
  },
  {
    key: 'letters',
    href: '/workspace/letters',
    label: 'workspace:nav.letters',
    anyOf: ['caseworker', 'manager'],
  },
  {
    key: 'payments',
    href: '/workspace/payments',
    label: 'workspace:nav.payments',
    anyOf: ['manager'],
  },
];
const LAST: readonly StaffMenuEntry[] = [
  {
    key: 'api-clients',
    href: '/admin/api-clients',
    label: 'workspace:nav.apiClients',
    anyOf: ['administrator'],
    countries: API_CLIENT_COUNTRIES,
  },
  { key: 'admin', href: '/admin', label: 'workspace:nav.admin', anyOf: ['administrator'] },
];

/** Every staff feature, in menu order: the platform's and each process module's (its manifest's navigation). */
export const staffMenuEntries = (processes: ProcessRegistry): StaffMenuEntry[] => [
  ...FIRST,
  ...processes.staffMenu(),
  ...LAST,
];

/** The staff menu for this user: only what they may open; the entry whose path is the longest prefix of the page is current. */
export function staffMenu(
  i18n: I18nService,
  req: Request,
  country: string | undefined,
  entries: readonly StaffMenuEntry[],
) {
  const grants = req.user?.grants ?? [];
  const items = entries.filter(
    (e) =>
      e.anyOf.some((r) => satisfies(grants, r)) &&
      (!e.countries || (country !== undefined && e.countries.includes(country))),
  );
  const path = req.path;
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  const current = items
    .filter((e) => under(e.href) || (e.alsoCurrentUnder ?? []).some(under))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((e) => ({
    key: e.key,
    href: e.href,
    label: i18n.t(req.lang, e.label),
    current: e === current,
  }));
}

type StaffNav = ReturnType<typeof staffMenu>;

/** The staff navigation (MoJ sub-navigation) of a page, as staffMenuMiddleware put it there; `_current` is kept for callers, the path decides. */
export function staffNav(_i18n: I18nService, req: Request, _current?: string): StaffNav {
  return (req.res?.locals.nav as StaffNav | undefined) ?? [];
}

/** Puts the staff menu on every staff page (workspace and admin), and the portal menu on a signed-in resident's pages. */
export function staffMenuMiddleware(i18n: I18nService, processes: ProcessRegistry) {
  const citizenPaths = processes.modules.flatMap((m) => m.navigation?.citizenPaths ?? []);
  const citizenCasePaths = processes.modules.flatMap((m) => m.navigation?.citizenCasePaths ?? []);
  const portal = new RegExp(
    `^/(${['my-cases', 'my-data', 'services', 'dev', ...citizenPaths.map((p) => p.replace(/^\//, ''))].join('|')})(/|$)`,
  );
  return (req: Request, res: Response, next: () => void): void => {
    const staff = req.user?.roles.some((r) => r !== 'citizen');
    if (staff && /^\/(workspace|admin)(\/|$)/.test(req.path)) {
      const country = (res.locals.municipality as { country?: string } | undefined)?.country;
      res.locals.nav = staffMenu(i18n, req, country, staffMenuEntries(processes));
    }
    // A signed-in resident finds the catalogue, their cases and who used their data from every portal page.
    else if (req.user && !staff && portal.test(req.path))
      res.locals.nav = [
        { href: '/services', label: i18n.t(req.lang, 'common:nav.portal') },
        { href: '/my-cases', label: i18n.t(req.lang, 'common:nav.myCases') },
        { href: '/my-data/consultations', label: i18n.t(req.lang, 'portal:nav.myData') },
      ].map((x) => ({
        ...x,
        current:
          req.path === x.href ||
          req.path.startsWith(`${x.href}/`) ||
          (x.href === '/my-cases' && citizenCasePaths.some((p) => req.path.startsWith(`${p}/`))),
      }));
    next();
  };
}

/** Only same-site paths under a known prefix are accepted as a place to go back to. */
export function safeReturn(value: unknown, fallback: string): string {
  return typeof value === 'string' &&
    /^\/(workspace|admin|my-cases|services)([/?][\w\-/?=&%.]*)?$/.test(value) &&
    !value.startsWith('//') &&
    !value.includes('..')
    ? value
    : fallback;
}

/** Flash message after a POST-redirect-GET: a known key in the query string, shown as a notification banner. */
export function flashFrom(
  i18n: I18nService,
  req: Request,
  ns: string,
): { heading: string; message: string; success: boolean } | undefined {
  const key =
    typeof req.query.done === 'string' && /^[a-zA-Z]+$/.test(req.query.done)
      ? req.query.done
      : undefined;
  if (!key || !i18n.has(req.lang, `${ns}:flash.${key}`)) return undefined;
  return {
    heading: i18n.t(req.lang, `${ns}:flash.title`),
    message: i18n.t(req.lang, `${ns}:flash.${key}`),
    success: true,
  };
}

/** Field errors of a validation DomainError in the user's language (for re-rendering a form). */
export function fieldErrorsOf(
  i18n: I18nService,
  req: Request,
  e: unknown,
): { field: string; text: string }[] | null {
  if (
    !(e instanceof DomainError) ||
    (e.code !== ErrorCode.ValidationFailed && e.fields.length === 0)
  )
    return null;
  return e.fields.map((f) => ({
    field: f.field.replace(/^decision\./, ''),
    text: i18n.t(req.lang, f.message, f.params ?? {}),
  }));
}

export const render = (
  res: Response,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): void => {
  res.status(status).render(view, data);
};
