import { randomUUID } from 'node:crypto';
import { SA_KEYS } from '../../../src/modules/social-assistance/social-assistance.parameters';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { eventually } from '../../support/engine-harness';
import { SimFixtures } from '../../factories/persons';
import { seedDevResidents } from '../../support/dev-citizen';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { caseQueries, householdVisitRuleOn } from './case-queries';

jest.setTimeout(240_000);

/**
 * Issue 15 item 4, the interview / home visit (process v2), on the shipped assembly (DBOS engine,
 * register simulators, controllable clock): with the municipality's rule "a visit when the
 * population register does not confirm the declared household" in force, a case whose household
 * the register contradicts gets the visit task before the review and one whose register agrees
 * goes straight to review; the visit form refuses bad input field by field in lv / en / el; the
 * record is stored, shown on the case and review pages and on the timeline; at review the
 * caseworker arranges another visit, records it and is back at review; the decision clock never
 * pauses; the approval then grants the award. With the first-application rule also in force, a
 * first application gets the visit and a second one of the same person does not.
 */
let h: ResidenceHarness;
let staff: Session;
const ACCOUNT = randomUUID();
/**
 * The suite's own register records, so that no other suite of the run (which may declare the demo
 * residents elsewhere) changes what the register says: Pēteris Kļaviņš, declared at a flat with his
 * wife; Zane Ozola, declared alone at hers (the register confirms a household of one).
 */
let TOGETHER: string;
let ALONE: string;

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  const sim = new SimFixtures(h.owner);
  const shared = await sim.apartment();
  TOGETHER = await sim.person('1965-01-29', 'Pēteris', 'Kļaviņš', { sex: 'M' });
  const wife = await sim.person('1967-05-02', 'Anna', 'Kļaviņa');
  await sim.residence(TOGETHER, shared.code, '2020-01-01');
  await sim.residence(wife, shared.code, '2020-01-01');
  const own = await sim.apartment();
  ALONE = await sim.person('1988-04-12', 'Zane', 'Ozola');
  await sim.residence(ALONE, own.code, '2020-01-01');
  await householdVisitRuleOn(h);
  staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'social-assistance' },
  ]);
});
afterAll(() => h?.close());

const { q, submitted, openTasks } = caseQueries(() => h, ACCOUNT);
const timeline = (caseId: string) =>
  q<{ kind: string; data: Record<string, unknown> }>(
    `SELECT kind, data FROM timeline_events WHERE case_id = $1 AND kind LIKE 'social-assistance.visit%' ORDER BY at`,
    [caseId],
  );
const post = (taskId: string, lang: string, fields: Record<string, string>) =>
  staff.agent
    .post(`/workspace/tasks/${taskId}/complete?lang=${lang}`)
    .type('form')
    .send({ _csrf: staff.csrf, ...fields });
/** The caseworker claims the task (its form shows to the one who holds it). */
const claim = (taskId: string) =>
  staff.agent
    .post(`/workspace/tasks/${taskId}/claim`)
    .type('form')
    .send({ _csrf: staff.csrf })
    .expect(303);
const today = () => h.clock.now().toISOString().slice(0, 10);
const dayAfter = (d: string) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + 2 * 86_400_000).toISOString().slice(0, 10);

let flagged: string;
let firstVisit: string;

describe('social assistance v2: the interview / home visit the rule requires', () => {
  it('a household the register contradicts gets the visit task before the review; one it confirms goes straight to review', async () => {
    // Pēteris Kļaviņš declares only himself; the register has his wife at the same house.
    flagged = await submitted(TOGETHER, 'Pēteris', 'Kļaviņš');
    const visit = await h.openTask(flagged, 'visit:1');
    expect(visit.formKey).toBe('social-assistance.visit');
    expect(await openTasks(flagged)).toEqual([
      { step: 'visit:1', form_key: 'social-assistance.visit' },
    ]);
    const [c] = await q<{ process_version: number; stage: string }>(
      `SELECT process_version, stage FROM cases WHERE id = $1`,
      [flagged],
    );
    expect(c).toEqual({ process_version: 3, stage: 'visit' });
    const [pop] = await q<{ flags: { code: string }[] }>(
      `SELECT flags FROM register_checks WHERE case_id = $1 AND register = 'population'`,
      [flagged],
    );
    expect(pop.flags.map((f) => f.code)).toContain('resident_not_declared');
    expect(await timeline(flagged)).toEqual([
      expect.objectContaining({
        kind: 'social-assistance.visit-required',
        data: expect.objectContaining({ reasons: ['household-difference'] }),
      }),
    ]);

    const alone = await submitted(ALONE, 'Zane', 'Ozola');
    const review = await h.openTask(alone, 'review:1');
    expect(review.formKey).toBe('social-assistance.review-v2');
    const [own] = await q<{ flags: unknown[] }>(
      `SELECT flags FROM register_checks WHERE case_id = $1 AND register = 'population'`,
      [alone],
    );
    expect(own.flags).toEqual([]);
    expect(await openTasks(alone)).toEqual([
      { step: 'review:1', form_key: 'social-assistance.review-v2' },
    ]);
    expect(await timeline(alone)).toEqual([]);
  });

  it('the visit form refuses bad input field by field, in lv, en and el, and nothing changes', async () => {
    const visit = await h.openTask(flagged, 'visit:1');
    firstVisit = visit.id;
    await claim(visit.id);
    const future = dayAfter(today());
    const cases: [string, string[]][] = [
      [
        'en',
        [
          'The date it was held cannot be in the future',
          'Say who took part',
          'Choose the conclusion',
        ],
      ],
      [
        'lv',
        ['Norises datums nevar būt nākotnē', 'Norādiet, kas piedalījās', 'Izvēlieties secinājumu'],
      ],
      [
        'el',
        [
          'Η ημερομηνία διεξαγωγής δεν μπορεί να είναι στο μέλλον',
          'Αναφέρετε ποιοι συμμετείχαν',
          'Επιλέξτε το συμπέρασμα',
        ],
      ],
    ];
    // Missing participants and conclusion: the DTO's errors; then the date in the future: the clock's check.
    for (const [lang, [futureText, participantsText, conclusionText]] of cases) {
      const missing = await post(visit.id, lang, {
        kind: 'home-visit',
        heldOn: today(),
        findings: 'Lives with his wife',
      });
      expect(missing.status).toBe(422);
      expect(missing.text).toContain(participantsText);
      expect(missing.text).toContain(conclusionText);
      // What was typed stays in the form.
      expect(missing.text).toContain('Lives with his wife');
      const later = await post(visit.id, lang, {
        kind: 'home-visit',
        heldOn: future,
        participants: 'Pēteris Kļaviņš; caseworker',
        findings: 'Lives with his wife',
        conclusion: 'differences-found',
      });
      expect(later.status).toBe(422);
      expect(later.text).toContain(futureText);
    }
    const bad = await post(visit.id, 'en', {
      kind: 'phone-call',
      heldOn: '2026-02-30',
      participants: 'x',
      findings: 'ok',
      conclusion: 'maybe',
    });
    expect(bad.status).toBe(422);
    for (const text of [
      'Choose an interview at the office or a home visit',
      'Write the findings (at least 3 characters)',
      'Choose the conclusion',
    ])
      expect(bad.text).toContain(text);
    const impossible = await post(visit.id, 'en', {
      kind: 'home-visit',
      heldOn: '2026-02-30',
      participants: 'x',
      findings: 'Lives with his wife',
      conclusion: 'confirms-declaration',
    });
    expect(impossible.status).toBe(422);
    expect(impossible.text).toContain('Give the date it was held (a real date)');
    expect(await openTasks(flagged)).toEqual([
      { step: 'visit:1', form_key: 'social-assistance.visit' },
    ]);
    expect(await q(`SELECT 1 FROM social_assistance_visits WHERE case_id = $1`, [flagged])).toEqual(
      [],
    );
  });

  it('review → arrange a visit → record it → review again, then approve: on the real engine, the clock never paused', async () => {
    const due = async () =>
      (
        await q<{ due_on: string; status: string; pauses: unknown[] }>(
          `SELECT due_on::text, status, pauses FROM deadlines WHERE case_id = $1`,
          [flagged],
        )
      )[0];
    const before = await due();
    expect(before).toMatchObject({ status: 'running', pauses: [] });

    // The visit the rule required, through the task page (the caseworker's form).
    const visit = await h.tasks.get(h.caseworker, firstVisit);
    expect(visit.status).toBe('claimed');
    const held = today();
    const ok = await post(visit.id, 'en', {
      kind: 'home-visit',
      heldOn: held,
      participants: 'Pēteris Kļaviņš, Elīna Kļaviņa; caseworker',
      findings: 'His wife lives with him at the house; she has a pension.',
      conclusion: 'differences-found',
    });
    expect(ok.status).toBe(303);
    const review = await h.openTask(flagged, 'review:1');
    expect(review.formKey).toBe('social-assistance.review-v2');
    const rows = await q<Record<string, unknown>>(
      `SELECT visit, round, reasons, kind, held_on::text, participants, findings, conclusion, recorded_by, municipality_id FROM social_assistance_visits WHERE case_id = $1`,
      [flagged],
    );
    expect(rows).toEqual([
      {
        visit: 1,
        round: 1,
        reasons: ['household-difference'],
        kind: 'home-visit',
        held_on: held,
        participants: 'Pēteris Kļaviņš, Elīna Kļaviņa; caseworker',
        findings: 'His wife lives with him at the house; she has a pension.',
        conclusion: 'differences-found',
        recorded_by: staff.accountId,
        municipality_id: h.municipalityId,
      },
    ]);
    // The review task page and the case page show the record; the timeline says it happened.
    await claim(review.id);
    const page = await staff.agent.get(`/workspace/tasks/${review.id}?lang=en`).expect(200);
    expect(page.text).toContain('His wife lives with him at the house; she has a pension.');
    expect(page.text).toContain('Differences found');
    expect(page.text).toContain('Arrange an interview / home visit first');
    const casePage = await staff.agent.get(`/workspace/cases/${flagged}?lang=lv`).expect(200);
    expect(casePage.text).toContain('Mājas apmeklējums');
    expect(casePage.text).toContain('Pārrunas / mājas apmeklējums reģistrēts');
    expect((await timeline(flagged)).map((e) => e.kind)).toEqual([
      'social-assistance.visit-required',
      'social-assistance.visit-recorded',
    ]);

    // At review: arrange an interview at the office; its task opens, the review waits.
    expect((await post(review.id, 'en', { outcome: 'arrange-visit' })).status).toBe(303);
    const second = await h.openTask(flagged, 'visit:2');
    expect(await openTasks(flagged)).toEqual([
      { step: 'visit:2', form_key: 'social-assistance.visit' },
    ]);
    expect(await due()).toEqual(before);
    await h.tasks.complete(h.caseworker, second.id, {
      kind: 'office-interview',
      heldOn: today(),
      participants: 'Pēteris Kļaviņš; caseworker',
      findings: 'Brought the pension statement of his wife.',
      conclusion: 'confirms-declaration',
    });
    const again = await h.openTask(flagged, 'review:1:2');
    expect(again.formKey).toBe('social-assistance.review-v2');
    const visits = await q<{ visit: number; reasons: string[]; kind: string }>(
      `SELECT visit, reasons, kind FROM social_assistance_visits WHERE case_id = $1 ORDER BY visit`,
      [flagged],
    );
    expect(visits).toEqual([
      { visit: 1, reasons: ['household-difference'], kind: 'home-visit' },
      { visit: 2, reasons: ['arranged'], kind: 'office-interview' },
    ]);
    // The legal clock ran on: never paused, the due date unchanged.
    const after = await due();
    expect(after).toEqual(before);

    await h.tasks.complete(h.caseworker, again.id, { outcome: 'approve' });
    await eventually(
      async () =>
        (await q(`SELECT 1 FROM social_assistance_awards WHERE case_id = $1`, [flagged])).length
          ? true
          : null,
      60_000,
      'award',
    );

    // The timeline names the review's decisions in the reader's language, not by their codes.
    for (const [lang, visitLabel, approveLabel] of [
      ['en', 'Decision: arrange an interview / home visit first', 'Decision: approve'],
      ['lv', 'Lēmums: vispirms rīkot pārrunas / mājas apmeklējumu', 'Lēmums: apstiprināt'],
      ['el', 'Απόφαση: πρώτα συνέντευξη / επίσκεψη κατ’ οίκον', 'Απόφαση: έγκριση'],
    ]) {
      const html = (await staff.agent.get(`/workspace/cases/${flagged}?lang=${lang}`).expect(200))
        .text;
      const decisions = [...html.matchAll(/data-testid="decision">([^<]*)</g)].map((m) =>
        m[1].replace(/&#x27;|&#39;/g, "'"),
      );
      expect([lang, decisions]).toEqual([lang, expect.arrayContaining([visitLabel, approveLabel])]);
      expect([lang, decisions.filter((d) => /arrange-visit|^approve$/.test(d))]).toEqual([
        lang,
        [],
      ]);
    }
  });

  it('with the first-application rule in force, a first application gets the visit and a second one does not', async () => {
    await h.running.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: h.municipalityId,
      key: SA_KEYS.visitOnFirstApplication,
      value: '1',
      unit: 'yes = 1, no = 0',
      validFrom: today(),
      note: 'Test municipality: a visit on every first application.',
    });
    // Līga Kalniņa has never applied here.
    const first = await submitted('220790-14568', 'Līga', 'Kalniņa');
    await h.openTask(first, 'visit:1');
    const [required] = await timeline(first);
    expect(required.data.reasons).toContain('first-application');
    // Zane Ozola applied before (the case above): no visit; the register confirms her household.
    const second = await submitted(ALONE, 'Zane', 'Ozola');
    await h.openTask(second, 'review:1');
    expect(await openTasks(second)).toEqual([
      { step: 'review:1', form_key: 'social-assistance.review-v2' },
    ]);
    expect(await timeline(second)).toEqual([]);
  });

  it('another municipality sees no visit rows (row-level security)', async () => {
    const other = randomUUID();
    const rows = await h.tenantDb.run(other, (em) =>
      em.query(`SELECT 1 FROM social_assistance_visits WHERE case_id = $1`, [flagged]),
    );
    expect(rows).toEqual([]);
  });
});
