import { randomUUID } from 'node:crypto';
import { SocialAssistanceApplicationService } from '../../../src/modules/social-assistance/application/application.service';
import { P } from '../../../src/integrations/sim/demo-residents';
import { createMunicipality } from '../../factories/municipalities';
import {
  completeDraft,
  requestInformation,
  submitApplication,
} from '../../factories/social-assistance-applications';
import { csrfIn } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { signInCitizen, type Browser } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(240_000);

/**
 * The resident's case page of a social-assistance case waiting for information: a refused answer
 * comes back with the text as typed (files are chosen again), and the files of the case (the
 * application's bills, the files sent with answers) download to their applicant only, each an
 * audited read. The real app on real PostgreSQL, the resident signed in through the dev eID.
 */
let h: ResidenceHarness;
let citizen: Browser;
let caseId: string;
let billId: string;
let otherBillId: string;
let otherMunicipality: string;

const ACCOUNT = randomUUID();
const BILL = Buffer.from('%PDF-1.4\n% heating bill, November\n%%EOF\n');
const STATEMENT = Buffer.from('%PDF-1.4\n% bank statement\n%%EOF\n');
const TYPED = 'Statements from Swedbank & SEB for <September–November>';

const q = <T>(sql: string, params: unknown[] = []) =>
  h.tenantDb.run(h.municipalityId, (em) => em.query(sql, params) as Promise<T[]>);

const pdf = (name: string, bytes: Buffer) => ({
  originalname: name,
  mimetype: 'application/pdf',
  size: bytes.length,
  buffer: bytes,
});

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  const apps = h.running.app.get(SocialAssistanceApplicationService);
  const app = await submitApplication(
    h.running.app,
    {
      municipalityId: h.municipalityId,
      accountId: ACCOUNT,
      applicant: { code: DEV_CITIZEN.code, given: 'Pēteris', family: 'Kļaviņš' },
    },
    (draft) => apps.addBills(draft, [pdf('rēķins "nov".pdf', BILL)], 'heating', ACCOUNT),
  );
  caseId = app.caseId!;
  billId = (await apps.bills(app))[0].id;
  // Another resident's draft with a bill of its own.
  const other = await completeDraft(
    h.running.app,
    {
      municipalityId: h.municipalityId,
      accountId: ACCOUNT,
      applicant: { code: P.liga.code, given: 'Līga', family: 'Kalniņa' },
    },
    (draft) => apps.addBills(draft, [pdf('other.pdf', BILL)], 'heating', ACCOUNT),
  );
  otherBillId = (await apps.bills(other))[0].id;
  otherMunicipality = (await createMunicipality(h.owner, { code: `b${Date.now().toString(36)}` }))
    .id;

  await requestInformation(h, caseId, 'Bank statements for the last 3 months');
  citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
});
afterAll(() => h?.close());

/** Posts the answer form of the case page as a browser does: the text first, then the files. */
async function answer(
  text: string,
  file?: { name: string; type: string; bytes: Buffer },
  lang = 'en',
): Promise<Response> {
  const page = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=${lang}`)).text();
  const form = new FormData();
  form.set('answer', text);
  if (file)
    form.append('files', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return citizen.request(
    `/social-assistance/cases/${caseId}/information?lang=${lang}&_csrf=${encodeURIComponent(csrfIn(page))}`,
    { method: 'POST', body: form },
  );
}

const stored = async () => ({
  files: await q<{ id: string }>(
    `SELECT b.id FROM social_assistance_bills b
       JOIN social_assistance_applications a ON a.id = b.application_id
      WHERE a.case_id = $1 AND b.request_id IS NOT NULL`,
    [caseId],
  ),
  answered: (
    await q<{ answered_at: Date | null; answer: string | null }>(
      `SELECT answered_at, answer FROM social_assistance_information_requests WHERE case_id = $1`,
      [caseId],
    )
  )[0],
});

const ESCAPED = 'Statements from Swedbank &amp; SEB for &lt;September–November&gt;';

describe("the resident's answer to a request for information", () => {
  it('refused for a file of the wrong type: the page comes back with the text as typed, the field error and a word that files are chosen again; nothing is stored', async () => {
    const r = await answer(TYPED, {
      name: 'statement.pdf',
      type: 'application/pdf',
      bytes: Buffer.from('MZ\x90\x00 not a pdf'),
    });
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toMatch(/<textarea[^>]*id='answer'[^>]*>\n?Statements from Swedbank &amp; SEB/);
    expect(html).toContain(ESCAPED);
    expect(html).not.toContain(TYPED);
    expect(html).toContain("id='files-error'");
    expect(html).toContain('statement.pdf: attach a PDF, JPEG or PNG file');
    expect(html).toContain('The files you chose before were not kept: choose them again.');
    expect(html).toContain("aria-describedby='files-hint files-error'");
    expect(await stored()).toEqual({
      files: [],
      answered: { answered_at: null, answer: null },
    });
  });

  it('refused for a file over the size while the upload is read: the text typed before it comes back, in Latvian', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 1);
    BILL.copy(big);
    const r = await answer(TYPED, { name: 'big.pdf', type: 'application/pdf', bytes: big }, 'lv');
    expect(r.status).toBe(422);
    const html = await r.text();
    expect(html).toContain(ESCAPED);
    expect(html).toContain("id='files-error'");
    expect(html).toContain('Iepriekš izvēlētās datnes netika saglabātas: izvēlieties tās vēlreiz.');
    expect((await stored()).files).toEqual([]);
  });

  it('a first visit shows an empty form without the word about files', async () => {
    const html = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    expect(html).not.toContain('choose them again');
    expect(html).not.toContain(ESCAPED);
  });
});

describe("the files of the resident's case", () => {
  let fileHref: string;
  let answerFileId: string;

  it('accepts the answer with its file, and links the bill and the file sent from the case page', async () => {
    const ok = await answer('Statements attached', {
      name: 'bank-statement.pdf',
      type: 'application/pdf',
      bytes: STATEMENT,
    });
    expect(ok.status).toBe(303);
    const { files } = await stored();
    expect(files).toHaveLength(1);
    answerFileId = files[0].id;
    const html = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    fileHref = `/social-assistance/cases/${caseId}/files/${answerFileId}`;
    expect(html).toContain(`href='${fileHref}' download>bank-statement.pdf</a>`);
    expect(html).toContain(
      `href='/social-assistance/cases/${caseId}/files/${billId}' download>rēķins &quot;nov&quot;.pdf</a>`,
    );
  });

  it('downloads to their owner byte for byte, as an attachment with a safe name, each an audited read with the person', async () => {
    const reads = (fileId: string) =>
      q<{ actor_account_id: string; person_id: string | null }>(
        `SELECT actor_account_id, person_id FROM audit_log
          WHERE action = 'social_assistance_file.read' AND subject_id = $1`,
        [fileId],
      );
    expect(await reads(answerFileId)).toEqual([]);

    const r = await citizen.get(fileHref);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(r.headers.get('content-disposition')).toBe(
      'attachment; filename="bank-statement.pdf"; filename*=UTF-8\'\'bank-statement.pdf',
    );
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await r.arrayBuffer()).equals(STATEMENT)).toBe(true);

    const bill = await citizen.get(`/social-assistance/cases/${caseId}/files/${billId}`);
    expect(bill.status).toBe(200);
    // No quote of the name reaches the header: an ASCII stand-in, then the exact name encoded.
    expect(bill.headers.get('content-disposition')).toBe(
      `attachment; filename="r__ins _nov_.pdf"; filename*=UTF-8''r%C4%93%C4%B7ins%20%22nov%22.pdf`,
    );
    expect(Buffer.from(await bill.arrayBuffer()).equals(BILL)).toBe(true);

    const [me] = (await h.owner.query(`SELECT id FROM accounts WHERE personal_code = $1`, [
      DEV_CITIZEN.code,
    ])) as { id: string }[];
    const [person] = await q<{ id: string }>(
      `SELECT id FROM persons WHERE municipality_id = $1 AND personal_code = $2`,
      [h.municipalityId, DEV_CITIZEN.code],
    );
    expect(await reads(answerFileId)).toEqual([{ actor_account_id: me.id, person_id: person.id }]);
    expect(await reads(billId)).toHaveLength(1);
  });

  it("another resident, the same resident in another municipality, another application's file and a made-up id: not found, and no read recorded", async () => {
    const before = await q<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'social_assistance_file.read'`,
    );
    const liga = await signInCitizen(h.running.url, h.municipalityId, P.liga.code);
    expect((await liga.get(fileHref)).status).toBe(404);
    const elsewhere = await signInCitizen(h.running.url, otherMunicipality, DEV_CITIZEN.code);
    expect((await elsewhere.get(fileHref)).status).toBe(404);
    for (const id of [otherBillId, randomUUID(), 'not-a-uuid'])
      expect((await citizen.get(`/social-assistance/cases/${caseId}/files/${id}`)).status).toBe(
        404,
      );
    expect(
      await q<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'social_assistance_file.read'`,
      ),
    ).toEqual(before);
  });
});
