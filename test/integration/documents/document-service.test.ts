import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDocumentActivities } from '../../../activities/documents';
import type { CaseTimeline, TimelineEvent } from '../../../src/documents/case-timeline';
import { DocumentService } from '../../../src/documents/document.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { PDF_PRINTER, type PdfPrinter } from '../../../src/documents/pdf/pdf-printer';
import {
  DOCUMENT_SIGNER,
  type DocumentSigner,
} from '../../../src/documents/signing/document-signer';
import { ensureDevSeal } from '../../../src/documents/signing/dev-seal';
import { DocumentRenderer } from '../../../src/documents/templates/document-renderer';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { RESIDENCE_TEMPLATES } from '../../../src/modules/residence/residence.templates';
import { ErrorCode } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { startApp, type Harness } from './app-harness';
import { pdffonts, pdfsig, pdftotext, PASSPHRASE } from './support';

jest.setTimeout(60_000);

const certificate = RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample;
const caseId = (): string => `C-${randomBytes(5).toString('hex')}`;

describe('DocumentService.issue', () => {
  let h: Harness;
  let documents: DocumentService;

  beforeAll(async () => {
    h = await startApp();
    documents = h.app.get(DocumentService);
  });
  afterAll(() => h.close());

  const issue = (over: Partial<Parameters<DocumentService['issue']>[0]> = {}) =>
    documents.issue({
      municipalityId: h.municipality.id,
      caseId: caseId(),
      stepKey: 'certificate',
      templateKey: 'residence-declaration/residence-certificate',
      language: 'lv',
      data: certificate,
      ...over,
    });

  const countForCase = (municipalityId: string, id: string): Promise<number> =>
    h.app.get(TenantDb).run(municipalityId, (em) => em.countBy(IssuedDocument, { caseId: id }));

  it('renders, seals and stores a residence certificate that pdfsig validates', async () => {
    const doc = await issue();
    expect(doc.created).toBe(true);
    expect(doc.verificationCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(doc.verificationUrl).toBe(`https://civitas.test/verify/${doc.verificationCode}`);
    expect(doc.templateVersion).toBe(
      h.app
        .get(DocumentRenderer)
        .templateVersion('residence-declaration/residence-certificate', 'lv'),
    );
    expect(doc.signerSubject).toContain('CN=Testa novada pašvaldība e-seal');

    const pdf = await documents.pdf(h.municipality.id, doc.id);
    expect(pdf.length).toBe(doc.sizeBytes);
    const text = await pdftotext(pdf);
    expect(text).toContain('IZZIŅA PAR DEKLARĒTO DZĪVESVIETU');
    expect(text).toContain('Izsniegta Līgai Ķēniņai');
    expect(text).toContain('Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101');
    expect(text).toContain('2024. gada 15. marts');
    expect(text).toContain(doc.verificationCode);
    expect(text).toMatch(/Lapa 1 no 1/);
    expect(await pdffonts(pdf)).toContain('DejaVuSans');

    const report = await pdfsig(h.seal.nssDir, pdf);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('ETSI.CAdES.detached');
    const tampered = Buffer.from(pdf);
    tampered[400] ^= 0x20;
    expect(await pdfsig(h.seal.nssDir, tampered)).not.toContain('Signature is Valid');
  });

  it('renders Greek documents', async () => {
    const greek = await h.addMunicipality({ withSeal: true, country: 'GR' });
    const doc = await issue({
      municipalityId: greek.id,
      language: 'el',
      templateKey: 'generic/notice',
      data: {
        ...TEMPLATES['generic/notice'].sample,
        subject: 'Ειδοποίηση για συμπληρωματικά έγγραφα',
      },
    });
    const text = await pdftotext(await documents.pdf(greek.id, doc.id));
    expect(text).toContain('Θέμα: Ειδοποίηση για συμπληρωματικά έγγραφα');
    expect(text).toContain('Σελίδα 1 από 1');
  });

  it('is idempotent per (caseId, stepKey), also when attempts race', async () => {
    const id = caseId();
    const [a, b, c] = await Promise.all([
      issue({ caseId: id }),
      issue({ caseId: id }),
      issue({ caseId: id }),
    ]);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect([a, b, c].filter((d) => d.created)).toHaveLength(1);
    const again = await issue({ caseId: id });
    expect(again).toMatchObject({ id: a.id, created: false, sha256: a.sha256 });
    expect(await countForCase(h.municipality.id, id)).toBe(1);
  });

  it('the issueDocument activity returns the first document on a retry', async () => {
    const { issueDocument } = createDocumentActivities({ documents });
    const input = {
      municipalityId: h.municipality.id,
      caseId: caseId(),
      stepKey: 'decision',
      templateKey: 'generic/decision',
      data: TEMPLATES['generic/decision'].sample,
    };
    const first = await issueDocument(input);
    const retry = await issueDocument(input);
    expect(retry).toEqual({ ...first, created: false });
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('prints markup and scripts in user text as text', async () => {
    const doc = await issue({
      data: {
        ...certificate,
        address:
          '<script>document.body.innerHTML="HACKED"</script><b>Bold</b> & <img src=x onerror=alert(1)>',
      },
    });
    const text = (await pdftotext(await documents.pdf(h.municipality.id, doc.id))).replace(
      /\s+/g,
      ' ',
    );
    expect(text).toContain('<script>document.body.innerHTML="HACKED"</script><b>Bold</b> & <img');
    expect(text).toContain('src=x onerror=alert(1)>');
    expect(text).not.toContain('HACKED ');
    expect(text).toContain('IZZIŅA PAR DEKLARĒTO DZĪVESVIETU');
  });

  it('rejects data the template does not expect and stores nothing', async () => {
    const id = caseId();
    await expect(
      issue({ caseId: id, data: { ...certificate, maritalStatus: 'married' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      fields: [{ field: 'data.maritalStatus', message: 'documents:validation.unexpectedField' }],
    });
    expect(await countForCase(h.municipality.id, id)).toBe(0);
  });

  it('refuses to issue without a seal, or with an expired one, and stores nothing', async () => {
    const noSeal = await h.addMunicipality();
    const id = caseId();
    await expect(issue({ municipalityId: noSeal.id, caseId: id })).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      retryable: false,
      params: expect.objectContaining({ key: 'documents:seal.missing' }),
    });
    expect(await countForCase(noSeal.id, id)).toBe(0);

    const expired = await h.addMunicipality();
    ensureDevSeal({
      dir: h.seal.dir,
      municipalityCode: expired.code,
      municipalityName: expired.name,
      passphrase: PASSPHRASE,
      notBefore: new Date('2022-01-01'),
      notAfter: new Date('2023-01-01'),
    });
    await expect(issue({ municipalityId: expired.id, caseId: id })).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      params: expect.objectContaining({ key: 'documents:seal.expired' }),
    });
    expect(await countForCase(expired.id, id)).toBe(0);
  });

  it('keeps issued documents immutable in the database, for the app role and the owner', async () => {
    const doc = await issue();
    const appDs = h.app.get(DataSource);
    await expect(
      h.app
        .get(TenantDb)
        .run(h.municipality.id, (em) =>
          em.query(`UPDATE documents SET title = 'x' WHERE id = $1`, [doc.id]),
        ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      appDs.query(`DELETE FROM document_verifications WHERE document_id = $1`, [doc.id]),
    ).rejects.toThrow(/permission denied/);
    const asOwner = (sql: string) =>
      h.owner.transaction(async (em) => {
        await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [h.municipality.id]);
        return em.query(sql, [doc.id]);
      });
    await expect(asOwner(`UPDATE documents SET pdf = '\\x00' WHERE id = $1`)).rejects.toThrow(
      /issued documents are immutable/,
    );
    await expect(asOwner(`DELETE FROM documents WHERE id = $1`)).rejects.toThrow(
      /issued documents are immutable/,
    );
    await expect(
      asOwner(`UPDATE document_verifications SET sha256 = repeat('0', 64) WHERE document_id = $1`),
    ).rejects.toThrow(/issued documents are immutable/);
  });

  it('stores the persons a document names with it: per municipality, append-only; malformed ones refused, nothing stored', async () => {
    const id = caseId();
    const doc = await issue({
      caseId: id,
      persons: ['010101-10001', ' 020202-10002 ', '010101-10001'],
    });
    expect(await documents.personsNamed(h.municipality.id, { caseId: id })).toEqual([
      '010101-10001',
      '020202-10002',
    ]);
    expect(
      await documents.personsNamed(h.municipality.id, { caseId: id, documentId: doc.id }),
    ).toEqual(['010101-10001', '020202-10002']);
    // A retried step returns the stored document and stores no persons twice.
    expect(await issue({ caseId: id, persons: ['030303-10003'] })).toMatchObject({
      id: doc.id,
      created: false,
    });
    expect(await documents.personsNamed(h.municipality.id, { caseId: id })).toEqual([
      '010101-10001',
      '020202-10002',
    ]);
    const other = await h.addMunicipality();
    expect(await documents.personsNamed(other.id, { caseId: id })).toEqual([]);
    await expect(
      h.app
        .get(TenantDb)
        .run(h.municipality.id, (em) =>
          em.query(`DELETE FROM document_persons WHERE document_id = $1`, [doc.id]),
        ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      h.owner.transaction(async (em) => {
        await em.query(`SELECT set_config('app.municipality_id', $1, true)`, [h.municipality.id]);
        return em.query(`UPDATE document_persons SET personal_code = 'x' WHERE document_id = $1`, [
          doc.id,
        ]);
      }),
    ).rejects.toThrow(/issued documents are immutable/);

    const bad = caseId();
    for (const persons of [[''], ['x'.repeat(41)], [42 as unknown as string]]) {
      await expect(issue({ caseId: bad, persons })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        fields: [{ field: 'persons', message: 'documents:validation.invalidPersons' }],
      });
    }
    expect(await countForCase(h.municipality.id, bad)).toBe(0);
  });

  it('a correction is a new document that supersedes the old one, once', async () => {
    const id = caseId();
    const original = await issue({ caseId: id });
    const correction = await issue({
      caseId: id,
      stepKey: 'certificate-correction-1',
      supersedesId: original.id,
    });
    expect(correction).toMatchObject({ supersedesId: original.id, created: true });
    expect(correction.id).not.toBe(original.id);
    await expect(
      issue({ caseId: id, stepKey: 'certificate-correction-2', supersedesId: original.id }),
    ).rejects.toMatchObject({
      fields: [{ field: 'supersedesId', message: 'documents:validation.alreadySuperseded' }],
    });
    expect((await documents.listForCase(h.municipality.id, id)).map((d) => d.id)).toEqual([
      original.id,
      correction.id,
    ]);
  });

  it('keeps documents to their municipality (row-level security)', async () => {
    const doc = await issue();
    const other = await h.addMunicipality();
    expect(await documents.get(other.id, doc.id)).toBeNull();
    await expect(documents.pdf(other.id, doc.id)).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    expect(await documents.get(h.municipality.id, doc.id)).toMatchObject({ id: doc.id });
  });

  it('records the issue on the case timeline inside the storing transaction', async () => {
    const events: Array<TimelineEvent & { tenant: string }> = [];
    const timeline: CaseTimeline = {
      async record(event, em) {
        const [{ t }] = (await em.query(
          `SELECT current_setting('app.municipality_id', true) AS t`,
        )) as Array<{ t: string }>;
        const [{ n }] = (await em.query(
          `SELECT count(*)::int AS n FROM documents WHERE case_id = $1`,
          [event.caseId],
        )) as Array<{ n: number }>;
        events.push({ ...event, tenant: `${t}:${n}` });
      },
    };
    const withTimeline = new DocumentService(
      h.config,
      h.app.get(DataSource),
      h.app.get(TenantDb),
      h.app.get(DocumentRenderer),
      h.app.get<PdfPrinter>(PDF_PRINTER),
      h.app.get<DocumentSigner>(DOCUMENT_SIGNER),
      timeline,
    );
    const id = caseId();
    const doc = await withTimeline.issue({
      municipalityId: h.municipality.id,
      caseId: id,
      stepKey: 'notice',
      templateKey: 'generic/notice',
      language: 'lv',
      data: TEMPLATES['generic/notice'].sample,
    });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'document.issued',
        caseId: id,
        idempotencyKey: `document.issued:${id}:notice`,
        params: {
          title: 'Paziņojums',
          titleKey: 'documents:titles.generic.notice',
          registrationNumber: doc.registrationNumber,
          documentId: doc.id,
        },
        tenant: `${h.municipality.id}:1`,
      }),
    ]);
  });
});
