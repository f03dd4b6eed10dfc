import { randomUUID } from 'node:crypto';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let declarations: Session;
let annulments: Session;
beforeAll(async () => {
  h = await startResidenceApp();
  declarations = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
  ]);
  annulments = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-annulment' },
  ]);
});
afterAll(() => h?.close());

/** A counter declaration on a lease: the registers cannot confirm it, so it waits for a review task. */
async function declarationUnderReview(): Promise<{ caseId: string; taskId: string }> {
  const owner = await h.sim.person('1961-01-21');
  const me = await h.sim.person('1991-11-11');
  const flat = await h.sim.apartment([{ code: owner, name: 'O' }]);
  const r = await declarations.agent
    .post('/workspace/residence/declare')
    .type('form')
    .send({
      _csrf: declarations.csrf,
      submissionKey: randomUUID(),
      applicantCode: me,
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
    })
    .expect(303);
  const caseId = r.headers.location.split('/').pop()!;
  return { caseId, taskId: (await h.openTask(caseId)).id };
}

const claim = (s: Session, taskId: string) =>
  s.agent
    .post(`/workspace/tasks/${taskId}/claim`)
    .type('form')
    .send({ _csrf: s.csrf, returnTo: `/workspace/tasks/${taskId}` })
    .expect(303);

describe('residence review tasks in the workspace', () => {
  it('shows the task title and the case title in the viewer language in the inbox, not their i18n keys', async () => {
    const { taskId } = await declarationUnderReview();
    const en = await declarations.agent.get('/workspace?lang=en').expect(200);
    expect(en.text).toContain('Review a residence declaration');
    expect(en.text).toContain('Residence declaration');
    expect(en.text).not.toContain('residence:review.taskTitle');
    expect(en.text).not.toContain('residence:case.declarationTitle');
    const lv = await declarations.agent.get(`/workspace/tasks/${taskId}?lang=lv`).expect(200);
    expect(lv.text).toContain('Izskatīt dzīvesvietas deklarāciju');
    const el = await declarations.agent.get(`/workspace/tasks/${taskId}?lang=el`).expect(200);
    expect(el.text).toContain('Εξέταση δήλωσης κατοικίας');
  });

  it('decides a declaration from the task page: refuses a document request without documents field by field, then records it', async () => {
    const { caseId, taskId } = await declarationUnderReview();
    await claim(declarations, taskId);
    const page = await declarations.agent.get(`/workspace/tasks/${taskId}?lang=en`).expect(200);
    expect(page.text).not.toContain('This task has no form');
    expect(page.text).toContain(`action="/workspace/tasks/${taskId}/complete"`);
    expect(page.text).toContain('value="request-documents"');
    expect(page.text).toContain('name="documentsRequested"');

    const bad = await declarations.agent
      .post(`/workspace/tasks/${taskId}/complete?lang=en`)
      .type('form')
      .send({ _csrf: declarations.csrf, outcome: 'request-documents' })
      .expect(422);
    expect(bad.text).toContain('href="#documentsRequested"');
    expect(bad.text).toContain('Enter the documents to request (at least 3 characters).');
    const badLv = await declarations.agent
      .post(`/workspace/tasks/${taskId}/complete?lang=lv`)
      .type('form')
      .send({ _csrf: declarations.csrf })
      .expect(422);
    expect(badLv.text).toContain(
      'Izvēlieties lēmumu: apstiprināt, noraidīt vai pieprasīt dokumentus.',
    );

    await declarations.agent
      .post(`/workspace/tasks/${taskId}/complete`)
      .type('form')
      .send({ _csrf: declarations.csrf, outcome: 'reject', reason: 'No lease shown' })
      .expect(303);
    expect((await h.finished(caseId)).result).toMatchObject({ outcome: 'rejected' });
    const file = await declarations.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(file.text).toContain('data-testid="case-outcome">Rejected');
  });

  it('an annulment review asks whether there was a basis at the declaration, with no answer chosen, and requires it to annul', async () => {
    const p = await h.sim.person('1983-03-23');
    await h.sim.residence(p, (await h.sim.apartment()).code, '2024-02-02');
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: p,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Mail returned',
      enteredBy: h.caseworker.accountId,
    });
    await h.passResponsePeriod(caseId);
    const task = await h.openTask(caseId);
    await claim(annulments, task.id);
    const page = await annulments.agent.get(`/workspace/tasks/${task.id}?lang=en`).expect(200);
    expect(page.text).toContain('Decide on the annulment of a declared residence');
    expect(page.text).toContain('name="basisAtDeclaration"');
    expect(page.text).not.toMatch(/name="basisAtDeclaration"[^>]*checked/);

    const bad = await annulments.agent
      .post(`/workspace/tasks/${task.id}/complete?lang=en`)
      .type('form')
      .send({ _csrf: annulments.csrf, outcome: 'annul', reason: 'No basis' })
      .expect(422);
    expect(bad.text).toContain('href="#basisAtDeclaration"');
    expect(bad.text).toContain('Choose whether the person had a legal basis when they declared.');

    await annulments.agent
      .post(`/workspace/tasks/${task.id}/complete`)
      .type('form')
      .send({
        _csrf: annulments.csrf,
        outcome: 'annul',
        basisAtDeclaration: 'no',
        reason: 'No basis',
      })
      .expect(303);
    expect((await h.finished(caseId)).result).toMatchObject({
      outcome: 'annulled',
      annulledFrom: '2024-02-02',
    });
  });

  it('the old residence case URL leads to the one case page, whose task form asks the same yes/no question and refuses to annul without it', async () => {
    const p = await h.sim.person('1984-04-24');
    await h.sim.residence(p, (await h.sim.apartment()).code, '2024-03-03');
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: p,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Mail returned',
      enteredBy: h.caseworker.accountId,
    });
    await h.passResponsePeriod(caseId);
    const task = await h.openTask(caseId);
    const old = await annulments.agent.get(`/workspace/residence/cases/${caseId}`).expect(301);
    expect(old.headers.location).toBe(`/workspace/cases/${caseId}`);
    const before = await annulments.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(before.text).toContain('Claim the task to work on it.');
    expect(before.text).toContain('Mail returned');
    // The ground chosen from the list, and which period applied (its name, value and version, in the
    // reader's language) on the timeline; its legal source is on the parameters page.
    expect(before.text).toContain(
      'Personai nav tiesiska pamata dzīvot deklarētajā dzīvesvietā (no-legal-basis;',
    );
    expect(before.text).toContain(
      'data-testid="parameter-applied">Period to answer the annulment notice: 14 days (in force from 2000-01-01)</div>',
    );
    await claim(annulments, task.id);
    const page = await annulments.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(page.text).toContain(`action="/workspace/tasks/${task.id}/complete"`);
    expect(page.text).toContain('name="basisAtDeclaration" type="radio" value="no"');
    expect(page.text).not.toMatch(/name="basisAtDeclaration"[^>]*checked/);
    // One review form: the residence module no longer takes decisions of its own.
    await annulments.agent
      .post(`/workspace/residence/tasks/${task.id}`)
      .type('form')
      .send({ _csrf: annulments.csrf, outcome: 'annul', reason: 'No basis' })
      .expect(404);
    const bad = await annulments.agent
      .post(`/workspace/tasks/${task.id}/complete?lang=en`)
      .type('form')
      .send({ _csrf: annulments.csrf, outcome: 'annul', reason: 'No basis' })
      .expect(422);
    expect(bad.text).toContain('Choose whether the person had a legal basis when they declared.');
    expect(bad.text).toContain('data-testid="facts"');
    expect((await h.tasks.get(h.caseworker, task.id)).status).not.toBe('completed');
    await annulments.agent
      .post(`/workspace/tasks/${task.id}/complete`)
      .type('form')
      .send({
        _csrf: annulments.csrf,
        outcome: 'annul',
        basisAtDeclaration: 'no',
        reason: 'No basis',
      })
      .expect(303);
    expect((await h.finished(caseId)).result).toMatchObject({
      outcome: 'annulled',
      annulledFrom: '2024-03-03',
    });
  });
});
