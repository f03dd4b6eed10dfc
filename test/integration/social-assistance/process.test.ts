import { randomUUID } from 'node:crypto';
import { SocialAssistanceApplication } from '../../../src/modules/social-assistance/application/application.entity';
import { SocialAssistanceApplicationService } from '../../../src/modules/social-assistance/application/application.service';
import type { ApplicationData } from '../../../src/modules/social-assistance/application/application.types';
import { Simulators } from '../../../src/integrations/sim/simulators';
import { createMunicipality } from '../../factories/municipalities';
import { csrfIn } from '../auth/auth-support';
import { eventually } from '../../support/engine-harness';
import {
  requestInformation,
  submitApplication,
} from '../../factories/social-assistance-applications';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { signInCitizen, signInStaff, type Session } from '../../support/session';
import {
  ONE_CONNECTION,
  startResidenceApp,
  type ResidenceHarness,
} from '../../workflows/residence/harness';

jest.setTimeout(240_000);

/**
 * Issue 15, the process itself, on the shipped assembly (DBOS engine, register simulators, sealed
 * documents, delivery outbox, payments) with the controllable clock: a submitted application
 * opens its case; the registers are asked (one fails, then recovers); the assessment is stored;
 * the caseworker approves; the sealed decision (lv, registration number) goes out through the
 * delivery path; the award and its amounts are written; each month of the period schedules one
 * payment line with a stable key; refusal closes at once; a request for information restarts the
 * decision clock; another municipality sees none of it.
 */
let h: ResidenceHarness;
let apps: SocialAssistanceApplicationService;
let staffB: Session;
const DAY = 86_400_000;
const IBAN = 'LV80BANK0000435195001';
const ACCOUNT = randomUUID();

beforeAll(async () => {
  // On one pooled connection: no step may read on a second connection inside its transaction.
  h = await startResidenceApp(ONE_CONNECTION);
  await seedDevResidents(h);
  apps = h.running.app.get(SocialAssistanceApplicationService);
  const b = await createMunicipality(h.owner, { code: `b${Date.now().toString(36)}` });
  staffB = await signInStaff(h.running.app, b.id, ['caseworker', 'manager']);
});
afterAll(() => h?.close());

const q = <T>(sql: string, params: unknown[] = []) =>
  h.tenantDb.run(h.municipalityId, (em) => em.query(sql, params) as Promise<T[]>);

/** A complete application of one working-age person without income asking for GMI and needy status. */
async function submitted(
  code: string,
  data: Partial<ApplicationData> = {},
): Promise<SocialAssistanceApplication> {
  const done = await submitApplication(h.running.app, {
    municipalityId: h.municipalityId,
    accountId: ACCOUNT,
    applicant: { code, given: 'Jānis', family: 'Bērziņš' },
    data: { paymentAccount: IBAN, ...data },
  });
  // Submitting again (a double click) gives the same case, no second one.
  const again = await apps.submit(
    { municipalityId: h.municipalityId, accountId: ACCOUNT, channel: 'online' },
    done,
  );
  expect(again.caseId).toBe(done.caseId);
  return done;
}

describe('social assistance: application → registers → assessment → decision → award → payments', () => {
  let caseId: string;

  it('opens the case on submit, asks every register (one recovering after failures) and stores the assessment', async () => {
    h.running.app.get(Simulators).faults('income').set({ failNext: 2 });
    const app = await submitted(DEV_CITIZEN.code);
    expect(app.caseId).toBeTruthy();
    caseId = app.caseId!;
    const [c] = await q<{ process_key: string; channel: string; applicant_ref: string }>(
      `SELECT process_key, applicant_ref FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(c).toMatchObject({ process_key: 'social-assistance', applicant_ref: DEV_CITIZEN.code });

    const task = await h.openTask(caseId, 'review:1');
    expect(task.formKey).toBe('social-assistance.review-v2');
    const checks = await q<{ register: string; status: string; attempts: number }>(
      `SELECT register, status, attempts FROM register_checks WHERE case_id = $1 ORDER BY register`,
      [caseId],
    );
    expect(checks.map((x) => x.register).sort()).toEqual([
      'assistance',
      'disability',
      'employment',
      'income',
      'population',
      'property',
      'social-insurance',
      'vehicles',
    ]);
    expect(checks.find((x) => x.register === 'income')).toMatchObject({
      status: 'ok',
      attempts: 3,
    });

    const [a] = await q<{
      round: number;
      result: { status: string; gmiBenefitCents: number; lines: { legalReference: string }[] };
    }>(`SELECT round, result FROM social_assistance_assessments WHERE case_id = $1`, [caseId]);
    expect(a.round).toBe(1);
    expect(a.result.status).toBe('needy');
    // 2026: GMI for the first (only) person 187 EUR, no income.
    expect(a.result.gmiBenefitCents).toBe(187_00);
    expect(a.result.lines.every((l) => l.legalReference.length > 0)).toBe(true);

    // The review page shows the calculation lines with their legal references.
    const staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const page = await staff.agent.get(`/workspace/tasks/${task.id}?lang=en`).expect(200);
    expect(page.text).toContain('SPSPL');
    expect(page.text).toContain('€187.00');
    // Each line's label is filled in (a household of 2, one member's wage), never a bare template.
    expect(page.text).not.toMatch(/\{\{\w+\}\}/);
    // Another municipality: not found.
    await staffB.agent.get(`/workspace/cases/${caseId}`).expect(404);
    await staffB.agent.get(`/workspace/tasks/${task.id}`).expect(404);
  });

  it('approve: sealed decision in lv with a registration number, delivered as a decision; award and amounts written', async () => {
    const task = await h.openTask(caseId, 'review:1');
    await h.tasks.complete(h.caseworker, task.id, { outcome: 'approve' });
    const award = await eventually(
      async () =>
        (
          await q<{
            id: string;
            status: string;
            state: string;
            valid_from: string;
            valid_until: string;
          }>(
            `SELECT id, status, state, valid_from::text, valid_until::text FROM social_assistance_awards WHERE case_id = $1`,
            [caseId],
          )
        )[0] ?? null,
      60_000,
      'award',
    );
    expect(award).toMatchObject({ status: 'needy', state: 'active' });
    const amounts = await q<{
      benefit: string;
      monthly_cents: number;
      payee_iban: string;
      valid_until: string;
    }>(
      `SELECT benefit, monthly_cents, payee_iban, valid_until::text FROM social_assistance_award_amounts WHERE case_id = $1`,
      [caseId],
    );
    expect(amounts).toEqual([
      expect.objectContaining({ benefit: 'gmi', monthly_cents: 187_00, payee_iban: IBAN }),
    ]);
    const doc = await eventually(
      async () =>
        (
          await q<{
            id: string;
            template_key: string;
            language: string;
            registration_number: string;
          }>(
            `SELECT id, template_key, language, registration_number FROM documents WHERE case_id = $1 AND step_key = 'decision'`,
            [caseId],
          )
        )[0] ?? null,
      90_000,
      'decision document',
    );
    expect(doc).toMatchObject({ template_key: 'social-assistance/decision', language: 'lv' });
    expect(doc.registration_number).toMatch(/\S+/);
    const outbox = await eventually(
      async () =>
        (
          await q<{ purpose: string }>(
            `SELECT purpose FROM outbox_messages WHERE case_id = $1 AND purpose = 'decision'`,
            [caseId],
          )
        )[0] ?? null,
      60_000,
      'decision message',
    );
    expect(outbox.purpose).toBe('decision');
    const [c] = await q<{ status: string; outcome: string }>(
      `SELECT status, outcome FROM cases WHERE id = $1`,
      [caseId],
    );
    // The case stays open for the award's life.
    expect(c).toMatchObject({ status: 'open', outcome: 'granted' });
    // The applicant is of working age: GMI waits for the co-operation duties agreement (SPSPL 7(1)).
    const coop = await h.openTask(caseId, 'cooperation');
    expect(coop.formKey).toBe('social-assistance.cooperation');
    expect(await q(`SELECT 1 FROM payment_lines WHERE case_id = $1`, [caseId])).toHaveLength(0);
    await h.tasks.complete(h.caseworker, coop.id, { outcome: 'agreed' });
  });

  it('pays month by month: one payment line per month with a stable key, then ends the award and closes the case', async () => {
    const lines = () =>
      q<{ key: string; due_month: string; amount_cents: number }>(
        `SELECT key, due_month, amount_cents FROM payment_lines WHERE case_id = $1 ORDER BY key`,
        [caseId],
      );
    const first = await eventually(
      async () => ((await lines()).length === 1 ? await lines() : null),
      60_000,
      'first month',
    );
    expect(first[0]).toMatchObject({ amount_cents: 187_00 });
    expect(first[0].key).toMatch(/^gmi:\d{4}-\d{2}$/);
    for (const n of [2, 3]) {
      await h.clock.advance(31 * DAY);
      await eventually(
        async () => ((await lines()).length === n ? true : null),
        60_000,
        `month ${n}`,
      );
    }
    // Advancing further to the end of the status: no further payment, the award ends and the case closes.
    await h.clock.advance(400 * DAY);
    await h.finished(caseId);
    const all = await lines();
    expect(all).toHaveLength(3);
    expect(new Set(all.map((l) => l.key)).size).toBe(3);
    const [award] = await q<{ state: string }>(
      `SELECT state FROM social_assistance_awards WHERE case_id = $1`,
      [caseId],
    );
    expect(award.state).toBe('ended');
    const [c] = await q<{ status: string; outcome: string }>(
      `SELECT status, outcome FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(c).toMatchObject({ status: 'closed', outcome: 'granted' });

    // The resident's case page: the outcome, the decision document (downloadable PDF), the payments.
    const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const page = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    const [doc] = await q<{ id: string; registration_number: string }>(
      `SELECT id, registration_number FROM documents WHERE case_id = $1 AND step_key = 'decision'`,
      [caseId],
    );
    expect(page).toContain(doc.registration_number);
    expect(page).toContain('€187.00');
    // Headed by the case's state, not by the submission: the award's period is over.
    expect(page).toMatch(/data-state='ended'>\s*Assistance ended</);
    expect(page).not.toContain('Application submitted');
    const pdf = await citizen.get(`/social-assistance/cases/${caseId}/documents/${doc.id}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toContain('application/pdf');
    // The staff case page lists the award's months.
    const staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const casePage = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    for (const l of all) expect(casePage.text).toContain(l.key);
  });
});

describe('social assistance: an award stopped while it is paid', () => {
  it('the run reads the award at once on `social-assistance.award-changed`, withdraws the months from the stop and ends', async () => {
    const app = await submitted('220790-14568');
    const caseId = app.caseId!;
    await h.tasks.complete(h.caseworker, (await h.openTask(caseId, 'review:1')).id, {
      outcome: 'approve',
    });
    await h.tasks.complete(h.caseworker, (await h.openTask(caseId, 'cooperation')).id, {
      outcome: 'agreed',
    });
    const lines = () =>
      q<{ key: string; status: string }>(
        `SELECT key, status FROM payment_lines WHERE case_id = $1`,
        [caseId],
      );
    await eventually(
      async () => ((await lines()).length === 1 ? true : null),
      60_000,
      'first month',
    );
    const [award] = await q<{ valid_from: string }>(
      `SELECT valid_from::text FROM social_assistance_awards WHERE case_id = $1`,
      [caseId],
    );
    // As the integrity monitor would: stopped from the first day, then the run is told to look.
    await q(
      `UPDATE social_assistance_awards SET state = 'stopped', stopped_on = $2, stop_reason = 'moved-away' WHERE case_id = $1`,
      [caseId, award.valid_from],
    );
    await h.engine.signal(caseId, 'social-assistance.award-changed', { reason: 'moved-away' });
    await h.finished(caseId);
    expect(await lines()).toEqual([expect.objectContaining({ status: 'cancelled' })]);
    const [c] = await q<{ status: string }>(`SELECT status FROM cases WHERE id = $1`, [caseId]);
    expect(c.status).toBe('closed');
  });
});

describe('social assistance: refusal and request for information', () => {
  it('refusal (reasons required) closes the case at once with a delivered decision and no award', async () => {
    const app = await submitted('150385-12346');
    const caseId = app.caseId!;
    const task = await h.openTask(caseId, 'review:1');
    await expect(h.tasks.complete(h.caseworker, task.id, { outcome: 'refuse' })).rejects.toThrow();
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'refuse',
      reason: 'Savings above the limit',
    });
    await h.finished(caseId);
    const [c] = await q<{ status: string; outcome: string }>(
      `SELECT status, outcome FROM cases WHERE id = $1`,
      [caseId],
    );
    expect(c).toMatchObject({ status: 'closed', outcome: 'refused' });
    expect(
      await q(`SELECT 1 FROM social_assistance_awards WHERE case_id = $1`, [caseId]),
    ).toHaveLength(0);
    expect(
      await q(
        `SELECT 1 FROM documents WHERE case_id = $1 AND template_key = 'social-assistance/decision'`,
        [caseId],
      ),
    ).toHaveLength(1);
    expect(
      await q(`SELECT 1 FROM outbox_messages WHERE case_id = $1 AND purpose = 'decision'`, [
        caseId,
      ]),
    ).toHaveLength(1);
  });

  it('a request for information pauses the clock; the answer on the case page restarts it (the due date moves) and the assessment reruns', async () => {
    const app = await submitted(DEV_CITIZEN.code);
    const caseId = app.caseId!;
    const task = await h.openTask(caseId, 'review:1');
    const due = async () =>
      Date.parse(
        (
          await q<{ due_on: string }>(`SELECT due_on::text FROM deadlines WHERE case_id = $1`, [
            caseId,
          ])
        )[0].due_on,
      );
    const before = await due();
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'request-information',
      question: 'Bank statement for November',
      answerBy: '2030-01-31',
    });
    await eventually(
      async () =>
        (
          await q(`SELECT 1 FROM social_assistance_information_requests WHERE case_id = $1`, [
            caseId,
          ])
        ).length
          ? true
          : null,
      60_000,
      'request stored',
    );
    await h.clock.advance(10 * DAY);
    // The resident sees the question on the case page and answers there (an empty answer: 422, nothing sent).
    const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const page = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    expect(page).toContain('Bank statement for November');
    expect(page).toMatch(/data-state='information-requested'>\s*Information requested</);
    const send = (answer: string) =>
      citizen.request(`/social-assistance/cases/${caseId}/information?lang=en`, {
        method: 'POST',
        body: new URLSearchParams([
          ['_csrf', csrfIn(page)],
          ['answer', answer],
        ]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    const empty = await send('  ');
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Write your answer');
    const answeredAt = Date.parse(h.clock.now().toISOString().slice(0, 10));
    expect((await send('Statement attached at the counter')).status).toBe(303);
    await h.openTask(caseId, 'review:2');
    const after = await due();
    // Restarted: a full month from the answer (10 days after the request), not shifted by the
    // pause: at least 27 days (a February) after the answer's day, and later than before.
    expect(after).toBeGreaterThan(before);
    expect(after - answeredAt).toBeGreaterThanOrEqual(27 * DAY);
    const rounds = await q<{ round: number }>(
      `SELECT round FROM social_assistance_assessments WHERE case_id = $1 ORDER BY round`,
      [caseId],
    );
    expect(rounds.map((r) => r.round)).toEqual([1, 2]);
  });

  it('the answer on the case page carries files: a wrong type is refused and stores nothing; a PDF is stored with the answer, the run continues, and the caseworker sees and downloads it', async () => {
    const app = await submitted(DEV_CITIZEN.code);
    const caseId = app.caseId!;
    await requestInformation(h, caseId, 'Bank statements for the last 3 months');
    const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const page = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    expect(page).toContain("enctype='multipart/form-data'");
    const send = (answer: string, file?: { name: string; type: string; bytes: Buffer }) => {
      const form = new FormData();
      form.set('answer', answer);
      if (file)
        form.append(
          'files',
          new Blob([new Uint8Array(file.bytes)], { type: file.type }),
          file.name,
        );
      return citizen.request(
        `/social-assistance/cases/${caseId}/information?lang=en&_csrf=${encodeURIComponent(csrfIn(page))}`,
        { method: 'POST', body: form },
      );
    };
    const answerFiles = () =>
      q<{ file_name: string; request_id: string; content: Buffer }>(
        `SELECT b.file_name, b.request_id, b.content FROM social_assistance_bills b
           JOIN social_assistance_applications a ON a.id = b.application_id
          WHERE a.case_id = $1 AND b.request_id IS NOT NULL`,
        [caseId],
      );
    const answered = () =>
      q<{ answered_at: Date | null }>(
        `SELECT answered_at FROM social_assistance_information_requests WHERE case_id = $1`,
        [caseId],
      );

    // Neither text nor file; an executable named as a PDF: field errors, nothing stored, no answer.
    const empty = await send(' ');
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain('Write your answer or attach a file');
    const exe = await send('Statements attached', {
      name: 'statement.pdf',
      type: 'application/pdf',
      bytes: Buffer.from('MZ\x90\x00 not a pdf'),
    });
    expect(exe.status).toBe(422);
    const refused = await exe.text();
    expect(refused).toContain('statement.pdf: attach a PDF, JPEG or PNG file');
    expect(refused).toContain("id='files-error'");
    expect(await answerFiles()).toHaveLength(0);
    expect((await answered())[0].answered_at).toBeNull();

    const pdf = Buffer.from('%PDF-1.4\n% bank statement\n');
    const ok = await send('Statements attached', {
      name: 'bank-statement.pdf',
      type: 'application/pdf',
      bytes: pdf,
    });
    expect(ok.status).toBe(303);
    const stored = await answerFiles();
    expect(stored).toHaveLength(1);
    expect(stored[0].file_name).toBe('bank-statement.pdf');
    expect(Buffer.from(stored[0].content).equals(pdf)).toBe(true);
    await h.openTask(caseId, 'review:2');

    // The resident sees what they sent; the application's bills do not list it.
    const mine = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    expect(mine).toContain("data-testid='information-answered'");
    expect(mine).toContain('bank-statement.pdf');

    // The caseworker sees the answer with its file on the case page and downloads it (an audited read).
    const staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const casePage = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(casePage.text).toContain('Statements attached');
    const href =
      /data-testid="process-request-files"><li><a class="govuk-link" href="([^"]+)">bank-statement\.pdf</.exec(
        casePage.text,
      )?.[1];
    expect(href).toBeTruthy();
    const reads = async () =>
      Number(
        (
          await q<{ n: string }>(
            `SELECT count(*) AS n FROM audit_log WHERE action = 'social_assistance_application.read' AND subject_id = $1`,
            [app.id],
          )
        )[0].n,
      );
    const before = await reads();
    const file = await staff.agent.get(href!).buffer(true).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(Buffer.from(file.body as Buffer).equals(pdf)).toBe(true);
    const after = await reads();
    expect(after).toBeGreaterThan(before);
  });
});

it("the resident's own case page answers; another resident's does not exist", async () => {
  const [row] = await q<{ case_id: string }>(
    `SELECT case_id FROM social_assistance_applications WHERE applicant_code = $1 AND case_id IS NOT NULL LIMIT 1`,
    [DEV_CITIZEN.code],
  );
  const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
  expect((await citizen.get(`/social-assistance/cases/${row.case_id}?lang=en`)).status).toBe(200);
  const [other] = await q<{ case_id: string }>(
    `SELECT case_id FROM social_assistance_applications WHERE applicant_code <> $1 AND case_id IS NOT NULL LIMIT 1`,
    [DEV_CITIZEN.code],
  );
  expect((await citizen.get(`/social-assistance/cases/${other.case_id}`)).status).toBe(404);
});
