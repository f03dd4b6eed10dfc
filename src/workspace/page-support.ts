import type { Request, Response } from 'express';
import { satisfies } from '../platform/auth/access';
import type { RoleRequirement } from '../platform/auth/access.decorators';
import type { SessionUser } from '../platform/auth/session-user';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import type { I18nService } from '../platform/i18n/i18n.service';

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
  return { accountId: u.accountId, displayName: u.displayName, municipalityId: u.municipalityId, roles: u.roles, grants: u.grants };
}

interface MenuEntry {
  key: string;
  href: string;
  label: string;
  /** Who may open it: the same requirements as the route's @Roles (the menu test checks they agree). */
  anyOf: RoleRequirement[];
  /** Countries whose municipalities offer it (a process's register exists only there). */
  countries?: readonly string[];
}

const RESIDENCE_STAFF: RoleRequirement[] = [{ role: 'caseworker', process: 'residence-declaration' }, 'manager'];

/** Every staff feature, in menu order (the process modules issue moves process entries into their manifests). */
export const STAFF_MENU: readonly MenuEntry[] = [
  { key: 'inbox', href: '/workspace', label: 'workspace:nav.inbox', anyOf: ['caseworker', 'manager', 'council_secretary', 'deputy', 'administrator'] },
  { key: 'dashboard', href: '/workspace/dashboard', label: 'workspace:nav.dashboard', anyOf: ['manager'] },
  { key: 'letters', href: '/workspace/letters', label: 'workspace:nav.letters', anyOf: ['caseworker', 'manager'] },
  { key: 'declare', href: '/workspace/residence/declare', label: 'workspace:nav.declare', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'annulment', href: '/workspace/residence/annulments/new', label: 'workspace:nav.annulment', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'certificates', href: '/workspace/residence/certificates', label: 'workspace:nav.certificates', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'persons', href: '/workspace/residence/persons', label: 'workspace:nav.persons', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'lists', href: '/workspace/residence/lists', label: 'workspace:nav.lists', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'statistics', href: '/workspace/residence/statistics', label: 'workspace:nav.statistics', anyOf: RESIDENCE_STAFF, countries: ['LV'] },
  { key: 'admin', href: '/admin', label: 'workspace:nav.admin', anyOf: ['administrator'] },
];

/** The staff menu for this user: only what they may open; the entry whose path is the longest prefix of the page is current. */
export function staffMenu(i18n: I18nService, req: Request, country: string | undefined) {
  const grants = req.user?.grants ?? [];
  const items = STAFF_MENU.filter((e) => e.anyOf.some((r) => satisfies(grants, r)) && (!e.countries || (country !== undefined && e.countries.includes(country))));
  const path = req.path;
  const current = items
    .filter((e) => path === e.href || path.startsWith(`${e.href}/`) || (e.key === 'declare' && path.startsWith('/workspace/residence/cases')))
    .sort((a, b) => b.href.length - a.href.length)[0];
  return items.map((e) => ({ key: e.key, href: e.href, label: i18n.t(req.lang, e.label), current: e === current }));
}

/** The staff navigation (MoJ sub-navigation) of a page; `_current` is kept for callers, the path decides. */
export function staffNav(i18n: I18nService, req: Request, _current?: string) {
  return staffMenu(i18n, req, (req.res?.locals.municipality as { country?: string } | undefined)?.country);
}

/** Puts the staff menu on every staff page (workspace and admin) unless the page sets its own. */
export function staffMenuMiddleware(i18n: I18nService) {
  return (req: Request, res: Response, next: () => void): void => {
    const staff = req.user?.roles.some((r) => r !== 'citizen');
    if (staff && /^\/(workspace|admin)(\/|$)/.test(req.path)) res.locals.nav = staffNav(i18n, req);
    // A signed-in resident finds the catalogue, their cases and who used their data from every portal page.
    else if (req.user && !staff && /^\/(residence|my-cases|my-data|services|dev)(\/|$)/.test(req.path))
      res.locals.nav = [
        { href: '/services', label: i18n.t(req.lang, 'common:nav.portal') },
        { href: '/my-cases', label: i18n.t(req.lang, 'common:nav.myCases') },
        { href: '/my-data/consultations', label: i18n.t(req.lang, 'portal:nav.myData') },
      ].map((x) => ({ ...x, current: req.path === x.href || req.path.startsWith(`${x.href}/`) || (x.href === '/my-cases' && req.path.startsWith('/residence/cases/')) }));
    next();
  };
}

/** Only same-site paths under a known prefix are accepted as a place to go back to. */
export function safeReturn(value: unknown, fallback: string): string {
  return typeof value === 'string' && /^\/(workspace|admin|my-cases|services)([/?][\w\-/?=&%.]*)?$/.test(value) && !value.startsWith('//') && !value.includes('..') ? value : fallback;
}

/** Flash message after a POST-redirect-GET: a known key in the query string, shown as a notification banner. */
export function flashFrom(i18n: I18nService, req: Request, ns: string): { heading: string; message: string; success: boolean } | undefined {
  const key = typeof req.query.done === 'string' && /^[a-zA-Z]+$/.test(req.query.done) ? req.query.done : undefined;
  if (!key || !i18n.has(req.lang, `${ns}:flash.${key}`)) return undefined;
  return { heading: i18n.t(req.lang, `${ns}:flash.title`), message: i18n.t(req.lang, `${ns}:flash.${key}`), success: true };
}

/** Field errors of a validation DomainError in the user's language (for re-rendering a form). */
export function fieldErrorsOf(i18n: I18nService, req: Request, e: unknown): { field: string; text: string }[] | null {
  if (!(e instanceof DomainError) || (e.code !== ErrorCode.ValidationFailed && e.fields.length === 0)) return null;
  return e.fields.map((f) => ({ field: f.field.replace(/^decision\./, ''), text: i18n.t(req.lang, f.message, f.params ?? {}) }));
}

export const render = (res: Response, view: string, data: Record<string, unknown>, status = 200): void => {
  res.status(status).render(view, data);
};
