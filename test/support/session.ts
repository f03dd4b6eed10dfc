import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { AccountsService } from '../../src/platform/accounts/accounts.service';
import type { Role } from '../../src/platform/accounts/roles';

export type GrantSpec = Role | { role: 'caseworker'; process: string };

export interface Session {
  accountId: string;
  username: string;
  /** A supertest agent carrying the session cookie. */
  agent: ReturnType<typeof request.agent>;
  /** Send as X-CSRF-Token on state-changing API calls. */
  csrf: string;
  /** Cookie + CSRF headers, for `.set(s.headers)` or fetch. */
  headers: Record<string, string>;
}

/**
 * Creates a staff account with these grants in one municipality and signs it in through the real
 * password form (argon2id, session regeneration, CSRF): tests act as a real signed-in user.
 */
export async function signInStaff(app: INestApplication, municipalityId: string, grants: GrantSpec[]): Promise<Session> {
  const accounts = app.get(AccountsService);
  const username = `staff.${randomBytes(5).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const acc = await accounts.createStaff({ username, displayName: `Test ${username}`, password });
  for (const g of grants) {
    if (typeof g === 'string') await accounts.grant(acc.id, municipalityId, g);
    else await accounts.grant(acc.id, municipalityId, g.role, g.process);
  }
  const agent = request.agent(app.getHttpServer());
  const before = await agent.get('/api/auth/session').expect(200);
  const res = await agent
    .post('/auth/sign-in')
    .type('form')
    .send({ _csrf: before.body.csrfToken, username, password, municipalityId });
  if (res.status !== 303) throw new Error(`sign-in failed with ${res.status}`);
  const after = await agent.get('/api/auth/session').expect(200);
  if (!after.body.user) throw new Error('not signed in after sign-in');
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  const csrf = after.body.csrfToken as string;
  return { accountId: acc.id, username, agent, csrf, headers: { cookie, 'x-csrf-token': csrf } };
}
