import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { AccountsService } from '../../src/platform/accounts/accounts.service';
import type { Role } from '../../src/platform/accounts/roles';
import { AuthService } from '../../src/platform/auth/auth.service';
import { personalCodeFor } from './persons';

/** A role in the municipality; a caseworker may be limited to one process. */
export type GrantSpec = Role | { role: 'caseworker'; process: string };

export interface StaffAccount {
  id: string;
  username: string;
  password: string;
}

export const uniqueName = (prefix: string): string => `${prefix}.${randomBytes(4).toString('hex')}`;

/** A staff account with a password and these grants in one municipality, as an administrator creates one (AccountsService). */
export async function createStaff(
  app: INestApplication,
  municipalityId: string,
  grants: GrantSpec[],
  opts: { displayName?: string; password?: string } = {},
): Promise<StaffAccount & { displayName: string }> {
  const accounts = app.get(AccountsService);
  const username = uniqueName('staff');
  const password = opts.password ?? `pw-${randomBytes(8).toString('hex')}`;
  const displayName = opts.displayName ?? `Staff ${username}`;
  const acc = await accounts.createStaff({ username, displayName, password });
  for (const g of grants) {
    if (typeof g === 'string') await accounts.grant(acc.id, municipalityId, g);
    else await accounts.grant(acc.id, municipalityId, g.role, g.process);
  }
  return { id: acc.id, username, password, displayName };
}

export interface ResidentAccount {
  id: string;
  personalCode: string;
  displayName: string;
}

/**
 * A resident's account, made the one way the app makes one: the resident's first eID sign-in into
 * this municipality (AuthService.signInWithOidc finds or creates the account and grants the citizen
 * role). A valid personal code is made up unless one is given.
 */
export async function createResident(
  app: INestApplication,
  municipalityId: string,
  opts: { personalCode?: string; displayName?: string } = {},
): Promise<ResidentAccount> {
  const personalCode = opts.personalCode ?? personalCodeFor('1985-04-12');
  const displayName = opts.displayName ?? 'Test Resident';
  const step = await app.get(AuthService).signInWithOidc(
    {
      issuer: 'https://eid.test',
      subject: personalCode,
      displayName,
      personalCode,
      email: null,
      emailVerified: false,
      locale: 'lv',
    },
    municipalityId,
    { ip: '127.0.0.1', userAgent: 'test factory' },
  );
  return { id: step.auth.accountId, personalCode, displayName };
}
