import { randomUUID } from 'node:crypto';
import { ResidenceDeclaration } from '../../../src/modules/residence/residence-declaration.entity';
import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let staff: Session;
beforeAll(async () => {
  h = await startResidenceApp();
  staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
    'manager',
  ]);
});
afterAll(() => h?.close());

const count = (re: RegExp, text: string): number => (text.match(re) ?? []).length;

describe('free-text limits and form errors on the residence pages', () => {
  it('refuses a 20,000-character basis note with a field error, and the inputs carry maxlength (D19)', async () => {
    const form = await staff.agent.get('/workspace/residence/declare?lang=en').expect(200);
    expect(form.text).toMatch(/id="basisNote"[^>]*maxlength="2000"/);
    expect(form.text).toMatch(/id="contactEmail"[^>]*maxlength="254"/);
    const before = await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceDeclaration));
    const owner = await h.sim.person('1962-02-12');
    const me = await h.sim.person('1992-12-02');
    const flat = await h.sim.apartment([{ code: owner, name: 'O' }]);
    const res = await staff.agent
      .post('/workspace/residence/declare?lang=en')
      .type('form')
      .send({
        _csrf: staff.csrf,
        submissionKey: randomUUID(),
        applicantCode: me,
        includeSelf: 'yes',
        addressCode: flat.code,
        basis: 'other',
        basisNote: 'n'.repeat(20_000),
      })
      .expect(422);
    expect(res.text).toContain('href="#basisNote"');
    expect(res.text).toContain('Enter at most 2000 characters.');
    expect(await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceDeclaration))).toBe(
      before,
    );
  });

  it('shows each counter-form error once, linked to an input that exists (D14)', async () => {
    const res = await staff.agent
      .post('/workspace/residence/declare?lang=en')
      .type('form')
      .send({
        _csrf: staff.csrf,
        submissionKey: randomUUID(),
        applicantCode: '999999-99999',
        includeSelf: 'yes',
        others: ['12', ''],
        addressCode: 'abc',
        basis: 'lease',
      })
      .expect(422);
    const summary = /<div class="govuk-error-summary[\s\S]*?<\/ul>/.exec(res.text)?.[0] ?? '';
    const anchors = [...summary.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(anchors.length).toBeGreaterThan(1);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const a of anchors) expect(res.text).toContain(`id="${a}"`);
    expect(anchors).toEqual(expect.arrayContaining(['applicantCode', 'others-0', 'addressCode']));
    expect(anchors).not.toContain('persons-0');
    // One inline message per input as well.
    expect(count(/class="govuk-error-message"/g, res.text)).toBeLessThanOrEqual(anchors.length);
  });

  it('shows the list again with the error when a saved list name is too long (D17)', async () => {
    const territory = `Limits ${randomUUID().slice(0, 6)}`;
    await h.sim.apartment([], territory);
    const [{ code }] = await h.owner.query<{ code: string }[]>(
      `SELECT code FROM municipalities WHERE id = $1`,
      [h.municipalityId],
    );
    await setRegisterTerritory(h.owner, code, territory, 'field-limits');
    const page = await staff.agent.get('/workspace/residence/lists/persons?lang=en').expect(200);
    expect(page.text).toMatch(/id="name"[^>]*maxlength="100"/);
    const name = 'L'.repeat(150);
    const res = await staff.agent
      .post('/workspace/residence/lists/persons/saved?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, name, ageMin: '18' })
      .expect(422);
    expect(res.text).toContain('href="#name"');
    expect(res.text).toContain('Give the saved filters a name (up to 100 characters).');
    expect(res.text).toContain(`value="${name}"`);
    expect(res.text).toContain('name="ageMin" value="18"');
    expect(res.text).toContain('action="/workspace/residence/lists/persons/saved"');
  });

  it('writes the fee as each language writes money, and API errors in the language asked for (D21)', async () => {
    expect(
      (await staff.agent.get('/workspace/residence/declare?lang=en').expect(200)).text,
    ).toContain('€4.27');
    expect(
      (await staff.agent.get('/workspace/residence/declare?lang=lv').expect(200)).text,
    ).toContain('4,27\u00a0€');
    expect(
      (await staff.agent.get('/workspace/residence/declare?lang=el').expect(200)).text,
    ).toContain('4,27\u00a0€');
    const api = await fetch(`${h.running.url}/api/tasks`, {
      headers: { accept: 'application/json', 'accept-language': 'el' },
    });
    expect(api.status).toBe(401);
    const body = (await api.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'unauthenticated', message: 'Παρακαλούμε συνδεθείτε.' });
  });
});
