import {
  DEMO_CITIZENS,
  DEMO_STAFF,
  DEV_IDP_PASSWORD,
  demoStaffEmail,
} from '../../accounts/demo-identities';
import { STAFF_ROLES } from '../../accounts/roles';

export interface DevIdentity {
  sub: string;
  /** What the person types on the dev IdP's login page. */
  login: string;
  givenName: string;
  familyName: string;
  email: string;
  personalCode: string | null;
  password: string;
  kind: 'citizen' | 'staff';
}

const citizens: DevIdentity[] = DEMO_CITIZENS.map((c) => ({
  sub: c.sub,
  login: c.personalCode,
  givenName: c.givenName,
  familyName: c.familyName,
  email: c.email,
  personalCode: c.personalCode,
  password: DEV_IDP_PASSWORD,
  kind: 'citizen',
}));

/**
 * Staff log in to the dev IdP with their demo username `<role>.<municipality code>`; the IdP
 * vouches for the matching verified e-mail, which the relying party links to the staff account.
 */
function staffIdentity(login: string): DevIdentity | undefined {
  const m = /^([a-z-]+)\.([a-z0-9-]+)$/.exec(login.trim().toLowerCase());
  if (!m) return undefined;
  const role = STAFF_ROLES.find((r) => r.replace('_', '-') === m[1]);
  if (!role) return undefined;
  const person = DEMO_STAFF.find((s) => s.role === role)!;
  const [givenName, ...rest] = person.displayName.split(' ');
  return {
    sub: `staff-${m[1]}.${m[2]}`,
    login: `${m[1]}.${m[2]}`,
    givenName,
    familyName: rest.join(' '),
    email: demoStaffEmail(role, m[2]),
    personalCode: null,
    password: DEV_IDP_PASSWORD,
    kind: 'staff',
  };
}

/** By login (personal code or staff username) or by subject. */
export function findDevIdentity(loginOrSub: string): DevIdentity | undefined {
  const v = loginOrSub.trim();
  const plainCode = v.replace(/[\s-]/g, '');
  const citizen = citizens.find((c) => c.sub === v || c.login.replace('-', '') === plainCode);
  if (citizen) return citizen;
  return staffIdentity(v.startsWith('staff-') ? v.slice('staff-'.length) : v);
}

export const listDevIdentities = (): DevIdentity[] => citizens;
