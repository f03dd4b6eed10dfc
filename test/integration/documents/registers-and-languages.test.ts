import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { DocumentService, type IssueDocumentInput } from '../../../src/documents/document.service';
import { REGISTRATION_NUMBER } from '../../../src/documents/registration-number';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { RESIDENCE_TEMPLATES } from '../../../src/modules/residence/residence.templates';
import { ErrorCode } from '../../../src/platform/errors/domain-error';
import { I18nService } from '../../../src/platform/i18n/i18n.service';
import { startApp, type Harness } from './app-harness';
import { pdftotext } from './support';

jest.setTimeout(120_000);

const run = promisify(execFile);
const certificate = RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const PERSONAL_CODE = /\d{6}-?\d{5}/;

async function pdfTitle(pdf: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-pdfinfo-'));
  try {
    writeFileSync(join(dir, 'd.pdf'), pdf);
    const { stdout } = await run('pdfinfo', [join(dir, 'd.pdf')]);
    return /^Title:[ \t]*(\S.*)?$/m.exec(stdout)?.[1] ?? '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const sequence = (n: string): number => Number(n.split('/')[2]);

describe('registration numbers and document languages', () => {
  let h: Harness;
  let documents: DocumentService;

  beforeAll(async () => {
    h = await startApp();
    documents = h.app.get(DocumentService);
  });
  afterAll(() => h.close());

  const issueIn = (municipalityId: string, over: Partial<IssueDocumentInput> = {}) =>
    documents.issue({
      municipalityId,
      caseId: randomUUID(),
      stepKey: 'certificate',
      templateKey: 'residence-declaration/residence-certificate',
      data: certificate,
      ...over,
    });

  it('numbers 20 documents issued at once 1..20 in the register, with no gap and no repeat', async () => {
    const m = await h.addMunicipality({ withSeal: true });
    const docs = await Promise.all(Array.from({ length: 20 }, () => issueIn(m.id)));
    const year = new Date().getFullYear();
    for (const d of docs) {
      expect(d.registrationNumber).toMatch(REGISTRATION_NUMBER);
      expect(
        d.registrationNumber.startsWith(`${m.code.slice(0, 3).toUpperCase()}-CERT/${year}/`),
      ).toBe(true);
    }
    expect(docs.map((d) => sequence(d.registrationNumber)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
  });

  it('a failed issue gives its number back; another register counts on its own', async () => {
    const m = await h.addMunicipality({ withSeal: true });
    const first = await issueIn(m.id);
    await expect(
      issueIn(m.id, { data: { ...certificate, declaredFrom: '2024-02-31' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
    const second = await issueIn(m.id);
    expect([sequence(first.registrationNumber), sequence(second.registrationNumber)]).toEqual([
      1, 2,
    ]);
    const notice = await issueIn(m.id, {
      templateKey: 'generic/notice',
      stepKey: 'notice',
      data: TEMPLATES['generic/notice'].sample,
    });
    expect(notice.registrationNumber).toMatch(/-NOT\/\d{4}\/000001$/);
    // A repeated step returns its document without taking a number.
    const again = await issueIn(m.id, { caseId: second.caseId });
    expect(again).toMatchObject({ id: second.id, created: false });
    expect(sequence((await issueIn(m.id)).registrationNumber)).toBe(3);
  });

  it('prints no personal code and no case id in the number, the PDF, its title, its file name or on /verify', async () => {
    const caseId = randomUUID();
    const doc = await issueIn(h.municipality.id, {
      caseId,
      stepKey: `certificate:${certificate.person.personalCode}`,
    });
    const pdf = await documents.pdf(h.municipality.id, doc.id);
    const text = await pdftotext(pdf);
    const title = await pdfTitle(pdf);
    expect(title).toBe(`Izziņa par deklarēto dzīvesvietu ${doc.registrationNumber}`);
    expect(text).toContain(`Nr. ${doc.registrationNumber}`);
    expect(doc.fileName).toBe(`${doc.registrationNumber.replace(/\//g, '-')}.pdf`);
    for (const shown of [doc.registrationNumber, doc.fileName, title]) {
      expect(shown).not.toMatch(PERSONAL_CODE);
      expect(shown).not.toMatch(UUID);
    }
    // The certificate names its subject (with the code) in its body; never in the number or footer.
    expect(text.replace(`personas kods ${certificate.person.personalCode}`, '')).not.toContain(
      certificate.person.personalCode,
    );
    expect(text).not.toContain(caseId);

    const page = await request(h.app.getHttpServer())
      .get(`/verify/${doc.verificationCode}`)
      .expect(200);
    expect(page.text).toContain(doc.registrationNumber);
    expect(page.text).not.toMatch(PERSONAL_CODE);
    expect(page.text).not.toContain(caseId);
    const api = await request(h.app.getHttpServer())
      .get(`/api/verify/${doc.verificationCode}`)
      .expect(200);
    expect(api.text).not.toMatch(PERSONAL_CODE);
    expect(api.text).not.toContain(caseId);
  });

  it('issues in the official language of the municipality: lv in Latvia, el in Greece', async () => {
    const lv = await issueIn(h.municipality.id);
    expect(lv.language).toBe('lv');
    expect(await pdftotext(await documents.pdf(h.municipality.id, lv.id))).toContain(
      'IZZIŅA PAR DEKLARĒTO DZĪVESVIETU',
    );

    const gr = await h.addMunicipality({ withSeal: true, country: 'GR' });
    expect(await documents.languages(gr.id)).toEqual({ language: 'el', translation: null });
    const el = await issueIn(gr.id);
    expect(el.language).toBe('el');
    expect(await pdftotext(await documents.pdf(gr.id, el.id))).toContain(
      'ΒΕΒΑΙΩΣΗ ΔΗΛΩΜΕΝΗΣ ΚΑΤΟΙΚΙΑΣ',
    );
  });

  it('refuses a document in another language than the official one, with the field at fault', async () => {
    const caseId = randomUUID();
    await expect(issueIn(h.municipality.id, { caseId, language: 'en' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      fields: [
        {
          field: 'language',
          message: 'documents:validation.notOfficialLanguage',
          params: { expected: 'lv' },
        },
      ],
    });
    expect(await documents.listForCase(h.municipality.id, caseId)).toEqual([]);
  });

  it('adds a translation after the original when the municipality issues bilingual documents', async () => {
    const m = await h.addMunicipality({ withSeal: true });
    expect(await documents.languages(m.id)).toEqual({ language: 'lv', translation: null });
    await h.owner.query(
      `INSERT INTO document_settings (municipality_id, second_language) VALUES ($1, 'en')`,
      [m.id],
    );
    expect(await documents.languages(m.id)).toEqual({ language: 'lv', translation: 'en' });
    const doc = await issueIn(m.id, {
      translation: { language: 'en', data: { ...certificate, purpose: 'for a bank' } },
    });
    const text = await pdftotext(await documents.pdf(m.id, doc.id));
    expect(doc.language).toBe('lv');
    const lv = text.indexOf('IZZIŅA PAR DEKLARĒTO DZĪVESVIETU');
    const en = text.indexOf('CERTIFICATE OF DECLARED PLACE OF RESIDENCE');
    expect(lv).toBeGreaterThanOrEqual(0);
    expect(en).toBeGreaterThan(lv);
    expect(text).toContain('Translation (for information');
    expect(text).toMatch(/Lapa 2 no 2/);
  });

  it('lists documents under a title key, so each viewer reads the title in their own language', async () => {
    const doc = await issueIn(h.municipality.id);
    const [listed] = await documents.listForCase(h.municipality.id, doc.caseId);
    expect(listed).toMatchObject({
      title: 'documents:titles.residence-declaration.residence-certificate',
      printedTitle: 'Izziņa par deklarēto dzīvesvietu',
    });
    // What the pages' titleText helper does with it.
    const i18n = h.app.get(I18nService);
    expect(i18n.label('en', listed.title)).toBe('Certificate of declared place of residence');
    expect(i18n.label('el', listed.title)).toBe('Βεβαίωση δηλωμένης κατοικίας');
    expect(i18n.label('lv', listed.title)).toBe('Izziņa par deklarēto dzīvesvietu');
  });
});
