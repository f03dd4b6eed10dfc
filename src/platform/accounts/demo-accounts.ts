import type { DataSource } from 'typeorm';
import { Municipality } from '../tenancy/municipality.entity';
import { Account } from './account.entity';
import { PasswordHasher } from './password-hasher';
import { RoleAssignment } from './role-assignment.entity';
import type { Role } from './roles';
import {
  DEMO_CITIZENS,
  DEMO_STAFF,
  DEMO_STAFF_PASSWORD,
  DEV_IDP_PASSWORD,
  demoStaffEmail,
  demoStaffUsername,
} from './demo-identities';

export interface DemoAccount {
  role: Role;
  displayName: string;
  /** How to sign in: a staff username with password, or the personal code on the dev eID page. */
  login: string;
  password: string;
  via: 'password' | 'eid';
}

/**
 * Idempotent demo accounts for one municipality: one staff account per staff role (password
 * sign-in, and eID through the dev IdP by e-mail) and the citizens known to the dev IdP (the first
 * is listed).
 */
export async function seedDemoAccounts(
  ds: DataSource,
  municipalityId: string,
): Promise<DemoAccount[]> {
  const m = await ds.getRepository(Municipality).findOneByOrFail({ id: municipalityId });
  const hasher = new PasswordHasher();
  const out: DemoAccount[] = [];
  await ds.transaction(async (em) => {
    const ensureRole = (accountId: string, role: Role): Promise<unknown> =>
      em
        .createQueryBuilder()
        .insert()
        .into(RoleAssignment)
        .values({ accountId, municipalityId, role, processKey: null })
        .orIgnore()
        .execute();

    for (const s of DEMO_STAFF) {
      const displayName = m.country === 'GR' ? s.displayNameGr : s.displayName;
      const username = demoStaffUsername(s.role, m.code);
      let acc = await em.findOneBy(Account, { username });
      acc ??= await em.save(
        em.create(Account, {
          username,
          email: demoStaffEmail(s.role, m.code),
          displayName,
          passwordHash: await hasher.hash(DEMO_STAFF_PASSWORD),
          preferredLanguage: m.country === 'GR' ? 'el' : 'lv',
        }),
      );
      await ensureRole(acc.id, s.role);
      out.push({
        role: s.role,
        displayName: acc.displayName,
        login: username,
        password: DEMO_STAFF_PASSWORD,
        via: 'password',
      });
    }

    // Every dev-IdP resident has an account (the demo cases name them); the first is the one to try.
    for (const [i, c] of DEMO_CITIZENS.entries()) {
      let citizen = await em.findOneBy(Account, { personalCode: c.personalCode });
      citizen ??= await em.save(
        em.create(Account, {
          displayName: `${c.givenName} ${c.familyName}`,
          personalCode: c.personalCode,
          preferredLanguage: 'lv',
        }),
      );
      await ensureRole(citizen.id, 'citizen');
      if (i === 0)
        out.push({
          role: 'citizen',
          displayName: citizen.displayName,
          login: c.personalCode,
          password: DEV_IDP_PASSWORD,
          via: 'eid',
        });
    }
  });
  return out;
}

/** Lines for the console, e.g. after `scripts/up.sh`. */
export function formatDemoAccounts(municipalityName: string, list: DemoAccount[]): string {
  const rows = list.map((a) =>
    a.via === 'password'
      ? `  ${a.role.padEnd(18)} ${a.displayName.padEnd(18)} username ${a.login}  password ${a.password}`
      : `  ${a.role.padEnd(18)} ${a.displayName.padEnd(18)} "Sign in with eID", personal code ${a.login}  password ${a.password}`,
  );
  return [`demo accounts for ${municipalityName}:`, ...rows].join('\n');
}
