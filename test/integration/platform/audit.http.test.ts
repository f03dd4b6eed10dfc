import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import type { ResidentUser } from '../../../src/platform/audit/audit.controller';
import { AuditService } from '../../../src/platform/audit/audit.service';
import { appDataSource, createMunicipality } from './db';

let app: NestExpressApplication;
let ds: DataSource;
/** Test-only stand-in for the auth module: whoever this holds is the signed-in user. */
let signedIn: ResidentUser | undefined;

beforeAll(async () => {
  ds = await appDataSource(2);
  app = await createApp(loadConfig({ ...process.env, LOG_LEVEL: 'silent' }));
  app.use((req: Request, _res: Response, next: NextFunction) => {
    if (signedIn) (req as { user?: unknown }).user = signedIn;
    next();
  });
  await app.init();
});

afterAll(async () => {
  await app.close();
  await ds.destroy();
});

describe('GET /api/me/consultations', () => {
  it('returns dates and purposes of reads of the signed-in resident only', async () => {
    const m = await createMunicipality(ds, 'hc');
    const me = randomUUID();
    const audit = app.get(AuditService);
    const staff = { accountId: randomUUID(), display: 'Staff Member Name', role: 'caseworker' };
    await audit.recordRead({
      municipalityId: m.id,
      actor: staff,
      personId: me,
      subject: { type: 'person', id: me },
      purpose: 'housing benefit check',
    });
    await audit.recordRead({
      municipalityId: m.id,
      actor: staff,
      personId: randomUUID(),
      subject: { type: 'person', id: 'x' },
      purpose: 'someone else',
    });
    signedIn = {
      accountId: randomUUID(),
      displayName: 'Resident',
      municipalityId: m.id,
      personId: me,
    };

    const res = await request(app.getHttpServer())
      .get('/api/me/consultations')
      .set('X-Request-Id', 'consult-1')
      .expect(200);
    expect(res.body.personId).toBe(me);
    expect(res.body.consultations).toEqual([
      { at: expect.any(String), action: 'person.read', purpose: 'housing benefit check' },
    ]);
    expect(res.text).not.toContain('Staff Member Name');
    const logged = await audit.consultations(m.id, me, { accountId: null, display: 'test' });
    expect(logged).toHaveLength(1);
    const self = (await ds.transaction(async (em) => {
      await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [m.id]);
      return em.query(
        `SELECT request_id, ip FROM audit_log WHERE action = 'consultations.read' ORDER BY seq LIMIT 1`,
      );
    })) as { request_id: string; ip: string }[];
    expect(self[0].request_id).toBe('consult-1');
    expect(self[0].ip).toMatch(/127\.0\.0\.1|::1/);
  });

  it('answers 401 when nobody is signed in', async () => {
    signedIn = undefined;
    await request(app.getHttpServer()).get('/api/me/consultations').expect(401);
  });
});
