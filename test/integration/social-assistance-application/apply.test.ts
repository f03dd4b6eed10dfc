import { randomUUID } from 'node:crypto';
import { SocialAssistanceApplication } from '../../../src/modules/social-assistance/application/application.entity';
import { createMunicipality } from '../../factories/municipalities';
import { csrfIn } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { Browser, signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

/**
 * Issue 15, part 1 "Apply": the resident's application saved step by step as a draft and resumed,
 * field-level errors in the reader's language that change nothing, the counter registration, the
 * municipality boundary, and the audited read of the household's data. The real app (main.ts's
 * assembly) on real PostgreSQL, the resident signed in through the dev eID.
 */
let h: ResidenceHarness;
let citizen: Browser;
let staff: Session;
let staffB: Session;
let otherMunicipality: string;

const SPOUSE = '010180-10000';
const CHILD = '150312-20009';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
  staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'social-assistance' },
  ]);
  const b = await createMunicipality(h.owner, { code: `b${Date.now().toString(36)}` });
  otherMunicipality = b.id;
  staffB = await signInStaff(h.running.app, b.id, ['caseworker', 'manager']);
});
afterAll(() => h?.close());

const drafts = () =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(SocialAssistanceApplication, { order: { createdAt: 'ASC' } }),
  );
const citizenDraft = async () =>
  (await drafts()).find((a) => a.applicantCode === DEV_CITIZEN.code && a.status === 'draft');

/** Posts a step's form with the page's CSRF token; `pairs` may repeat a name (checkboxes). */
async function post(
  b: Browser,
  path: string,
  pairs: [string, string][],
  lang = 'en',
): Promise<Response> {
  const page = await (await b.get(`${path}?lang=${lang}`)).text();
  const body = new URLSearchParams([['_csrf', csrfIn(page)], ...pairs]);
  return b.request(`${path}?lang=${lang}`, {
    method: 'POST',
    body: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
}

const household: [string, string][] = [
  ['members[0].givenName', 'Pēteris'],
  ['members[0].familyName', 'Kļaviņš'],
  ['members[0].workingAge', 'yes'],
  ['members[1].givenName', 'Anna'],
  ['members[1].familyName', 'Kļaviņa'],
  ['members[1].personalCode', SPOUSE],
  ['members[1].relation', 'spouse'],
  ['members[1].pensioner', 'yes'],
  ['members[2].givenName', 'Jānis'],
  ['members[2].familyName', 'Kļaviņš'],
  ['members[2].personalCode', CHILD],
  ['members[2].relation', 'child'],
  ['members[2].fullTimeEducation', 'yes'],
];

describe('social assistance application: the resident', () => {
  it('shows the first step without storing anything, then saves each step as a draft and resumes where it was left', async () => {
    const start = await citizen.get('/social-assistance/apply');
    expect(start.status).toBe(303);
    expect(start.headers.get('location')).toBe('/social-assistance/apply/household');
    const page = await citizen.get('/social-assistance/apply/household?lang=en');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('value="290165-13409"');
    expect(await citizenDraft()).toBeUndefined();

    const saved = await post(citizen, '/social-assistance/apply/household', household);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/social-assistance/apply/incomes');
    const draft = (await citizenDraft())!;
    expect(draft).toMatchObject({ channel: 'online', stepsDone: ['household'] });
    expect(draft.data.members.map((m) => [m.personalCode, m.relation, m.birthDate])).toEqual([
      [DEV_CITIZEN.code, 'applicant', '1965-01-29'],
      [SPOUSE, 'spouse', '1980-01-01'],
      [CHILD, 'child', '2012-03-15'],
    ]);
    expect(draft.data.members[1]).toMatchObject({ pensioner: true, workingAge: false });

    // Amounts as people type them: decimal comma, a space between thousands, a euro sign.
    const [m0, m1, m2] = draft.incomeMonths;
    const incomes = await post(citizen, '/social-assistance/apply/incomes', [
      ['regularIncomes[0].member', DEV_CITIZEN.code],
      ['regularIncomes[0].type', 'wages'],
      ['regularIncomes[0].m0', '1 012,50'],
      ['regularIncomes[0].m1', '980'],
      ['regularIncomes[0].m2', '€ 1000,05'],
      ['regularIncomes[1].member', CHILD],
      ['regularIncomes[1].type', 'family-state-benefit'],
      ['regularIncomes[1].m0', '25'],
      ['irregularIncomes[0].member', SPOUSE],
      ['irregularIncomes[0].type', 'property-sale'],
      ['irregularIncomes[0].amount', '1500,00'],
      ['irregularIncomes[0].receivedIn', m0],
      ['action', 'save'],
    ]);
    expect(incomes.status).toBe(303);
    expect(incomes.headers.get('location')).toBe(
      '/social-assistance/apply/incomes?done=draftSaved',
    );
    const after = (await citizenDraft())!;
    expect(after.id).toBe(draft.id);
    expect(after.data.regularIncomes).toEqual([
      {
        member: DEV_CITIZEN.code,
        type: 'wages',
        months: { [m0]: 101250, [m1]: 98000, [m2]: 100005 },
      },
      { member: CHILD, type: 'family-state-benefit', months: { [m0]: 2500, [m1]: 0, [m2]: 0 } },
    ]);
    expect(after.data.irregularIncomes[0]).toMatchObject({ amountCents: 150000, receivedIn: m0 });

    // Left and resumed: the first step not yet saved, with what was saved shown in lv.
    const resume = await citizen.get('/social-assistance/apply');
    expect(resume.headers.get('location')).toBe('/social-assistance/apply/assets');
    const shown = await (await citizen.get('/social-assistance/apply/incomes?lang=lv')).text();
    expect(shown).toContain('value="1012,50"');
    expect(shown).toContain('data-testid="draft-saved-at"');
    expect(await drafts()).toHaveLength(1);
  });

  it('refuses bad fields one by one in English and in Latvian, changing nothing', async () => {
    const before = (await citizenDraft())!;
    const bad: [string, string][] = [
      ['regularIncomes[0].member', DEV_CITIZEN.code],
      ['regularIncomes[0].type', 'wages'],
      ['regularIncomes[0].m0', '12,5x'],
      ['regularIncomes[1].member', '999999-99999'],
      ['regularIncomes[1].type', 'wages'],
      ['regularIncomes[1].m0', '10'],
    ];
    const en = await post(citizen, '/social-assistance/apply/incomes', bad, 'en');
    expect(en.status).toBe(422);
    const enText = await en.text();
    expect(enText).toContain('href="#regularIncomes-0-m0"');
    expect(enText).toContain(
      'Enter an amount in euros with at most 2 decimals, for example 12,50.',
    );
    expect(enText).toContain('href="#regularIncomes-1-member"');
    expect(enText).toContain('value="12,5x"');

    const lv = await post(citizen, '/social-assistance/apply/incomes', bad, 'lv');
    expect(lv.status).toBe(422);
    expect(await lv.text()).toContain(
      'Ievadiet summu eiro ar ne vairāk kā 2 zīmēm aiz komata, piemēram, 12,50.',
    );

    const wrongCode = await post(
      citizen,
      '/social-assistance/apply/household',
      [
        ...household.slice(0, 4),
        ['members[1].givenName', 'X'],
        ['members[1].familyName', 'Y'],
        ['members[1].personalCode', '010180-10007'],
      ],
      'en',
    );
    expect(wrongCode.status).toBe(422);
    expect(await wrongCode.text()).toContain('href="#members-1-personalCode"');

    const after = (await citizenDraft())!;
    expect(after.data).toEqual(before.data);
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it("asks the provider's IBAN and who is paid the housing benefit: a wrong IBAN or a provider without account or bill is a field error in the reader's language, changing nothing", async () => {
    const before = (await citizenDraft())!;
    const cost: [string, string][] = [
      ['housingCosts[0].kind', 'heating'],
      ['housingCosts[0].amount', '85,20'],
      ['housingCosts[0].payee', 'Tukuma siltums'],
    ];
    const wrongIban: [string, string][] = [
      ...cost,
      ['housingCosts[0].iban', 'LV93 HABA 0551 0203 0405 0'],
      ['housingCosts[0].reference', 'SIL-0042'],
      ['housingPaidTo', 'heating'],
    ];
    for (const [lang, message] of [
      ['en', 'The IBAN&#x27;s check digits do not match'],
      ['lv', 'IBAN kontrolcipari nesakrīt'],
      ['el', 'Τα ψηφία ελέγχου του IBAN δεν ταιριάζουν'],
    ]) {
      const r = await post(citizen, '/social-assistance/apply/housing', wrongIban, lang);
      expect(r.status).toBe(422);
      const text = await r.text();
      expect(text).toContain('href="#housingCosts-0-iban"');
      expect(text).toContain(message);
    }
    // Paid to the provider: its account and the bill reference are needed.
    const noAccount = await post(citizen, '/social-assistance/apply/housing', [
      ...cost,
      ['housingPaidTo', 'heating'],
    ]);
    expect(noAccount.status).toBe(422);
    const text = await noAccount.text();
    expect(text).toContain('href="#housingCosts-0-iban"');
    expect(text).toContain('Enter the provider&#x27;s IBAN');
    expect(text).toContain('href="#housingCosts-0-reference"');
    // A provider of a cost that is not listed.
    const notListed = await post(citizen, '/social-assistance/apply/housing', [
      ...cost,
      ['housingPaidTo', 'water'],
    ]);
    expect(notListed.status).toBe(422);
    expect(await notListed.text()).toContain('href="#housingPaidTo"');
    const after = (await citizenDraft())!;
    expect(after.data).toEqual(before.data);

    const saved = await post(citizen, '/social-assistance/apply/housing', [
      ...cost,
      ['housingCosts[0].iban', 'LV92 HABA 0551 0203 0405 0'],
      ['housingCosts[0].reference', 'SIL-0042'],
      ['housingPaidTo', 'heating'],
      ['action', 'save'],
    ]);
    expect(saved.status).toBe(303);
    const draft = (await citizenDraft())!;
    expect(draft.data.housingCosts).toEqual([
      {
        kind: 'heating',
        amountCents: 8520,
        payee: 'Tukuma siltums',
        iban: 'LV92HABA0551020304050',
        reference: 'SIL-0042',
      },
    ]);
    expect(draft.data.housingPaidTo).toBe('heating');
    const page = await (await citizen.get('/social-assistance/apply/housing?lang=en')).text();
    expect(page).toContain('value="LV92HABA0551020304050"');
    expect(page).toMatch(/<option value="heating" selected>The provider of: Heating<\/option>/);
  });

  it("checks the resident's own account with the provider's IBAN check: a wrong check digit or a country's wrong format is a field error in the reader's language, changing nothing", async () => {
    const before = (await citizenDraft())!;
    for (const [iban, lang, message] of [
      ['LV81 BANK 0000 4351 9500 1', 'en', 'The IBAN&#x27;s check digits do not match'],
      // Check digits right, but a Latvian IBAN names its bank by 4 letters.
      ['LV95 1234 0000 4351 9500 1', 'lv', 'Latvijas IBAN pēc kontrolcipariem ir 4 bankas burti'],
      // Check digits right, but a German IBAN has 22 characters.
      ['DE54 3704 0044 0532 0130 001', 'el', 'Ένα IBAN της χώρας DE έχει 22 χαρακτήρες'],
    ]) {
      const r = await post(
        citizen,
        '/social-assistance/apply/benefits',
        [
          ['benefits', 'gmi'],
          ['paymentAccount', iban],
        ],
        lang,
      );
      expect(r.status).toBe(422);
      const text = await r.text();
      expect(text).toContain('href="#paymentAccount"');
      expect(text).toContain(message);
    }
    expect((await citizenDraft())!.data).toEqual(before.data);
  });

  it('submits only a complete application: what is missing is named with a link to its step; then stores it submitted', async () => {
    const draft = (await citizenDraft())!;
    for (const [step, pairs] of [
      ['incomes', []],
      [
        'assets',
        [
          ['bankAccounts[0].member', DEV_CITIZEN.code],
          ['bankAccounts[0].bank', 'Swedbank'],
          ['bankAccounts[0].opening', '120,00'],
          ['bankAccounts[0].closing', '80,40'],
          ['vehicles[0].member', SPOUSE],
          ['vehicles[0].registrationNumber', 'ab-1234'],
        ],
      ],
      [
        'housing',
        [
          ['housingCosts[0].kind', 'heating'],
          ['housingCosts[0].amount', '85,20'],
          ['housingCosts[0].payee', 'Tukuma siltums'],
        ],
      ],
      [
        'benefits',
        [
          ['benefits', 'gmi'],
          ['benefits', 'housing-benefit'],
          ['paymentAccount', 'LV80 BANK 0000 4351 9500 1'],
        ],
      ],
    ] as [string, [string, string][]][]) {
      const r = await post(citizen, `/social-assistance/apply/${step}`, pairs);
      expect([step, r.status]).toEqual([step, 303]);
    }
    const incomplete = await post(citizen, '/social-assistance/apply/review', [
      ['action', 'submit'],
    ]);
    expect(incomplete.status).toBe(422);
    const text = await incomplete.text();
    expect(text).toContain('href="/social-assistance/apply/housing#bills"');
    expect(text).toContain('Upload the bills for the housing benefit.');
    expect(text).toContain('href="#truthDeclared"');
    expect((await citizenDraft())!.status).toBe('draft');

    const form = new FormData();
    form.append('costKind', 'heating');
    form.append('bills', new Blob([PDF], { type: 'application/pdf' }), 'rekins.pdf');
    const page = await (await citizen.get('/social-assistance/apply/housing')).text();
    const upload = await citizen.request(
      `/social-assistance/apply/housing/bills?_csrf=${encodeURIComponent(csrfIn(page))}`,
      { method: 'POST', body: form },
    );
    expect(upload.status).toBe(303);

    const done = await post(citizen, '/social-assistance/apply/review', [
      ['truthDeclared', 'yes'],
      ['action', 'submit'],
    ]);
    expect(done.status).toBe(303);
    const stored = (await drafts()).find((a) => a.id === draft.id)!;
    // Submitting opened the application's case; the resident follows it there.
    expect(stored.caseId).toBeTruthy();
    expect(done.headers.get('location')).toBe(`/social-assistance/cases/${stored.caseId}`);
    expect(stored).toMatchObject({ status: 'submitted', channel: 'online', truthDeclared: true });
    expect(stored.data.paymentAccount).toBe('LV80BANK0000435195001');
    expect(stored.data.housingCosts).toEqual([
      { kind: 'heating', amountCents: 8520, payee: 'Tukuma siltums', iban: '', reference: '' },
    ]);
    expect(stored.data.housingPaidTo).toBe('applicant');
    expect(stored.appliedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const confirmation = await citizen.get(`/social-assistance/applications/${draft.id}?lang=en`);
    expect(confirmation.status).toBe(200);
    expect(await confirmation.text()).toContain('Application submitted');
    // The resident follows the case the application opened (another case: not found).
    const caseId = stored.caseId!;
    const byCase = await citizen.get(`/social-assistance/cases/${caseId}?lang=en`);
    expect(byCase.status).toBe(200);
    expect(await byCase.text()).toContain('Heating: €85.20');
    expect((await citizen.get(`/social-assistance/cases/${randomUUID()}`)).status).toBe(404);
    // Submitted is final: a later post to its steps starts a new draft, never changes this one.
    expect(await citizenDraft()).toBeUndefined();
  });
});

describe('social assistance application: the counter and the municipality boundary', () => {
  it("registers an application at the counter through the same steps, recording the counter channel; another municipality's staff cannot see it; reads are audited", async () => {
    const code = '121170-10009';
    const bad = await staff.agent
      .post('/workspace/social-assistance/applications/new?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, applicantCode: '121170-10004', givenName: '' })
      .expect(422);
    expect(bad.text).toContain('href="#applicantCode"');
    expect(bad.text).toContain('href="#givenName"');

    const started = await staff.agent
      .post('/workspace/social-assistance/applications/new')
      .type('form')
      .send({ _csrf: staff.csrf, applicantCode: code, givenName: 'Ilze', familyName: 'Ozola' })
      .expect(303);
    const base = started.headers.location.replace(/\/household$/, '');
    const id = base.split('/').pop()!;

    // Another municipality's caseworker and manager: not found, on every page of it.
    for (const path of [base, `${base}/household`, `${base}/review`])
      await staffB.agent.get(path).expect(404);
    await staffB.agent
      .post(`${base}/household`)
      .type('form')
      .send({ _csrf: staffB.csrf, 'members[0].givenName': 'X' })
      .expect(404);
    const inB = await h.tenantDb.run(otherMunicipality, (em) =>
      em.count(SocialAssistanceApplication),
    );
    expect(inB).toBe(0);

    const step = (s: string, fields: Record<string, string | string[]>) =>
      staff.agent
        .post(`${base}/${s}`)
        .type('form')
        .send({ _csrf: staff.csrf, ...fields });
    const page = await staff.agent.get(`${base}/household?lang=en`).expect(200);
    expect(page.text).toContain('value="Ilze"');
    await step('household', {
      'members[0].givenName': 'Ilze',
      'members[0].familyName': 'Ozola',
      'members[0].pensioner': 'yes',
    }).expect(303);
    await step('incomes', {
      'regularIncomes[0].member': code,
      'regularIncomes[0].type': 'old-age-pension',
      'regularIncomes[0].m0': '310,00',
      'regularIncomes[0].m1': '310,00',
      'regularIncomes[0].m2': '310,00',
    }).expect(303);
    await step('assets', {}).expect(303);
    // The counter form asks the same: the provider's IBAN is checked field by field.
    const badIban = await staff.agent
      .post(`${base}/housing?lang=en`)
      .type('form')
      .send({
        _csrf: staff.csrf,
        'housingCosts[0].kind': 'rent',
        'housingCosts[0].amount': '120',
        'housingCosts[0].payee': 'Tukuma nami',
        'housingCosts[0].iban': 'LV92 HABA 0551',
        'housingCosts[0].reference': 'IRE-7',
        housingPaidTo: 'rent',
      })
      .expect(422);
    expect(badIban.text).toContain('href="#housingCosts-0-iban"');
    expect(badIban.text).toContain('An IBAN of LV has 21 characters');
    await step('housing', {}).expect(303);
    await step('benefits', { benefits: ['needy-status'] }).expect(303);
    const submitted = await step('review', { truthDeclared: 'yes', action: 'submit' }).expect(303);
    expect(submitted.headers.location).toMatch(/^\/workspace\/cases\/[0-9a-f-]{36}$/);

    const app = await h.tenantDb.run(h.municipalityId, (em) =>
      em.findOneByOrFail(SocialAssistanceApplication, { id }),
    );
    expect(app).toMatchObject({
      status: 'submitted',
      channel: 'counter',
      applicantCode: code,
      enteredBy: staff.accountId,
      submittedBy: staff.accountId,
    });
    const view = await staff.agent.get(`${base}?lang=en`).expect(200);
    expect(view.text).toContain('at the counter');

    const audited = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE municipality_id = $1 AND action = 'social_assistance_application.read' AND subject_id = $2 AND actor_account_id = $3`,
        [h.municipalityId, id, staff.accountId],
      ),
    )) as { n: number }[];
    expect(audited[0].n).toBeGreaterThan(0);
  });

  it("a resident's own draft is not another resident's, and the staff of another municipality cannot open a resident's draft", async () => {
    const draft = await post(citizen, '/social-assistance/apply/household', household);
    expect(draft.status).toBe(303);
    const d = (await citizenDraft())!;
    await staffB.agent
      .get(`/workspace/social-assistance/applications/${d.id}/household`)
      .expect(404);
    // The resident signed in to the other municipality starts from nothing there.
    const elsewhere = await signInCitizen(h.running.url, otherMunicipality, DEV_CITIZEN.code);
    const page = await (await elsewhere.get('/social-assistance/apply/household?lang=en')).text();
    expect(page).toContain('value="290165-13409"');
    expect(page).not.toContain('Kļaviņa');
    expect(page).not.toContain('data-testid="draft-saved-at"');
  });
});
