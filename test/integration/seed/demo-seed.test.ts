import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { Case } from '../../../src/cases/case.entity';
import { Task } from '../../../src/cases/task.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { loadConfig, type AppConfig } from '../../../src/config/config';
import { DeadlinesService } from '../../../src/deadlines/deadlines.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../../src/integrations/address/address-register.port';
import { A, P } from '../../../src/integrations/sim/demo-residents';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../../src/integrations/population/population-register.port';
import { ResidenceAnnulment } from '../../../src/modules/residence/residence-declaration.entity';
import { listDevIdentities } from '../../../src/platform/auth/dev-idp/dev-identities';
import { seedDemo, type DemoSeedReport } from '../../../src/platform/seed/demo-world';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { DashboardService } from '../../../src/workspace/dashboard.service';
import { InboxService } from '../../../src/workspace/inbox.service';
import { InformationRequest } from '../../../src/workspace/info-requests/information-request.entity';
import { freePort } from '../../support/built-app';
import { createTestDatabase, type TestDatabase } from '../../support/test-db';
import { eventually } from '../../support/engine-harness';
import { Browser, signInCitizen, signInStaff } from '../../support/session';
import { TEST_PERSONS, TEST_SEED } from '../registers/support';

jest.setTimeout(300_000);

/** The real `seed:demo` code, twice, on the test database; then the app a user would meet. */
let config: AppConfig;
let first: DemoSeedReport;
let second: DemoSeedReport;
let app: NestExpressApplication;
let url: string;
let sealDir: string;
const ids: Record<'tukums' | 'nafplio', string> = { tukums: '', nafplio: '' };
const today = new Date();

let db: TestDatabase;

beforeAll(async () => {
  // A database of its own: the demo world (accounts of the demo residents, the municipalities tukums
  // and nafplio) would otherwise be there for every other test of the run.
  db = await createTestDatabase('civitas_seedtest');
  sealDir = mkdtempSync(join(tmpdir(), 'civitas-seed-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    SEAL_DIR: sealDir,
    DATABASE_URL: db.appUrl,
    DATABASE_OWNER_URL: db.ownerUrl,
    PUBLIC_URL: url,
    DELIVERY_POLL_MS: '0',
    // The app below takes over the runs the seed parked (as the app after `seed:demo` does).
    ENGINE_EXECUTOR_ID: `seed-demo-${randomBytes(3).toString('hex')}`,
  });
  const opts = { persons: TEST_PERSONS, seed: TEST_SEED, today };
  first = await seedDemo(config, opts);
  second = await seedDemo(config, opts);
  app = await createApp(config);
  await app.listen(port, '127.0.0.1');
  const rows = (await app
    .get(DataSource)
    .query(`SELECT id, code FROM municipalities WHERE code IN ('tukums', 'nafplio')`)) as {
    id: string;
    code: 'tukums' | 'nafplio';
  }[];
  for (const r of rows) ids[r.code] = r.id;
});
afterAll(async () => {
  await app?.close();
  rmSync(sealDir, { recursive: true, force: true });
  await db?.drop();
});

const inTenant = <T>(code: 'tukums' | 'nafplio', fn: Parameters<TenantDb['run']>[1]): Promise<T> =>
  app.get(TenantDb).run(ids[code], fn) as Promise<T>;

describe('seed:demo', () => {
  it('a second run changes nothing: the same counts, no case opened, no register row added', () => {
    expect(first.opened.tukums.length).toBeGreaterThanOrEqual(5);
    expect(first.opened.nafplio.length).toBeGreaterThanOrEqual(5);
    expect(second.opened).toEqual({ tukums: [], nafplio: [] });
    expect(second.residents).toEqual({ persons: 0, addresses: 0, residences: 0 });
    expect(second.counts).toEqual(first.counts);
  });

  it('every resident of the dev identity provider is in the population register, declared at a dwelling', async () => {
    const population = app.get<symbol, PopulationRegister>(POPULATION_REGISTER);
    const addresses = app.get<symbol, AddressRegister>(ADDRESS_REGISTER);
    const residents = listDevIdentities();
    expect(residents.length).toBeGreaterThanOrEqual(9);
    for (const r of residents) {
      const p = await population.getPerson(r.personalCode!);
      expect(p).toMatchObject({ givenName: r.givenName, familyName: r.familyName });
      const home = await population.getDeclaredResidence(r.personalCode!);
      expect(home?.status).toBe('active');
      const address = await addresses.getByCode(home!.addressCode);
      expect(address?.kind).not.toBe('building');
      expect(address?.fullText).toMatch(/Tukuma nov\./);
    }
    // A plausible family: Jānis Bērziņš lives at his parents' farm with his son.
    const family = await population.getFamily(P.janis.code);
    expect(family.map((f) => [f.relation, f.person.givenName]).sort()).toEqual([
      ['child', 'Roberts'],
      ['parent', 'Rasma'],
      ['parent', 'Valdis'],
    ]);
  });

  it('gives Tukums residence cases in every state, through the real process runs', async () => {
    const cases = await inTenant<Case[]>('tukums', (em) =>
      em.find(Case, { where: { processKey: 'residence-declaration' } }),
    );
    const stages = cases.map((c) => `${c.status}/${c.stage}`);
    expect(stages).toEqual(
      expect.arrayContaining(['closed/closed', 'open/review', 'open/awaiting-documents']),
    );
    // Awaiting documents: the request and its text are on the case.
    const waiting = cases.find((c) => c.stage === 'awaiting-documents')!;
    const asked = await inTenant<TimelineEvent | null>('tukums', (em) =>
      em.findOne(TimelineEvent, {
        where: { caseId: waiting.id, kind: 'residence.documents-requested' },
      }),
    );
    expect(asked?.data).toMatchObject({ documents: expect.stringContaining('īres līguma kopiju') });
    // Extended: one extension with its notice.
    const deadlines = await Promise.all(
      cases.map((c) => app.get(DeadlinesService).listForCase(ids.tukums, c.id)),
    );
    expect(deadlines.flat().filter((d) => d.extensions.length === 1)).toHaveLength(1);
    // Closed: registered straight through, with sealed certificates for the owner and his children.
    const closed = cases.find((c) => c.status === 'closed')!;
    expect(closed.outcome).toBe('registered');
    const docs = await inTenant<IssuedDocument[]>('tukums', (em) =>
      em.find(IssuedDocument, { where: { caseId: closed.id } }),
    );
    expect(docs).toHaveLength(3);
    expect(docs.every((d) => d.sha256 && d.signedAt)).toBe(true);
    // The annulment waits for the former tenant's answer.
    const annulment = await inTenant<ResidenceAnnulment | null>('tukums', (em) =>
      em.findOne(ResidenceAnnulment, { where: { personCode: P.edgars.code } }),
    );
    expect(annulment?.status).toBe('open');
    const annulmentCase = await inTenant<Case | null>('tukums', (em) =>
      em.findOne(Case, { where: { id: annulment!.caseId! } }),
    );
    expect(annulmentCase?.stage).toBe('awaiting-response');
  });

  it('gives Tukums a social assistance case waiting at the interview / home visit, in the caseworker inbox', async () => {
    const visits = await inTenant<Case[]>('tukums', (em) =>
      em.find(Case, { where: { processKey: 'social-assistance', stage: 'visit' } }),
    );
    expect(visits).toHaveLength(1);
    const [c] = visits;
    // Valdis Bērziņš, entered at the counter; new cases run on the current version.
    expect(c).toMatchObject({
      status: 'open',
      applicantRef: P.valdis.code,
      processVersion: 3,
    });
    const [application] = await inTenant<{ channel: string }[]>('tukums', (em) =>
      em.query(`SELECT channel FROM social_assistance_applications WHERE case_id = $1`, [c.id]),
    );
    expect(application.channel).toBe('counter');
    const tasks = await inTenant<Task[]>('tukums', (em) =>
      em.find(Task, { where: { caseId: c.id } }),
    );
    expect(tasks.filter((t) => t.status === 'open').map((t) => t.formKey)).toEqual([
      'social-assistance.visit',
    ]);
    // Why: the register has his son and grandson at the farm, the application declares two.
    const [pop] = await inTenant<{ flags: { code: string; personalCode: string }[] }[]>(
      'tukums',
      (em) =>
        em.query(
          `SELECT flags FROM register_checks WHERE case_id = $1 AND register = 'population'`,
          [c.id],
        ),
    );
    expect(
      pop.flags.filter((f) => f.code === 'resident_not_declared').map((f) => f.personalCode),
    ).toEqual(expect.arrayContaining([P.janis.code, P.roberts.code]));
    const caseworker = await signInStaff(app, ids.tukums, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const inbox = (await caseworker.agent.get('/workspace?lang=en').expect(200)).text;
    expect(inbox).toContain(c.number);
    expect(inbox).toContain('Interview / home visit');
  });

  it('delivers the sealed certificate of the closed declaration', async () => {
    const closed = await inTenant<Case | null>('tukums', (em) =>
      em.findOne(Case, { where: { processKey: 'residence-declaration', status: 'closed' } }),
    );
    const msgs = await inTenant<OutboxMessage[]>('tukums', (em) =>
      em.find(OutboxMessage, { where: { caseId: closed!.id, purpose: 'decision' } }),
    );
    expect(msgs.map((m) => [m.channel, m.attachments.length, m.status])).toEqual([
      ['e_address', 3, 'delivered'],
    ]);
    // Each certificate names the person it is about, so a staff read of it is in their "Who used my data".
    const named = await inTenant<{ personal_code: string }[]>('tukums', (em) =>
      em.query(
        `SELECT p.personal_code FROM document_persons p JOIN documents d ON d.id = p.document_id WHERE d.case_id = $1 ORDER BY 1`,
        [closed!.id],
      ),
    );
    expect(named.map((r) => r.personal_code)).toEqual(
      [P.andris.code, P.karlis.code, P.emilija.code].sort(),
    );
  });

  it('leaves no message undelivered for good, and none of Nafplio’s (a Greek municipality) on the e-address', async () => {
    const all = (code: 'tukums' | 'nafplio') =>
      inTenant<OutboxMessage[]>(code, (em) => em.find(OutboxMessage));
    const tukums = await all('tukums');
    const nafplio = await all('nafplio');
    expect(nafplio.length).toBeGreaterThan(0);
    const dead = [...tukums, ...nafplio].filter((m) => m.status === 'dead');
    expect(dead.map((m) => `${m.channel} ${m.subject}: ${m.lastError}`)).toEqual([]);
    expect(nafplio.filter((m) => m.channel === 'e_address').map((m) => m.subject)).toEqual([]);
    // Nafplio writes in its official language, Greek.
    const notices = nafplio.filter((m) => m.purpose === 'notice' || m.purpose === 'decision');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.map((m) => m.lang)).toEqual(notices.map(() => 'el'));
  });

  it('gives Nafplio, where residence declarations are not offered, reference cases in every state', async () => {
    const cases = await inTenant<Case[]>('nafplio', (em) => em.find(Case));
    expect(cases.every((c) => c.processKey === 'reference')).toBe(true);
    expect(cases.map((c) => `${c.status}/${c.outcome ?? c.stage}`)).toEqual(
      expect.arrayContaining(['open/review', 'closed/approved']),
    );
    const question = await inTenant<InformationRequest[]>('nafplio', (em) =>
      em.find(InformationRequest),
    );
    expect(question.map((q) => q.question)).toEqual([expect.stringContaining('μισθωτηρίου')]);
    const deadlines = (
      await Promise.all(cases.map((c) => app.get(DeadlinesService).listForCase(ids.nafplio, c.id)))
    ).flat();
    expect(deadlines.some((d) => d.extensions.length === 1)).toBe(true);
    expect(deadlines.some((d) => d.status === 'paused')).toBe(true);
  });

  it.each(['tukums', 'nafplio'] as const)(
    'a manager of %s sees overdue cases and workload on the first visit',
    async (code) => {
      const d = await app.get(DashboardService).load(ids[code], today);
      expect(d.overdue.length).toBeGreaterThanOrEqual(1);
      expect(d.overdue[0].ownerName).toBeTruthy();
      expect(d.workload.reduce((n, w) => n + w.open, 0)).toBeGreaterThanOrEqual(3);
      expect(d.workload.some((w) => w.name)).toBe(true);
    },
  );

  it.each(['tukums', 'nafplio'] as const)(
    "puts %s's reference case past its legal term first in the inbox, overdue and counted, though its task is not due yet",
    async (code) => {
      const page = await app.get(InboxService).page(
        {
          accountId: randomUUID(),
          municipalityId: ids[code],
          roles: ['manager'],
          grants: [{ role: 'manager', processKey: null }],
        },
        {},
        today,
      );
      const late = page.rows.find((r) => /nokavēta|εκπρόθεσμη/.test(r.caseTitle))!;
      expect([late.due.overdue, late.dueBy, late.taskDue.overdue]).toEqual([true, 'legal', false]);
      expect(page.rows[0].due.overdue).toBe(true);
      expect(page.counts.overdue).toBeGreaterThanOrEqual(1);
    },
  );
});

describe('the demo residents declare on the seeded world', () => {
  const declare = async (b: Browser, fields: Record<string, string>): Promise<string> => {
    const form = await (await b.get('/residence/declare?lang=en')).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form)![1];
    const submissionKey = /name="submissionKey" value="([^"]+)"/.exec(form)![1];
    const res = await b.postForm('/residence/declare', {
      _csrf: csrf,
      submissionKey,
      includeSelf: 'yes',
      ...fields,
    });
    expect(res.status).toBe(303);
    return res.headers.get('location')!.split('/').pop()!;
  };

  it('the owner 150385-12346 declares at his flat with his son and is registered straight through', async () => {
    const b = await signInCitizen(url, ids.tukums, P.janis.code);
    const form = await (await b.get('/residence/declare?lang=en')).text();
    // A register error about the applicant links to #applicantCode: the citizen form has it.
    expect(form).toMatch(/id="applicantCode"/);
    const caseId = await declare(b, {
      others: P.roberts.code,
      addressCode: A.janisFlat.code,
      basis: 'ownership',
    });
    const done = await eventually(
      () =>
        inTenant<Case | null>('tukums', (em) =>
          em.findOne(Case, { where: { id: caseId, status: 'closed' } }),
        ),
      60_000,
      'declaration closed',
    );
    expect(done.outcome).toBe('registered');
    expect(await inTenant<number>('tukums', (em) => em.count(Task, { where: { caseId } }))).toBe(0);
    const now = await app
      .get<symbol, PopulationRegister>(POPULATION_REGISTER)
      .getDeclaredResidence(P.roberts.code);
    expect(now?.addressCode).toBe(A.janisFlat.code);
  });

  it('the tenant 220790-14568 declares at her rented flat on a lease and waits for a caseworker', async () => {
    const b = await signInCitizen(url, ids.tukums, P.liga.code);
    const caseId = await declare(b, { addressCode: A.ligaFlat.code, basis: 'lease' });
    const task = await eventually(
      () =>
        inTenant<Task | null>('tukums', (em) =>
          em.findOne(Task, { where: { caseId, status: 'open' } }),
        ),
      60_000,
      'review task',
    );
    expect(task.formKey).toBe('residence.review');
    const c = await inTenant<Case | null>('tukums', (em) =>
      em.findOne(Case, { where: { id: caseId } }),
    );
    expect(c?.stage).toBe('review');
  });
});

describe('residence declaration where it is not offered (D16)', () => {
  it.each([
    ['en', 'This service is not offered by this municipality.'],
    ['lv', 'Šī pašvaldība nesniedz šo pakalpojumu.'],
    ['el', 'Η υπηρεσία αυτή δεν παρέχεται από αυτόν τον δήμο.'],
  ])(
    'tells Nafplio staff in %s that the counter declaration is not offered, with no raw error',
    async (lang, text) => {
      const staff = await signInStaff(app, ids.nafplio, ['manager']);
      const res = await staff.agent.get(`/workspace/residence/declare?lang=${lang}`);
      expect(res.status).toBe(404);
      expect(res.text).toContain(text);
      expect(res.text).not.toMatch(/in force|fee\.counter/);
    },
  );

  it('still offers it in Tukums', async () => {
    const staff = await signInStaff(app, ids.tukums, ['manager']);
    const res = await staff.agent.get('/workspace/residence/declare?lang=en');
    expect(res.status).toBe(200);
    expect(res.text).toContain('data-testid="declare-form"');
  });
});
