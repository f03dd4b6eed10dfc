import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { appDataSource } from './db';
import { createMunicipality } from '../../factories/municipalities';

/** Issue 12 L6: case timelines and the sign-in log are append-only for the app role, like the audit log. */
describe('append-only logs (app role)', () => {
  let ds: DataSource;
  let tenantDb: TenantDb;
  beforeAll(async () => {
    ds = await appDataSource(2);
    tenantDb = new TenantDb(ds);
  });
  afterAll(() => ds.destroy());

  it('appends to a case timeline but may not change or delete its events', async () => {
    const m = await createMunicipality(ds);
    const eventId = await tenantDb.run(m.id, async (em) => {
      const [c] = (await em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, title) VALUES ($1, $2, 'reference', 1, 'Append-only') RETURNING id`,
        [m.id, `TL-${randomBytes(3).toString('hex')}`],
      )) as { id: string }[];
      const [e] = (await em.query(
        `INSERT INTO timeline_events (municipality_id, case_id, kind, actor, data) VALUES ($1, $2, 'case.opened', 'system', '{}') RETURNING id`,
        [m.id, c.id],
      )) as { id: string }[];
      return e.id;
    });
    for (const sql of [
      `UPDATE timeline_events SET kind = 'case.closed' WHERE id = $1`,
      `DELETE FROM timeline_events WHERE id = $1`,
    ]) {
      await expect(tenantDb.run(m.id, (em) => em.query(sql, [eventId]))).rejects.toThrow(
        /permission denied for table timeline_events/,
      );
    }
    const rows = (await tenantDb.run(m.id, (em) =>
      em.query(`SELECT kind FROM timeline_events WHERE id = $1`, [eventId]),
    )) as { kind: string }[];
    expect(rows).toEqual([{ kind: 'case.opened' }]);
  });

  it('appends to the sign-in log but may not change or delete an attempt', async () => {
    const [row] = (await ds.query(
      `INSERT INTO sign_in_attempts (method, identifier, outcome, reason, ip) VALUES ('password', 'someone', 'failure', 'bad_password', '127.0.0.1') RETURNING id`,
    )) as { id: string }[];
    for (const sql of [
      `UPDATE sign_in_attempts SET outcome = 'success' WHERE id = $1`,
      `DELETE FROM sign_in_attempts WHERE id = $1`,
    ]) {
      await expect(ds.query(sql, [row.id])).rejects.toThrow(
        /permission denied for table sign_in_attempts/,
      );
    }
    await expect(ds.query(`TRUNCATE sign_in_attempts`)).rejects.toThrow(
      /permission denied for table sign_in_attempts/,
    );
    expect(await ds.query(`SELECT outcome FROM sign_in_attempts WHERE id = $1`, [row.id])).toEqual([
      { outcome: 'failure' },
    ]);
  });
});
