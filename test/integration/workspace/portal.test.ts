import { randomUUID } from 'node:crypto';
import { Case } from '../../../src/cases/case.entity';
import { FormDraft } from '../../../src/portal/form-draft.entity';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { InformationAttachment } from '../../../src/workspace/info-requests/information-attachment.entity';
import { InfoRequestService } from '../../../src/workspace/info-requests/info-request.service';
import { Browser, csrfIn, startAuthApp, type AuthApp } from '../auth/auth-support';
import { eventually } from '../../support/workspace-fixtures';
import { signInCitizen, submitForm } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(60_000);

let a: AuthApp;
let mun: string;

/** eID sign-in through the in-process dev identity provider. */
const citizen = (personalCode: string): Promise<Browser> => signInCitizen(a.url, mun, personalCode);

async function apply(b: Browser, subjectRef: string): Promise<string> {
  const page = await (await b.get('/services/reference/apply?lang=en')).text();
  const res = await submitForm(b, page, '/services/reference/apply', {
    subjectRef,
    note: '',
    action: 'submit',
  });
  expect(res.status).toBe(303);
  return /\/my-cases\/([0-9a-f-]{36})/.exec(res.headers.get('location')!)![1];
}

beforeAll(async () => {
  a = await startAuthApp({ ENGINE_EXECUTOR_ID: `portal-${randomUUID().slice(0, 8)}` });
  mun = (await createMunicipality(a.app)).id;
});
afterAll(() => a?.close());

describe('citizen portal', () => {
  it('publishes the catalogue to anyone and asks for sign-in to apply', async () => {
    const b = new Browser(a.url);
    const list = await b.get('/services?lang=en');
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('Reference certificate');
    const apply = await b.get('/services/reference/apply');
    expect(apply.status).toBe(303);
    expect(apply.headers.get('location')).toContain('/auth/sign-in?returnTo=');
    expect((await b.get('/services/no-such-service')).status).toBe(404);
  });

  it('gives a signed-in resident the way to their cases from the home page they land on', async () => {
    const anonymous = await (await new Browser(a.url).get('/?lang=en')).text();
    expect(anonymous).not.toContain('href="/my-cases"');
    const home = await (await (await citizen('150385-12346')).get('/?lang=en')).text();
    expect(home).toContain('href="/my-cases"');
    expect(home).toContain('href="/my-data/consultations"');
  });

  it('keeps a draft per person and form, refuses bad input field by field, and opens nothing then', async () => {
    const b = await citizen('150385-12346');
    const page = await (await b.get('/services/reference/apply?lang=en')).text();
    expect(
      (
        await submitForm(b, page, '/services/reference/apply', {
          subjectRef: 'DRAFT-1',
          note: 'x',
          action: 'save',
        })
      ).status,
    ).toBe(303);
    expect(await (await b.get('/services/reference/apply')).text()).toContain('value="DRAFT-1"');
    const drafts = await a.app.get(TenantDb).run(mun, (em) => em.find(FormDraft, {}));
    expect(drafts.map((d) => d.data.subjectRef)).toContain('DRAFT-1');

    const before = await a.app.get(TenantDb).run(mun, (em) => em.count(Case));
    const bad = await submitForm(b, page, '/services/reference/apply', {
      subjectRef: '',
      action: 'submit',
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('href="#subjectRef"');
    expect(await a.app.get(TenantDb).run(mun, (em) => em.count(Case))).toBe(before);
  });

  it("shows a citizen only their own cases: another person's case is not found", async () => {
    const owner = await citizen('120488-12349');
    const other = await citizen('050792-13458');
    const caseId = await apply(owner, 'OWN-1');
    expect((await owner.get(`/my-cases/${caseId}`)).status).toBe(200);
    expect((await other.get(`/my-cases/${caseId}`)).status).toBe(404);
    expect(await (await other.get('/my-cases')).text()).not.toContain(caseId);
  });

  it('accepts an answer only within the upload limits and resumes nothing until it is valid', async () => {
    const b = await citizen('231175-14569');
    const caseId = await apply(b, 'UPLOAD-1');
    await eventually(() =>
      a.app
        .get(TenantDb)
        .run(mun, (em) => em.findOne(Case, { where: { id: caseId, stage: 'review' } })),
    );
    const r = await a.app
      .get(InfoRequestService)
      .ask(mun, caseId, 'system', 'Send the contract please.', 5);
    // The request's own address leads to the one case page, where the question and its form are.
    const link = await b.get(`/my-cases/${caseId}/requests/${r.id}`);
    expect(link.status).toBe(303);
    expect(link.headers.get('location')).toBe(`/my-cases/${caseId}#request-${r.id}`);
    const page = await (await b.get(`/my-cases/${caseId}?lang=en`)).text();
    expect(page).toContain('Send the contract please.');
    const action = /action="([^"]+)" enctype="multipart\/form-data"/
      .exec(page)![1]
      .replace(/&amp;/g, '&');

    const post = (files: { name: string; type: string; bytes: Buffer }[], answer = '') => {
      const fd = new FormData();
      fd.set('answer', answer);
      for (const f of files)
        fd.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type }), f.name);
      return b.request(action, { method: 'POST', body: fd });
    };
    const tooBig = await post([
      {
        name: 'big.pdf',
        type: 'application/pdf',
        bytes: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(5 * 1024 * 1024)]),
      },
    ]);
    expect(tooBig.status).toBe(422);
    const tooBigPage = await tooBig.text();
    expect(tooBigPage).toContain('big.pdf is larger than 5 MB.');
    // The form comes back with the question, and leads back to the one case page.
    expect(tooBigPage).toContain('Send the contract please.');
    expect(tooBigPage).toContain(`class="govuk-back-link" href="/my-cases/${caseId}"`);
    const wrongType = await post([
      { name: 'x.exe', type: 'application/x-msdownload', bytes: Buffer.from('MZ') },
    ]);
    expect(wrongType.status).toBe(422);
    const empty = await post([]);
    expect(empty.status).toBe(422);
    expect(
      await a.app
        .get(TenantDb)
        .run(mun, (em) => em.count(InformationAttachment, { where: { caseId } })),
    ).toBe(0);

    const ok = await post(
      [
        {
          name: 'photo.png',
          type: 'image/png',
          bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]),
        },
      ],
      'Here it is.',
    );
    expect(ok.status).toBe(303);
    const stored = await a.app
      .get(TenantDb)
      .run(mun, (em) => em.find(InformationAttachment, { where: { caseId } }));
    expect(stored.map((s) => [s.fileName, s.mimeType, s.sizeBytes])).toEqual([
      ['photo.png', 'image/png', 9],
    ]);
    const again = await post([], 'Second answer');
    expect(again.status).toBe(409);
  });

  it('refuses a multipart answer without the CSRF token', async () => {
    const b = await citizen('180269-15678');
    const caseId = await apply(b, 'CSRF-1');
    await eventually(() =>
      a.app
        .get(TenantDb)
        .run(mun, (em) => em.findOne(Case, { where: { id: caseId, stage: 'review' } })),
    );
    const r = await a.app.get(InfoRequestService).ask(mun, caseId, 'system', 'Anything?', 5);
    const fd = new FormData();
    fd.set('answer', 'no token');
    const res = await b.request(`/my-cases/${caseId}/requests/${r.id}`, {
      method: 'POST',
      body: fd,
    });
    expect(res.status).toBe(403);
    expect(csrfIn(await (await b.get(`/my-cases/${caseId}`)).text())).toBeTruthy();
  });
});
