import { randomUUID } from 'node:crypto';
import { ResidenceDeclaration } from '../../../src/modules/residence/residence-declaration.entity';
import { ResidenceAnnulment } from '../../../src/modules/residence/residence-declaration.entity';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { csrfIn } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { Browser, signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { setRegisterTerritory } from '../../../src/persons/register-territory';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let staff: Session;
beforeAll(async () => {
  h = await startResidenceApp();
  staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
  ]);
});
afterAll(() => h?.close());

const count = () => h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceDeclaration));

describe('residence staff pages', () => {
  it('the counter form shows the effective fee and refuses bad input field by field, changing nothing', async () => {
    const form = await staff.agent.get('/workspace/residence/declare?lang=en').expect(200);
    expect(form.text).toContain('€4.27');
    const before = await count();
    const res = await staff.agent
      .post('/workspace/residence/declare?lang=en')
      .type('form')
      .send({
        _csrf: staff.csrf,
        submissionKey: randomUUID(),
        applicantCode: '999999-99999',
        includeSelf: 'yes',
        addressCode: 'abc',
        basis: 'other',
      })
      .expect(422);
    expect(res.text).toContain('href="#applicantCode"');
    expect(res.text).toContain('href="#addressCode"');
    expect(res.text).toContain('href="#basisNote"');
    expect(res.text).toContain('Describe the legal basis.');
    expect(await count()).toBe(before);
  });

  it('the address search keeps everything typed so far (no JavaScript), and submits nothing', async () => {
    const flat = await h.sim.apartment();
    const before = await count();
    const res = await staff.agent
      .post('/workspace/residence/declare?lang=en')
      .type('form')
      .send({
        _csrf: staff.csrf,
        submissionKey: randomUUID(),
        action: 'search',
        addressQuery: flat.text,
        applicantCode: '010190-12345',
        includeSelf: 'yes',
        others: ['020216-22222'],
        basis: 'lease',
        basisNote: 'Līgums Nr. 7',
        contactEmail: 'anna@example.lv',
      })
      .expect(200);
    expect(res.text).toContain('value="010190-12345"');
    expect(res.text).toContain('value="020216-22222"');
    expect(res.text).toContain('value="anna@example.lv"');
    expect(res.text).toContain('Līgums Nr. 7');
    expect(res.text).toMatch(/id="basis-lease"[^>]*checked/);
    expect(res.text).toContain(`value="${flat.code}"`);
    expect(res.text).not.toContain('govuk-error-summary');
    expect(await count()).toBe(before);
  });

  it('a counter declaration opens a case charged the counter fee; the review page refuses a rejection without reasons, then rejects', async () => {
    const owner = await h.sim.person('1959-09-19');
    const me = await h.sim.person('1993-03-13');
    const flat = await h.sim.apartment([{ code: owner, name: 'O' }]);
    const key = randomUUID();
    const send = () =>
      staff.agent.post('/workspace/residence/declare').type('form').send({
        _csrf: staff.csrf,
        submissionKey: key,
        applicantCode: me,
        includeSelf: 'yes',
        addressCode: flat.code,
        basis: 'lease',
      });
    const first = await send().expect(303);
    const again = await send().expect(303);
    expect(again.headers.location).toBe(first.headers.location);
    const caseId = first.headers.location.split('/').pop()!;
    const d = await h.tenantDb.run(h.municipalityId, (em) =>
      em.findOneByOrFail(ResidenceDeclaration, { caseId }),
    );
    expect(d).toMatchObject({ channel: 'counter', feeCents: 427, enteredBy: staff.accountId });

    expect(first.headers.location).toBe(`/workspace/cases/${caseId}`);
    const task = await h.openTask(caseId);
    await staff.agent
      .post(`/workspace/tasks/${task.id}/claim`)
      .type('form')
      .send({ _csrf: staff.csrf })
      .expect(303);
    const page = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(page.text).toContain('data-testid="task-form"');
    const bad = await staff.agent
      .post(`/workspace/tasks/${task.id}/complete?lang=en`)
      .type('form')
      .send({ _csrf: staff.csrf, outcome: 'reject' })
      .expect(422);
    expect(bad.text).toContain('href="#reason"');
    await staff.agent
      .post(`/workspace/tasks/${task.id}/complete`)
      .type('form')
      .send({ _csrf: staff.csrf, outcome: 'reject', reason: 'No lease shown' })
      .expect(303);
    expect((await h.finished(caseId)).result).toMatchObject({ outcome: 'rejected' });
  });

  it('the annulment form refuses bad input and opens a case for a declared person', async () => {
    const before = await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceAnnulment));
    const form = await staff.agent.get('/workspace/residence/annulments/new?lang=en').expect(200);
    // The grounds in force, from the list parameter, with their legal reference.
    expect(form.text).toContain('name="groundCode" type="radio" value="false-data"');
    expect(form.text).toContain('The person has no legal basis to live at the declared residence');
    const bad = await staff.agent
      .post('/workspace/residence/annulments?lang=en')
      .type('form')
      .send({
        _csrf: staff.csrf,
        personCode: '12',
        initiatedBy: 'owner',
        applicantCode: '',
        groundCode: 'moon-phase',
        grounds: '',
      })
      .expect(422);
    expect(bad.text).toContain('href="#personCode"');
    expect(bad.text).toContain('href="#grounds"');
    expect(bad.text).toContain('href="#groundCode"');
    expect(bad.text).toContain(
      'This ground for annulment is not in force; choose one from the list.',
    );
    expect(await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceAnnulment))).toBe(
      before,
    );
    const p = await h.sim.person('1984-08-18');
    await h.sim.residence(p, (await h.sim.apartment()).code, '2024-01-01');
    const ok = await staff.agent
      .post('/workspace/residence/annulments')
      .type('form')
      .send({
        _csrf: staff.csrf,
        personCode: p,
        initiatedBy: 'ex-officio',
        groundCode: 'no-legal-basis',
        grounds: 'Mail returned',
      })
      .expect(303);
    expect(ok.headers.location).toMatch(/^\/workspace\/cases\//);
  });

  it('shows a person card with the declared residence', async () => {
    const p = await h.sim.person('1986-06-16', 'Rūta', 'Kalēja');
    const flat = await h.sim.apartment();
    await h.sim.residence(p, flat.code, '2024-04-04');
    // Staff see their own residents only: this municipality covers Tukuma novads (platform configuration).
    const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
      h.municipalityId,
    ])) as { code: string }[];
    await setRegisterTerritory(h.owner, code, 'Tukuma novads', 'test');
    // The link asks for the purpose first and shows nothing of the person (issue 12 M7).
    const form = await staff.agent.get(`/workspace/residence/persons/${p}?lang=en`).expect(200);
    expect(form.text).toContain('action="/workspace/residence/persons/card"');
    expect(form.text).not.toContain('Rūta');
    const refused = await staff.agent
      .post('/workspace/residence/persons/card?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, code: p, purpose: 'because' })
      .expect(422);
    expect(refused.text).toContain(
      'Choose one of the purposes in the list: free text is not accepted.',
    );
    expect(refused.text).not.toContain('Rūta');
    const card = await staff.agent
      .post('/workspace/residence/persons/card?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, code: p, purpose: 'counter-service' })
      .expect(200);
    expect(card.text).toContain('Rūta Kalēja');
    expect(card.text).toContain(flat.text);
    expect(card.text).toContain('Serving a resident at the counter');
  });

  it('looks people up only by POST with the CSRF token and a purpose of the list, recording the case (issue 12 M7, L1)', async () => {
    const p = await h.sim.person('1987-07-17', 'Ilze', 'Meklētā');
    await h.sim.residence(p, (await h.sim.apartment()).code, '2024-05-05');
    const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
      h.municipalityId,
    ])) as { code: string }[];
    await setRegisterTerritory(h.owner, code, 'Tukuma novads', 'test');
    const [c] = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, title) VALUES ($1, $2, 'residence-declaration', 1, 'Test') RETURNING id, number`,
        [h.municipalityId, `L1-${randomUUID().slice(0, 8).toUpperCase()}`],
      ),
    )) as { id: string; number: string }[];
    const written = async () =>
      (await h.tenantDb.run(h.municipalityId, (em) =>
        em.query(
          `SELECT (SELECT count(*) FROM audit_log)::int AS audit, (SELECT count(*) FROM persons WHERE personal_code = $1)::int AS persons`,
          [p],
        ),
      )) as { audit: number; persons: number }[];
    const before = await written();
    // A navigation (GET) with a purpose in the query: only the empty form, nothing looked up or recorded.
    const nav = await staff.agent
      .get(`/workspace/residence/persons?q=${p}&purpose=counter-service&lang=en`)
      .expect(200);
    expect(nav.text).toContain('method="post" action="/workspace/residence/persons"');
    expect(nav.text).not.toContain('Meklētā');
    const card = await staff.agent
      .get(`/workspace/residence/persons/${p}?purpose=counter-service&lang=en`)
      .expect(200);
    expect(card.text).not.toContain('Meklētā');
    // A POST without the token is refused.
    await staff.agent
      .post('/workspace/residence/persons')
      .type('form')
      .send({ q: p, purpose: 'counter-service' })
      .expect(403);
    expect(await written()).toEqual(before);
    // Free text is a field error; so is a case purpose without a case of this municipality.
    const free = await staff.agent
      .post('/workspace/residence/persons?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, q: p, purpose: 'ask a friend' })
      .expect(422);
    expect(free.text).toContain(
      'Choose one of the purposes in the list: free text is not accepted.',
    );
    const noCase = await staff.agent
      .post('/workspace/residence/persons?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, q: p, purpose: 'case-handling' })
      .expect(422);
    expect(noCase.text).toContain('href="#caseNumber"');
    expect(noCase.text).toContain('Enter the number of the case this look-up is for.');
    expect(await written()).toEqual(before);

    const found = await staff.agent
      .post('/workspace/residence/persons?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, q: p, purpose: 'case-handling', caseNumber: c.number })
      .expect(200);
    expect(found.text).toContain('Ilze Meklētā');
    const personId = /name="personId" value="([0-9a-f-]{36})"/.exec(found.text)![1];
    expect(found.text).toContain(`name="caseNumber" value="${c.number}"`);
    const opened = await staff.agent
      .post('/workspace/residence/persons/card?lang=en')
      .type('form')
      .send({ _csrf: staff.csrf, personId, purpose: 'case-handling', caseNumber: c.number })
      .expect(200);
    expect(opened.text).toContain('Handling a case');
    const reads = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `SELECT purpose, details FROM audit_log WHERE action = 'person.read' AND person_id = $1 ORDER BY seq`,
        [personId],
      ),
    )) as { purpose: string; details: Record<string, unknown> }[];
    expect(reads).toEqual([
      { purpose: 'case-handling', details: { caseId: c.id, caseNumber: c.number } },
      { purpose: 'case-handling', details: { caseId: c.id, caseNumber: c.number } },
    ]);
  });

  it('offers the case a person link comes from as the purpose, and nothing for a case the user may not read', async () => {
    const p = await h.sim.person('1988-08-18', 'Jānis', 'Saitētais');
    const [c] = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `INSERT INTO cases (municipality_id, number, process_key, process_version, title) VALUES ($1, $2, $3, 1, 'Test'), ($1, $4, 'reference', 1, 'Test') RETURNING id, number`,
        [
          h.municipalityId,
          `L1-${randomUUID().slice(0, 8).toUpperCase()}`,
          'residence-declaration',
          `L1-${randomUUID().slice(0, 8).toUpperCase()}`,
        ],
      ),
    )) as { id: string; number: string }[];
    const page = await staff.agent
      .get(`/workspace/residence/persons/${p}?case=${c.id}&lang=en`)
      .expect(200);
    expect(page.text).toMatch(new RegExp(`name="caseNumber"[^>]* value="${c.number}"`));
    expect(page.text).toMatch(/value="case-handling" checked/);
    const [ref] = (await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `SELECT id, number FROM cases WHERE process_key = 'reference' ORDER BY created_at DESC LIMIT 1`,
      ),
    )) as { id: string; number: string }[];
    const other = await staff.agent
      .get(`/workspace/residence/persons/${p}?case=${ref.id}&lang=en`)
      .expect(200);
    expect(other.text).not.toContain(ref.number);
  });

  it('keeps citizens and other roles out of staff pages', async () => {
    const council = await signInStaff(h.running.app, h.municipalityId, ['council_secretary']);
    await council.agent.get('/workspace/residence/declare').expect(403);
  });
});

describe('residence in the service catalogue', () => {
  it('shows the counter fee in force from the parameters, formatted per language, and a municipal override to its staff', async () => {
    const anon = new Browser(h.running.url);
    expect(await (await anon.get('/services/residence-declaration?lang=en')).text()).toContain(
      'state fee EUR 4.27 at the municipality',
    );
    expect(await (await anon.get('/services/residence-declaration?lang=lv')).text()).toContain(
      'valsts nodeva 4,27 EUR',
    );
    await h.running.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: h.municipalityId,
      key: 'residence-declaration.fee.counter',
      value: '5',
      unit: 'EUR',
      validFrom: '2020-01-01',
      note: 'council decision',
    });
    const own = await staff.agent.get('/services/residence-declaration?lang=en').expect(200);
    expect(own.text).toContain('state fee EUR 5.00 at the municipality');
    expect(await (await anon.get('/services/residence-declaration?lang=en')).text()).toContain(
      'EUR 4.27',
    );
  });
});

describe('the citizen declaration form', () => {
  it('saves a draft, shows it on return, and forgets it once the declaration is submitted', async () => {
    const code = DEV_CITIZEN.code;
    await seedDevResidents(h);
    const flat = await h.sim.apartment([{ code: await h.sim.person('1950-05-05'), name: 'O' }]);
    const b = await signInCitizen(h.running.url, h.municipalityId, code);
    const empty = await (await b.get('/residence/declare?lang=en')).text();
    expect(empty).toContain('Save draft');
    expect(empty).not.toContain('data-testid="draft-saved-at"');
    // What the browser posts from the declaration form (the page's other form is the address search).
    const post = (html: string, fields: Record<string, string>) =>
      b.postForm('/residence/declare', {
        _csrf: csrfIn(html),
        submissionKey: /name="submissionKey" value="([^"]+)"/.exec(html)![1],
        ...fields,
      });
    const filled = {
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
      basisNote: 'Lease from May',
    };
    const saved = await post(empty, { ...filled, action: 'save' });
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/residence/declare?done=draftSaved');
    expect(
      await h.tenantDb.run(h.municipalityId, (em) =>
        em.count(ResidenceDeclaration, { where: { applicantCode: code } }),
      ),
    ).toBe(0);

    const back = await (await b.get('/residence/declare?done=draftSaved&lang=en')).text();
    expect(back).toContain('Your draft has been saved');
    expect(back).toContain('data-testid="draft-saved-at"');
    expect(back).toContain(`value="${flat.code}"`);
    expect(back).toContain('Lease from May');
    expect(back).toMatch(/id="basis-lease"[^>]*checked/);

    expect(back).toMatch(/id="includeSelf"[^>]*checked/);
    const submitted = await post(back, filled);
    expect(submitted.status).toBe(303);
    expect(submitted.headers.get('location')).toMatch(/^\/residence\/cases\//);
    // "My cases" lists the declaration (applicant by personal code) and links to its status page.
    const caseId = submitted.headers.get('location')!.split('/').pop()!;
    const mine = await (await b.get('/my-cases?lang=en')).text();
    expect(mine).toContain(`href="/residence/cases/${caseId}"`);
    // One case page: the generic address sends the citizen to it.
    const generic = await b.get(`/my-cases/${caseId}?lang=en`);
    expect(generic.status).toBe(303);
    expect(generic.headers.get('location')).toBe(`/residence/cases/${caseId}?lang=en`);
    const again = await (await b.get('/residence/declare?lang=en')).text();
    expect(again).not.toContain('data-testid="draft-saved-at"');
    expect(again).not.toContain('Lease from May');
  });
});

describe('the citizen case pages (D23)', () => {
  it('show dates in one format, one wording per stage, and the decision date instead of the deadline once decided', async () => {
    await seedDevResidents(h);
    const code = '220790-14568';
    const flat = await h.sim.apartment([{ code: await h.sim.person('1950-06-06'), name: 'O' }]);
    const b = await signInCitizen(h.running.url, h.municipalityId, code);
    const form = await (await b.get('/residence/declare?lang=en')).text();
    const submitted = await b.postForm('/residence/declare', {
      _csrf: csrfIn(form),
      submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form)![1],
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
      basisNote: 'Lease from June',
    });
    expect(submitted.status).toBe(303);
    const caseId = submitted.headers.get('location')!.split('/').pop()!;
    const task = await h.openTask(caseId);

    const cell = (html: string, testid: string): string =>
      new RegExp(`data-testid="${testid}">([^<]*)<`).exec(html)?.[1].trim() ?? '';
    const myRow = (html: string): string =>
      html.split(`href="/residence/cases/${caseId}"`)[1].split('</tr>')[0];
    const page = await (await b.get(`/residence/cases/${caseId}?lang=en`)).text();
    const mine = await (await b.get('/my-cases?lang=en')).text();
    const due = cell(page, 'due');
    expect(due).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
    expect(myRow(mine)).toContain(`>${due}<`);
    expect(cell(page, 'stage')).toBe('Being reviewed by a caseworker');
    expect(myRow(mine)).toContain('>Being reviewed by a caseworker<');

    await staff.agent
      .post(`/workspace/tasks/${task.id}/claim`)
      .type('form')
      .send({ _csrf: staff.csrf })
      .expect(303);
    await staff.agent
      .post(`/workspace/tasks/${task.id}/complete`)
      .type('form')
      .send({ _csrf: staff.csrf, outcome: 'reject', reason: 'No lease shown' })
      .expect(303);
    await h.finished(caseId);

    const closed = await (await b.get(`/residence/cases/${caseId}?lang=en`)).text();
    expect(closed).not.toContain('Decision due by');
    expect(cell(closed, 'decided')).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}$/);
    const mineClosed = myRow(await (await b.get('/my-cases?lang=en')).text());
    expect(mineClosed).toContain(`Decided on ${cell(closed, 'decided')}`);
    expect(cell(closed, 'stage')).not.toBe('');
    expect(mineClosed).toContain(`>${cell(closed, 'stage')}<`);
  });
});
