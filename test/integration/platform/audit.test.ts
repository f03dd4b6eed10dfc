import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/config';
import { entryHash, GENESIS_HASH, verifyChain } from '../../../src/platform/audit/audit-chain';
import { auditVerifyCommand } from '../../../src/platform/audit/audit-verify.command';
import { AuditService, type AuditActor } from '../../../src/platform/audit/audit.service';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { appDataSource, clientAs } from './db';
import { createMunicipality } from '../../factories/municipalities';

const clerk: AuditActor = { accountId: randomUUID(), display: 'Ilze Bērziņa', role: 'caseworker' };

let ds: DataSource;
let tenantDb: TenantDb;
let audit: AuditService;
let su: Client;

beforeAll(async () => {
  ds = await appDataSource(10);
  tenantDb = new TenantDb(ds);
  audit = new AuditService(ds, tenantDb);
  su = await clientAs('superuser');
});

afterAll(async () => {
  await su.end();
  await ds.destroy();
});

const readOf = (municipalityId: string, personId: string, purpose: string, actor = clerk) =>
  audit.recordRead({
    municipalityId,
    actor,
    personId,
    subject: { type: 'person', id: personId },
    purpose,
  });

async function chainOf(municipalityId: string, n: number): Promise<string[]> {
  const seqs: string[] = [];
  for (let i = 0; i < n; i++)
    seqs.push((await readOf(municipalityId, randomUUID(), `check ${i}`)).seq);
  return seqs;
}

const countRows = async (municipalityId: string): Promise<number> =>
  Number(
    (
      await su.query(`SELECT count(*) AS n FROM audit_log WHERE municipality_id = $1`, [
        municipalityId,
      ])
    ).rows[0].n,
  );

const verifyLines = async (code: string): Promise<{ code: number; lines: string[] }> => {
  const lines: string[] = [];
  const exit = await auditVerifyCommand(['--municipality', code], loadConfig(), (l) =>
    lines.push(l),
  );
  return { code: exit, lines };
};

describe('audit log: append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE from the app role (permission denied)', async () => {
    const m = await createMunicipality(ds);
    const { seq } = await readOf(m.id, randomUUID(), 'eligibility check');
    await tenantDb.run(m.id, async (em) => {
      await expect(em.query(`SELECT 1 FROM audit_log WHERE seq = $1`, [seq])).resolves.toHaveLength(
        1,
      );
    });
    for (const sql of [
      `UPDATE audit_log SET purpose = 'changed' WHERE seq = ${seq}`,
      `DELETE FROM audit_log WHERE seq = ${seq}`,
      `TRUNCATE audit_log`,
    ]) {
      await expect(tenantDb.run(m.id, (em) => em.query(sql))).rejects.toThrow(
        /permission denied for table audit_log/,
      );
    }
    expect(await countRows(m.id)).toBe(1);
  });

  it('refuses UPDATE, DELETE and TRUNCATE from the superuser and the owner through the trigger', async () => {
    const m = await createMunicipality(ds);
    const { seq } = await readOf(m.id, randomUUID(), 'eligibility check');
    await expect(
      su.query(`UPDATE audit_log SET purpose = 'x' WHERE seq = $1`, [seq]),
    ).rejects.toThrow(/audit_log is append-only: UPDATE refused/);
    await expect(su.query(`DELETE FROM audit_log WHERE seq = $1`, [seq])).rejects.toThrow(
      /append-only: DELETE refused/,
    );
    const owner = await clientAs('owner');
    try {
      await expect(owner.query(`TRUNCATE audit_log`)).rejects.toThrow(
        /append-only: TRUNCATE refused/,
      );
    } finally {
      await owner.end();
    }
    const row = await su.query(`SELECT purpose FROM audit_log WHERE seq = $1`, [seq]);
    expect(row.rows[0].purpose).toBe('eligibility check');
  });

  it('refuses a direct INSERT of a read without purpose at the database too (check constraint)', async () => {
    const m = await createMunicipality(ds);
    await expect(
      tenantDb.run(m.id, (em) =>
        em.query(
          `INSERT INTO audit_log (municipality_id, at, actor_display, action, details, prev_hash, hash)
           VALUES ($1, now(), 'x', 'person.read', '{}', $2, $2)`,
          [m.id, GENESIS_HASH],
        ),
      ),
    ).rejects.toThrow(/audit_log_read_has_purpose/);
  });
});

describe('audit log: purpose', () => {
  it('refuses a read without a purpose with a field error and writes nothing', async () => {
    const m = await createMunicipality(ds);
    for (const purpose of ['', '   ']) {
      const err = await readOf(m.id, randomUUID(), purpose).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe(ErrorCode.ValidationFailed);
      expect((err as DomainError).fields).toEqual([
        { field: 'purpose', message: 'audit:errors.purposeRequired' },
      ]);
    }
    const viaRecord = await audit
      .record({ municipalityId: m.id, actor: clerk, action: 'case.read', personId: randomUUID() })
      .catch((e: unknown) => e);
    expect((viaRecord as DomainError).fields.map((f) => f.field)).toEqual(['purpose']);
    expect(await countRows(m.id)).toBe(0);
  });

  it('accepts non-read actions without a purpose and names every bad field at once', async () => {
    const m = await createMunicipality(ds);
    await audit.record({
      municipalityId: m.id,
      actor: clerk,
      action: 'task.complete.refused',
      subject: { type: 'task', id: 't1' },
    });
    const err = (await audit
      .record({
        municipalityId: m.id,
        actor: { accountId: 'nope', display: ' ' },
        action: 'Person Read',
        ip: '999.1.1.1',
      })
      .catch((e: unknown) => e)) as DomainError;
    expect(err.fields.map((f) => f.field).sort()).toEqual([
      'action',
      'actor.accountId',
      'actor.display',
      'ip',
    ]);
    expect(await countRows(m.id)).toBe(1);
  });
});

describe('audit log: hash chain', () => {
  it('verifies a good chain and reports its length', async () => {
    const m = await createMunicipality(ds);
    await chainOf(m.id, 5);
    const report = await audit.verify(m.id);
    expect(report).toMatchObject({ ok: true, count: 5 });
    const cli = await verifyLines(m.code);
    expect(cli.code).toBe(0);
    expect(cli.lines).toEqual([
      expect.stringMatching(new RegExp(`^OK ${m.code}: 5 entries, head [0-9a-f]{64}$`)),
    ]);
  });

  it('verifies across page boundaries in seq order (pages of 3, seq past 9 and 10)', async () => {
    const m = await createMunicipality(ds);
    const seqs = await chainOf(m.id, 11);
    expect(await verifyChain(ds, m.id, 3)).toMatchObject({ ok: true, count: 11 });
    await su.query(`SET session_replication_role = replica`);
    try {
      await su.query(`UPDATE audit_log SET details = '{"x":1}' WHERE seq = $1`, [seqs[9]]);
    } finally {
      await su.query(`SET session_replication_role = DEFAULT`);
    }
    expect(await verifyChain(ds, m.id, 3)).toMatchObject({
      ok: false,
      checked: 9,
      broken: { seq: seqs[9], field: 'hash' },
    });
  });

  // Every column the hash covers, each edited alone after the fact (issue 16): the verifier must
  // report exactly that entry. A column left out of the hashed body would pass unnoticed here.
  it.each<[string, string]>([
    ['actor_account_id', `actor_account_id = '${randomUUID()}'`],
    ['actor_display', `actor_display = 'Someone Else'`],
    ['actor_role', `actor_role = 'manager'`],
    ['action', `action = 'case.read'`],
    ['subject_type', `subject_type = 'document'`],
    ['subject_id', `subject_id = '${randomUUID()}'`],
    ['person_id', `person_id = '${randomUUID()}'`],
    ['purpose', `purpose = 'curiosity'`],
    ['request_id', `request_id = 'forged'`],
    ['ip', `ip = '203.0.113.9'`],
    ['details', `details = '{"x":1}'`],
    ['at', `at = at - interval '1 day'`],
  ])('detects an edit of %s in the middle of a chain', async (_column, set) => {
    const m = await createMunicipality(ds);
    const seqs = await chainOf(m.id, 3);
    await su.query(`SET session_replication_role = replica`);
    try {
      await su.query(`UPDATE audit_log SET ${set} WHERE seq = $1`, [seqs[1]]);
    } finally {
      await su.query(`SET session_replication_role = DEFAULT`);
    }
    expect(await verifyChain(ds, m.id)).toMatchObject({
      ok: false,
      checked: 1,
      broken: { seq: seqs[1], field: 'hash' },
    });
  });

  it('hashes details the same before INSERT and after the jsonb round trip (unicode, nesting, odd numbers)', async () => {
    const m = await createMunicipality(ds);
    await audit.record({
      municipalityId: m.id,
      actor: { accountId: null, display: 'Sistēma Σύστημα' },
      action: 'case.deadline.extended',
      subject: { type: 'case', id: 'SP-2026-1' },
      details: {
        z: 1,
        a: { b: [1, 2.5, 'ā', null, true] },
        Ω: 'Αθήνα',
        big: 1e21,
        small: -0.000001,
        at: new Date(0),
        skip: undefined,
      },
    });
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 1 });
    const row = await su.query(`SELECT details FROM audit_log WHERE municipality_id = $1`, [m.id]);
    expect(row.rows[0].details).toEqual({
      z: 1,
      a: { b: [1, 2.5, 'ā', null, true] },
      Ω: 'Αθήνα',
      big: 1e21,
      small: -0.000001,
      at: '1970-01-01T00:00:00.000Z',
    });
  });

  it('links the first entry to the genesis hash and each next one to the hash before it', async () => {
    const m = await createMunicipality(ds);
    await chainOf(m.id, 3);
    const rows = (
      await su.query(
        `SELECT prev_hash, hash FROM audit_log WHERE municipality_id = $1 ORDER BY seq`,
        [m.id],
      )
    ).rows;
    expect(rows[0].prev_hash).toBe(GENESIS_HASH);
    expect(rows[1].prev_hash).toBe(rows[0].hash);
    expect(rows[2].prev_hash).toBe(rows[1].hash);
  });

  it('names exactly the entry a superuser edited behind the trigger, with expected and stored hash', async () => {
    const m = await createMunicipality(ds);
    const seqs = await chainOf(m.id, 6);
    const victim = seqs[3];
    const stored = (await su.query(`SELECT hash FROM audit_log WHERE seq = $1`, [victim])).rows[0]
      .hash as string;
    await su.query(`SET session_replication_role = replica`);
    try {
      await su.query(`UPDATE audit_log SET purpose = 'nothing to see' WHERE seq = $1`, [victim]);
    } finally {
      await su.query(`SET session_replication_role = DEFAULT`);
    }
    const report = await audit.verify(m.id);
    expect(report.ok).toBe(false);
    if (report.ok) return;
    expect(report.broken).toMatchObject({ seq: victim, field: 'hash', stored });
    expect(report.broken.expected).toMatch(/^[0-9a-f]{64}$/);
    expect(report.broken.expected).not.toBe(stored);
    expect(report.checked).toBe(3);

    const cli = await verifyLines(m.code);
    expect(cli.code).toBe(1);
    expect(cli.lines[0]).toBe(
      `BROKEN ${m.code}: entry seq ${victim} (3 entries before it verified): hash expected ${report.broken.expected}, stored ${stored}`,
    );
  });

  it('names the entry after one that was deleted or re-hashed, by its broken link', async () => {
    const m = await createMunicipality(ds);
    const seqs = await chainOf(m.id, 5);
    await su.query(`SET session_replication_role = replica`);
    try {
      await su.query(`DELETE FROM audit_log WHERE seq = $1`, [seqs[1]]);
    } finally {
      await su.query(`SET session_replication_role = DEFAULT`);
    }
    const report = await audit.verify(m.id);
    expect(report).toMatchObject({
      ok: false,
      checked: 1,
      broken: { seq: seqs[2], field: 'prev_hash' },
    });

    // A forger who edits a row and recomputes its hash still breaks the link from the next entry.
    const n = await createMunicipality(ds);
    const nSeqs = await chainOf(n.id, 4);
    const r = (
      await su.query(`SELECT *, seq::text AS seq FROM audit_log WHERE seq = $1`, [nSeqs[1]])
    ).rows[0];
    const forged = entryHash(r.prev_hash, {
      seq: r.seq,
      municipalityId: r.municipality_id,
      at: r.at,
      actorAccountId: r.actor_account_id,
      actorDisplay: r.actor_display,
      actorRole: r.actor_role,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      personId: r.person_id,
      purpose: 'forged purpose',
      requestId: r.request_id,
      ip: r.ip,
      details: r.details,
    });
    await su.query(`SET session_replication_role = replica`);
    try {
      await su.query(`UPDATE audit_log SET purpose = 'forged purpose', hash = $2 WHERE seq = $1`, [
        nSeqs[1],
        forged,
      ]);
    } finally {
      await su.query(`SET session_replication_role = DEFAULT`);
    }
    expect(await audit.verify(n.id)).toMatchObject({
      ok: false,
      checked: 2,
      broken: { seq: nSeqs[2], field: 'prev_hash', expected: forged, stored: r.hash },
    });
  });

  it('keeps the chain linear under 200 parallel appends from one pool', async () => {
    const m = await createMunicipality(ds);
    const other = await createMunicipality(ds);
    const done = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i % 4 === 3
          ? readOf(other.id, randomUUID(), `parallel ${i}`)
          : readOf(m.id, randomUUID(), `parallel ${i}`),
      ),
    );
    expect(new Set(done.map((d) => d.hash)).size).toBe(200);
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 150 });
    expect(await audit.verify(other.id)).toMatchObject({ ok: true, count: 50 });
    // Linear: every prev_hash is used by exactly one entry (no fork).
    const forks = await su.query(
      `SELECT prev_hash, count(*) FROM audit_log WHERE municipality_id = $1 GROUP BY prev_hash HAVING count(*) > 1`,
      [m.id],
    );
    expect(forks.rows).toEqual([]);
    // Within the chain, entry times never go backwards in seq order.
    const times = (
      await su.query(`SELECT at FROM audit_log WHERE municipality_id = $1 ORDER BY seq`, [m.id])
    ).rows.map((r: { at: Date }) => r.at.getTime());
    expect(times).toEqual([...times].sort((x, y) => x - y));
  }, 60_000);

  it('commits entries that queued behind one another together, each with its own link', async () => {
    const m = await createMunicipality(ds);
    const done = await Promise.all(
      Array.from({ length: 30 }, (_, i) => readOf(m.id, randomUUID(), `batch ${i}`)),
    );
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 30 });
    expect(new Set(done.map((d) => d.hash)).size).toBe(30);
    // Fewer transactions than entries: they did not each take the lock and a commit of their own.
    const commits = (
      await su.query(
        `SELECT count(DISTINCT xmin::text) AS n FROM audit_log WHERE municipality_id = $1`,
        [m.id],
      )
    ).rows[0].n;
    expect(Number(commits)).toBeLessThan(30);
  });

  it('fails only the entry the database refuses when it queued with others', async () => {
    const m = await createMunicipality(ds);
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        // A NUL character is valid JavaScript but no PostgreSQL text can hold it.
        readOf(
          m.id,
          randomUUID(),
          `batch ${i}`,
          i === 17 ? { ...clerk, display: 'Ilze\u0000' } : clerk,
        ),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 30 }, (_, i) => (i === 17 ? 'rejected' : 'fulfilled')),
    );
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 29 });
  });

  it('rolls back with the caller transaction it joined, leaving the chain intact', async () => {
    const m = await createMunicipality(ds);
    await chainOf(m.id, 2);
    await expect(
      tenantDb.run(m.id, async (em) => {
        await audit.recordRead(
          {
            municipalityId: m.id,
            actor: clerk,
            personId: randomUUID(),
            subject: { type: 'person', id: 'p' },
            purpose: 'x',
          },
          em,
        );
        throw new Error('business step failed');
      }),
    ).rejects.toThrow('business step failed');
    await chainOf(m.id, 1);
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 3 });
  });

  it('refuses to append into another tenant’s transaction', async () => {
    const a = await createMunicipality(ds);
    const b = await createMunicipality(ds);
    await expect(
      tenantDb.run(a.id, (em) =>
        audit.record({ municipalityId: b.id, actor: clerk, action: 'case.create' }, em),
      ),
    ).rejects.toThrow(/in a transaction of tenant/);
    expect(await countRows(b.id)).toBe(0);
  });

  it('refuses to append outside a transaction or under REPEATABLE READ (the chain could fork)', async () => {
    const m = await createMunicipality(ds);
    await expect(
      audit.record({ municipalityId: null, actor: clerk, action: 'case.create' }, ds.manager),
    ).rejects.toThrow(/needs an open transaction/);
    await expect(
      ds.transaction('REPEATABLE READ', async (em) => {
        await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [m.id]);
        return audit.record({ municipalityId: m.id, actor: clerk, action: 'case.create' }, em);
      }),
    ).rejects.toThrow(/needs READ COMMITTED, got repeatable read/);
    expect(await countRows(m.id)).toBe(0);
  });
});

describe('audit log: tenancy of entries', () => {
  it('shows a tenant only its own entries, and platform entries only outside any tenant', async () => {
    const a = await createMunicipality(ds);
    const b = await createMunicipality(ds);
    await readOf(a.id, randomUUID(), 'a');
    await readOf(b.id, randomUUID(), 'b');
    const platform = await audit.record({
      municipalityId: null,
      actor: { accountId: null, display: 'anonymous' },
      action: 'auth.signin.failed',
      ip: '127.0.0.1',
      details: { username: 'someone' },
    });
    const seen = await tenantDb.run(a.id, (em) =>
      em.query(`SELECT municipality_id FROM audit_log`),
    );
    expect(seen).toEqual([{ municipality_id: a.id }]);
    const outside = (await ds.query(`SELECT seq::text AS seq, municipality_id FROM audit_log`)) as {
      seq: string;
      municipality_id: null;
    }[];
    expect(outside.every((r) => r.municipality_id === null)).toBe(true);
    expect(outside.map((r) => r.seq)).toContain(platform.seq);
    expect(await audit.verify(null)).toMatchObject({ ok: true });
  });

  it('refuses a tenant entry written outside its tenant (RLS WITH CHECK)', async () => {
    const a = await createMunicipality(ds);
    await expect(
      ds.query(
        `INSERT INTO audit_log (municipality_id, at, actor_display, action, details, prev_hash, hash)
         VALUES ($1, now(), 'x', 'case.create', '{}', $2, $2)`,
        [a.id, GENESIS_HASH],
      ),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('audit log: consultation report', () => {
  it('lists dates and purposes of reads of that person only, without staff names, newest first', async () => {
    const m = await createMunicipality(ds);
    const [p1, p2] = await tenantDb.run(m.id, async (em) => {
      const rows = (await em.query(
        `INSERT INTO persons (municipality_id, personal_code, given_name, family_name) VALUES
           ($1, '010101-10001', 'Anna', 'Liepa'), ($1, '020202-10002', 'Juris', 'Kalns') RETURNING id`,
        [m.id],
      )) as { id: string }[];
      return rows.map((r) => r.id);
    });
    await readOf(m.id, p1, 'social assistance application 2026-17');
    await readOf(m.id, p2, 'residence declaration 2026-3');
    await audit.recordRead({
      municipalityId: m.id,
      actor: { accountId: randomUUID(), display: 'Pēteris Ozols', role: 'manager' },
      personId: p1,
      subject: { type: 'case', id: 'SP-2026-17' },
      purpose: 'decision review',
    });
    await audit.record({ municipalityId: m.id, actor: clerk, action: 'case.update', personId: p1 });
    const resident: AuditActor = {
      accountId: randomUUID(),
      display: 'Anna Liepa',
      role: 'resident',
    };

    const report = await audit.consultations(m.id, p1, resident);
    expect(report.map((r) => [r.action, r.purpose])).toEqual([
      ['case.read', 'decision review'],
      ['person.read', 'social assistance application 2026-17'],
    ]);
    for (const r of report) {
      expect(Object.keys(r).sort()).toEqual(['action', 'at', 'purpose']);
      expect(Number.isNaN(Date.parse(r.at))).toBe(false);
    }
    expect(JSON.stringify(report)).not.toMatch(/Bērziņa|Ozols/);
    expect(Date.parse(report[0].at)).toBeGreaterThanOrEqual(Date.parse(report[1].at));

    // Looking at the report is itself recorded, but not listed back to the resident.
    const again = await audit.consultations(m.id, p1, resident);
    expect(again).toHaveLength(2);
    const selfReads = await su.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE person_id = $1 AND action = 'consultations.read'`,
      [p1],
    );
    expect(selfReads.rows[0].n).toBe(2);
    expect(await audit.verify(m.id)).toMatchObject({ ok: true, count: 6 });
  });
});
