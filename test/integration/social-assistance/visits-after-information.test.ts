import { randomUUID } from 'node:crypto';
import { SocialAssistanceCaseService } from '../../../src/modules/social-assistance/process/social-assistance-case.service';
import { SimFixtures } from '../../factories/persons';
import { eventually } from '../../support/engine-harness';
import { seedDevResidents } from '../../support/dev-citizen';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { caseQueries, householdVisitRuleOn } from './case-queries';

jest.setTimeout(240_000);

/**
 * social-assistance@v3 on the shipped assembly (DBOS engine, register simulators, controllable
 * clock), with the municipality's rule "a visit when the population register does not confirm the
 * declared household" in force: the rule is applied again after the requested information arrives.
 * A household the register first confirms, and contradicts by the time the answer comes (a brother
 * has been declared at the applicant's flat meanwhile), gets the visit task after the
 * re-assessment, before the review of the new round. A household the register contradicted from
 * the start, visited for it in the first round, is not visited again for the same reason.
 * Register state is the suite's own (SimFixtures), not the demo residents'.
 */
let h: ResidenceHarness;
let sim: SimFixtures;
let answers: SocialAssistanceCaseService;
const ACCOUNT = randomUUID();

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  sim = new SimFixtures(h.owner);
  answers = h.running.app.get(SocialAssistanceCaseService);
  await householdVisitRuleOn(h);
});
afterAll(() => h?.close());

const { q, submitted, openTasks } = caseQueries(() => h, ACCOUNT);
const required = (caseId: string) =>
  q<{ data: { visit: number; round: number; reasons: string[] } }>(
    `SELECT data FROM timeline_events WHERE case_id = $1 AND kind = 'social-assistance.visit-required' ORDER BY at`,
    [caseId],
  );
const populationChecks = (caseId: string) =>
  q<{ check_key: string; status: string; flags: { code: string; personalCode?: string }[] }>(
    `SELECT check_key, status, flags FROM register_checks WHERE case_id = $1 AND register = 'population' ORDER BY checked_at`,
    [caseId],
  );
const today = () => h.clock.now().toISOString().slice(0, 10);

/** At review: ask the applicant about the household; the run waits for the answer. */
async function requestInformation(caseId: string, step: string): Promise<void> {
  const review = await h.openTask(caseId, step);
  await h.tasks.complete(h.caseworker, review.id, {
    outcome: 'request-information',
    question: 'Who lives with you at the flat now?',
    answerBy: '2030-01-31',
  });
  // The stage moves before the request is stored: the answer needs the stored request.
  await eventually(
    async () =>
      (
        await q(
          `SELECT 1 FROM social_assistance_information_requests WHERE case_id = $1 AND answered_at IS NULL`,
          [caseId],
        )
      ).length
        ? true
        : null,
    60_000,
    'request stored',
  );
}

const visitRecord = (conclusion: string) => ({
  kind: 'home-visit',
  heldOn: today(),
  participants: 'The household; caseworker',
  findings: 'Looked at who lives at the flat.',
  conclusion,
});

describe('social assistance v3: the visit rule applied again after the requested information', () => {
  it('a household the register confirmed at first and contradicts after the answer gets the visit before the review of round 2', async () => {
    // Ilze Liepa lives alone at her flat as far as the register knows: straight to review.
    const flat = await sim.apartment();
    const applicant = await sim.person('1986-02-11', 'Ilze', 'Liepa');
    await sim.residence(applicant, flat.code, '2020-01-01');
    const caseId = await submitted(applicant, 'Ilze', 'Liepa');
    await h.openTask(caseId, 'review:1');
    const [c] = await q<{ process_version: number }>(
      `SELECT process_version FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(c.process_version).toBe(3);
    expect((await populationChecks(caseId)).map((x) => x.flags)).toEqual([[]]);
    expect(await required(caseId)).toEqual([]);

    await requestInformation(caseId, 'review:1');
    // Meanwhile her brother is declared at her flat; her answer says he moved in.
    const brother = await sim.person('1990-07-23', 'Mārtiņš', 'Liepa', { sex: 'M' });
    await sim.residence(brother, flat.code, '2020-01-01');
    await answers.answer(
      h.municipalityId,
      caseId,
      applicant,
      ACCOUNT,
      'My brother Mārtiņš moved in with me last month.',
    );

    // After the re-check and the re-assessment: the visit task, not the review.
    const visit = await h.openTask(caseId, 'visit:1');
    expect(visit.formKey).toBe('social-assistance.visit');
    expect(await openTasks(caseId)).toEqual([
      { step: 'visit:1', form_key: 'social-assistance.visit' },
    ]);
    expect((await h.cases.get(h.municipalityId, caseId)).stage).toBe('visit');
    const checks = await populationChecks(caseId);
    expect(checks.map((x) => x.check_key)).toEqual([
      expect.stringMatching(/^population:/),
      `population:${applicant}:round-2`,
    ]);
    expect(checks[1].flags).toEqual([
      expect.objectContaining({ code: 'resident_not_declared', personalCode: brother }),
    ]);
    expect((await required(caseId)).map((e) => e.data)).toEqual([
      { visit: 1, round: 2, reasons: ['household-difference'] },
    ]);
    const rounds = await q<{ round: number }>(
      `SELECT round FROM social_assistance_assessments WHERE case_id = $1 ORDER BY round`,
      [caseId],
    );
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);

    // Recorded: the review of round 2 follows.
    await h.tasks.complete(h.caseworker, visit.id, visitRecord('differences-found'));
    await h.openTask(caseId, 'review:2');
    const visits = await q<{ visit: number; round: number; reasons: string[] }>(
      `SELECT visit, round, reasons FROM social_assistance_visits WHERE case_id = $1`,
      [caseId],
    );
    expect(visits).toEqual([{ visit: 1, round: 2, reasons: ['household-difference'] }]);
  });

  it('a household already visited for the difference is not visited again for it after the answer', async () => {
    // Pēteris Kalns declares only himself; the register has his wife at the same flat.
    const flat = await sim.apartment();
    const applicant = await sim.person('1964-09-30', 'Pēteris', 'Kalns', { sex: 'M' });
    const wife = await sim.person('1966-03-14', 'Anna', 'Kalna');
    await sim.residence(applicant, flat.code, '2020-01-01');
    await sim.residence(wife, flat.code, '2020-01-01');
    const caseId = await submitted(applicant, 'Pēteris', 'Kalns');
    const visit = await h.openTask(caseId, 'visit:1');
    await h.tasks.complete(h.caseworker, visit.id, visitRecord('differences-found'));

    await requestInformation(caseId, 'review:1');
    await answers.answer(
      h.municipalityId,
      caseId,
      applicant,
      ACCOUNT,
      'My wife lives with me; her pension statement is attached at the counter.',
    );

    // The register still contradicts the household (round 2's check flags the wife), the rule
    // still gives the reason, but a visit was held for it: straight to the review of round 2.
    await h.openTask(caseId, 'review:2');
    expect(await openTasks(caseId)).toEqual([
      { step: 'review:2', form_key: 'social-assistance.review-v2' },
    ]);
    const checks = await populationChecks(caseId);
    expect(checks).toHaveLength(2);
    expect(checks[1]).toMatchObject({ check_key: `population:${applicant}:round-2`, status: 'ok' });
    expect(checks[1].flags).toEqual([
      expect.objectContaining({ code: 'resident_not_declared', personalCode: wife }),
    ]);
    expect((await required(caseId)).map((e) => e.data)).toEqual([
      { visit: 1, round: 1, reasons: ['household-difference'] },
    ]);
    expect(
      await q(`SELECT visit, round FROM social_assistance_visits WHERE case_id = $1`, [caseId]),
    ).toEqual([{ visit: 1, round: 1 }]);
  });
});
