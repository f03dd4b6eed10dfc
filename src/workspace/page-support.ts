import type { Request, Response } from 'express';
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

/** The staff navigation (MoJ sub-navigation); entries only for what the user may open. */
export function staffNav(i18n: I18nService, req: Request, current: 'inbox' | 'dashboard' | 'admin') {
  const roles = req.user?.roles ?? [];
  const items = [{ key: 'inbox', href: '/workspace', label: i18n.t(req.lang, 'workspace:nav.inbox') }];
  if (roles.includes('manager')) items.push({ key: 'dashboard', href: '/workspace/dashboard', label: i18n.t(req.lang, 'workspace:nav.dashboard') });
  if (roles.includes('administrator')) items.push({ key: 'admin', href: '/admin', label: i18n.t(req.lang, 'workspace:nav.admin') });
  return items.map((i) => ({ ...i, current: i.key === current }));
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
