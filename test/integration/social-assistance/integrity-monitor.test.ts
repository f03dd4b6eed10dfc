import { DataSource } from 'typeorm';
import { Task } from '../../../src/cases/task.entity';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { SocialAssistanceAwardFinding } from '../../../src/modules/social-assistance/awards/award-finding.entity';
import { SocialAssistanceAward } from '../../../src/modules/social-assistance/awards/award.entity';
import { IntegrityMonitorService } from '../../../src/modules/social-assistance/awards/integrity-monitor.service';
import type { CalculationInput } from '../../../src/modules/social-assistance/calculation/types';
import { CaseService } from '../../../src/cases/case.service';
import { CLOCK, type ControllableClock } from '../../../src/platform/clock/clock';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createAward } from '../../factories/awards';
import { createMunicipality } from '../../factories/municipalities';
import { SimFixtures } from '../../factories/persons';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';

jest.setTimeout(120_000);

/**
 * The data-integrity monitor (issue 15 item 9) on the real application and the register
 * simulators: a finding opens one task, later runs (and a second instance) open no other, and the
 * caseworker's stop on the finding page stops the award, sends the status change and records it.
 */
let h: RunningApp;
let owner: DataSource;
let sim: SimFixtures;
let A: string;
let cw: Session;

const input: CalculationInput = {
  asOf: '2026-01-10',
  members: [{ id: 'a', birthDate: '1960-05-05', roles: [] }],
  incomes: [],
  assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
  housingCosts: [{ kind: 'rent', amountCents: 100_00 }],
};
const day = 24 * 3_600_000;
const monitor = () => h.app.get(IntegrityMonitorService);
const clock = () => h.app.get<symbol, ControllableClock>(CLOCK);
const inA = <T>(fn: (em: import('typeorm').EntityManager) => Promise<T>) =>
  h.app.get(TenantDb).run(A, fn);
const findingsOf = (awardId: string) =>
  inA((em) => em.find(SocialAssistanceAwardFinding, { where: { awardId } }));
const tasksOf = (caseId: string) => inA((em) => em.find(Task, { where: { caseId } }));

async function awardFor(holder: string, home: string) {
  // The award runs from long ago to far ahead, so the run's "today" is always inside it.
  return createAward(h.app, A, {
    holderCode: holder,
    validFrom: '2026-01-01',
    validUntil: '2099-12-31',
    input,
    addressCode: home,
  });
}

beforeAll(async () => {
  h = await startApp({
    CLOCK: 'controllable',
    SOCIAL_ASSISTANCE_MONITOR_MS: '0',
    SOCIAL_ASSISTANCE_RECALCULATION_MS: '0',
    DELIVERY_POLL_MS: '0',
  });
  owner = new DataSource(dataSourceOptions(h.config.DATABASE_OWNER_URL));
  await owner.initialize();
  sim = new SimFixtures(owner);
  A = (await createMunicipality(h.app)).id;
  cw = await signInStaff(h.app, A, [{ role: 'caseworker', process: 'social-assistance' }]);
});
afterAll(async () => {
  await owner?.destroy();
  await h?.close();
});

describe('integrity monitor', () => {
  it('opens one task when the holder died; later runs and a second instance open no other', async () => {
    const holder = await sim.person('1960-05-05');
    const home = await sim.apartment();
    const { award, caseId } = await awardFor(holder, home.code);
    await owner.query(
      `UPDATE sim_persons SET deceased_on = '2026-02-03' WHERE personal_code = $1`,
      [holder],
    );

    // Two instances at once: one runs the day, the other finds it claimed.
    const runs = await Promise.all([monitor().runMunicipality(A), monitor().runMunicipality(A)]);
    expect(runs.filter(Boolean)).toHaveLength(1);
    const findings = await findingsOf(award.id);
    expect(findings.map((f) => [f.kind, f.status, f.details])).toEqual([
      ['holder-died', 'open', { deceasedOn: '2026-02-03' }],
    ]);
    const tasks = await tasksOf(caseId);
    expect(tasks.map((t) => [t.step, t.status, t.role, t.title])).toEqual([
      ['integrity:holder-died', 'open', 'caseworker', 'social-assistance:monitor.task.holder-died'],
    ]);
    expect(findings[0].taskId).toBe(tasks[0].id);
    const timeline = await h.app.get(CaseService).timeline(A, caseId);
    expect(timeline.filter((e) => e.kind === 'social-assistance.integrity-finding')).toHaveLength(
      1,
    );

    // Same day again: nothing runs. Next day: it runs, finds the same, opens nothing new.
    expect(await monitor().runMunicipality(A)).toBeNull();
    await clock().advance(day);
    const next = await monitor().runMunicipality(A);
    expect(next).toMatchObject({ found: 0 });
    expect(next!.checked).toBeGreaterThanOrEqual(1);
    expect(await tasksOf(caseId)).toHaveLength(1);
    expect(await findingsOf(award.id)).toHaveLength(1);
  });

  it('finds a holder who moved to another municipality, not one who moved within it', async () => {
    const mover = await sim.person('1960-05-05');
    const stayer = await sim.person('1960-05-05');
    const home = await sim.apartment();
    const nextDoor = await sim.apartment([], 'Tukuma novads', 'Pils iela');
    const away = await sim.apartment([], 'Talsu novads', 'Lielā iela');
    for (const p of [mover, stayer]) await sim.residence(p, home.code, '2020-01-01');
    await sim.residence(mover, away.code, '2026-02-01');
    await sim.residence(stayer, nextDoor.code, '2026-02-01');
    const moved = await awardFor(mover, home.code);
    const stayed = await awardFor(stayer, home.code);
    await clock().advance(day);
    await monitor().runMunicipality(A);
    expect((await findingsOf(moved.award.id)).map((f) => [f.kind, f.details])).toEqual([
      ['moved-away', { municipality: 'Talsu novads', addressCode: away.code, since: '2026-02-01' }],
    ]);
    expect(await findingsOf(stayed.award.id)).toEqual([]);
  });

  it('finds the same benefit granted in another municipality', async () => {
    const holder = await sim.person('1960-05-05');
    const home = await sim.apartment();
    const { award } = await awardFor(holder, home.code);
    await owner.query(
      `INSERT INTO sim_assistance_records (ref, personal_code, municipality, benefit, status, decided_on, period_from, period_to, monthly_cents)
       VALUES ($1, $2, 'Talsu novads', 'gmi', 'granted', '2026-01-05', '2026-01-01', '2099-03-31', 9000)`,
      [`test:${award.id}`, holder],
    );
    await clock().advance(day);
    await monitor().runMunicipality(A);
    expect((await findingsOf(award.id)).map((f) => [f.kind, f.details.municipality])).toEqual([
      ['duplicate', 'Talsu novads'],
    ]);
  });

  it('checks every household member: a member who died or moved away, or holds the benefit elsewhere, is a finding naming them, one task each, none again on re-runs', async () => {
    const holder = await sim.person('1960-05-05');
    const died = await sim.person('1962-03-03');
    const mover = await sim.person('1990-07-07');
    const doubled = await sim.person('2001-01-01');
    const fine = await sim.person('2010-10-10');
    const home = await sim.apartment();
    const away = await sim.apartment([], 'Talsu novads', 'Lielā iela');
    for (const p of [holder, died, mover, doubled, fine])
      await sim.residence(p, home.code, '2020-01-01');
    await sim.residence(mover, away.code, '2026-02-01');
    await owner.query(
      `UPDATE sim_persons SET deceased_on = '2026-02-03' WHERE personal_code = $1`,
      [died],
    );
    const household = [holder, died, mover, doubled, fine];
    const { award, caseId } = await createAward(h.app, A, {
      holderCode: holder,
      householdCodes: household,
      validFrom: '2026-01-01',
      validUntil: '2099-12-31',
      input,
      addressCode: home.code,
    });
    await owner.query(
      `INSERT INTO sim_assistance_records (ref, personal_code, municipality, benefit, status, decided_on, period_from, period_to, monthly_cents)
       VALUES ($1, $2, 'Talsu novads', 'housing', 'granted', '2026-01-05', '2026-01-01', '2099-03-31', 9000)`,
      [`test:${award.id}:member`, doubled],
    );
    const names = Object.fromEntries(
      (
        await owner.query<{ personal_code: string; given_name: string; family_name: string }[]>(
          `SELECT personal_code, given_name, family_name FROM sim_persons WHERE personal_code = ANY($1)`,
          [household],
        )
      ).map((r) => [r.personal_code, `${r.given_name} ${r.family_name}`]),
    );

    await clock().advance(day);
    await monitor().runMunicipality(A);
    const findings = (await findingsOf(award.id)).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(findings.map((f) => [f.kind, f.personCode, f.details])).toEqual([
      ['member-died', died, { member: names[died], place: 1, deceasedOn: '2026-02-03' }],
      [
        'member-duplicate',
        doubled,
        {
          member: names[doubled],
          place: 3,
          municipality: 'Talsu novads',
          benefit: 'housing',
          periodFrom: '2026-01-01',
          periodTo: '2099-03-31',
        },
      ],
      [
        'member-moved-away',
        mover,
        {
          member: names[mover],
          place: 2,
          municipality: 'Talsu novads',
          addressCode: away.code,
          since: '2026-02-01',
        },
      ],
    ]);
    const tasks = await tasksOf(caseId);
    expect(tasks.map((t) => [t.step, t.title]).sort()).toEqual([
      ['integrity:member-died:1', 'social-assistance:monitor.task.member-died'],
      ['integrity:member-duplicate:3', 'social-assistance:monitor.task.member-duplicate'],
      ['integrity:member-moved-away:2', 'social-assistance:monitor.task.member-moved-away'],
    ]);
    for (const f of findings) expect(tasks.map((t) => t.id)).toContain(f.taskId);

    // A second member dies later: one more finding and task, the earlier ones are not repeated.
    await owner.query(
      `UPDATE sim_persons SET deceased_on = '2026-02-10' WHERE personal_code = $1`,
      [fine],
    );
    await clock().advance(day);
    expect(await monitor().runMunicipality(A)).toMatchObject({ found: 1 });
    await clock().advance(day);
    expect(await monitor().runMunicipality(A)).toMatchObject({ found: 0 });
    expect(
      (await findingsOf(award.id))
        .filter((f) => f.kind === 'member-died')
        .map((f) => f.personCode)
        .sort(),
    ).toEqual([died, fine].sort());
    expect(await tasksOf(caseId)).toHaveLength(4);
    const timeline = await h.app.get(CaseService).timeline(A, caseId);
    expect(timeline.filter((e) => e.kind === 'social-assistance.integrity-finding')).toHaveLength(
      4,
    );

    // The finding page names the member; reading it is an audited read of the member too.
    const page = await cw.agent
      .get(`/workspace/social-assistance/findings/${findings[0].id}?lang=en`)
      .expect(200);
    expect(page.text).toContain('A household member has died');
    expect(page.text).toContain(`Population register: ${names[died]} died on 2026-02-03.`);
    expect(page.text).toContain('data-testid="finding-member"');
    const audited = await inA((em) =>
      em.query<{ n: string }[]>(
        `SELECT count(*) AS n FROM audit_log a JOIN persons p ON p.id = a.person_id
          WHERE a.action = 'social_assistance_finding.read' AND p.personal_code = $1`,
        [died],
      ),
    );
    expect(Number(audited[0].n)).toBeGreaterThanOrEqual(1);
  });

  it('the caseworker stops the award from a date on the finding page: stopped, status sent, timeline, task done', async () => {
    const holder = await sim.person('1960-05-05');
    const home = await sim.apartment();
    const { award, caseId } = await awardFor(holder, home.code);
    await owner.query(
      `UPDATE sim_persons SET deceased_on = '2026-03-10' WHERE personal_code = $1`,
      [holder],
    );
    await clock().advance(day);
    await monitor().runMunicipality(A);
    const [finding] = await findingsOf(award.id);

    // The task from the inbox leads to where it is worked (it has no decision form of its own).
    const [task] = await tasksOf(caseId);
    const taskPage = await cw.agent.get(`/workspace/tasks/${task.id}?lang=en`).expect(200);
    expect(taskPage.text).toContain('data-testid="task-work-href"');
    expect(taskPage.text).toContain('href="/workspace/social-assistance/findings"');

    const list = await cw.agent.get('/workspace/social-assistance/findings?lang=en');
    expect(list.status).toBe(200);
    expect(list.text).toContain(`/workspace/social-assistance/findings/${finding.id}`);
    const page = await cw.agent
      .get(`/workspace/social-assistance/findings/${finding.id}?lang=en`)
      .expect(200);
    expect(page.text).toContain('The holder has died');

    // A date outside the award and no reasons: field errors in the caseworker's language.
    const bad = await cw.agent
      .post(`/workspace/social-assistance/findings/${finding.id}/stop?lang=lv`)
      .type('form')
      .send({ _csrf: cw.csrf, stoppedOn: '2025-01-01', reasons: '' })
      .expect(422);
    expect(bad.text).toContain('Norādiet pamatojumu.');
    expect(bad.text).toContain('Izvēlieties datumu pēc 2026-01-01');

    await cw.agent
      .post(`/workspace/social-assistance/findings/${finding.id}/stop`)
      .type('form')
      .send({ _csrf: cw.csrf, stoppedOn: '2026-03-11', reasons: 'Died on 10 March (register).' })
      .expect(303);
    const stopped = await inA((em) => em.findOneByOrFail(SocialAssistanceAward, { id: award.id }));
    expect(stopped).toMatchObject({
      state: 'stopped',
      stoppedOn: '2026-03-11',
      stopReason: 'holder-died',
    });
    const sent = await inA((em) =>
      em.find(OutboxMessage, { where: { caseId, channel: 'property_tax_status' } }),
    );
    expect(sent.map((m) => m.idempotencyKey)).toEqual([
      `property-tax:${award.id}:stopped:2026-01-01:2026-03-10`,
    ]);
    const timeline = await h.app.get(CaseService).timeline(A, caseId);
    expect(timeline.find((e) => e.kind === 'social-assistance.award-stopped')?.data).toMatchObject({
      finding: 'holder-died',
      stoppedOn: '2026-03-11',
      reason: 'Died on 10 March (register).',
    });
    expect((await tasksOf(caseId)).map((t) => t.status)).toEqual(['completed']);
    expect((await findingsOf(award.id))[0].status).toBe('stopped');

    // Answered once: a second stop is refused, the list no longer shows it.
    await cw.agent
      .post(`/workspace/social-assistance/findings/${finding.id}/stop`)
      .type('form')
      .send({ _csrf: cw.csrf, stoppedOn: '2026-03-12', reasons: 'again' })
      .expect(409);
    const after = await cw.agent.get('/workspace/social-assistance/findings').expect(200);
    expect(after.text).not.toContain(`/workspace/social-assistance/findings/${finding.id}`);
  });
});
