import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import {
  DocumentService,
  type IssuedDocumentSummary,
} from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { RESIDENCE_TEMPLATES } from '../../../src/modules/residence/residence.templates';
import { checkPdfSeal } from '../../../src/documents/verification/pdf-seal-verifier';
import { newVerificationCode } from '../../../src/documents/verification-code';
import { DocumentVerificationService } from '../../../src/documents/verification/document-verification.service';
import { startApp, type Harness } from './app-harness';
import { pdftotext } from './support';
import { signInStaff, type Session } from '../../support/session';
import { clientAs } from '../platform/db';

jest.setTimeout(60_000);

const person = RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample.person;

describe('public document verification and template preview (HTTP)', () => {
  let h: Harness;
  let doc: IssuedDocumentSummary;
  let pdf: Buffer;
  let http: ReturnType<typeof request>;

  beforeAll(async () => {
    h = await startApp({ VERIFY_UPLOAD_MAX_BYTES: String(256 * 1024) });
    http = request(h.app.getHttpServer());
    const documents = h.app.get(DocumentService);
    doc = await documents.issue({
      municipalityId: h.municipality.id,
      caseId: `C-${randomBytes(4).toString('hex')}`,
      stepKey: 'certificate',
      templateKey: 'residence-declaration/residence-certificate',
      language: 'lv',
      data: RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample,
    });
    pdf = await documents.pdf(h.municipality.id, doc.id);
  });
  afterAll(() => h.close());

  /** The one JSON error body (HttpErrorFilter's ErrorBody) for a file that is not a PDF. */
  const notAPdf = (requestId: unknown) => ({
    error: 'validation_failed',
    code: 'validation_failed',
    message: expect.any(String),
    retryable: false,
    fields: [{ field: 'file', message: 'Fails nav PDF dokuments.' }],
    requestId,
  });

  const noPersonalData = (body: string): void => {
    for (const secret of [person.givenName, person.familyName, person.personalCode, 'Ūdens iela'])
      expect(body).not.toContain(secret);
  };

  describe('GET /api/verify/:code', () => {
    it('says who issued the document and when, that the seal is valid, and nothing personal', async () => {
      const res = await http.get(`/api/verify/${doc.verificationCode}`).expect(200);
      expect(res.body).toEqual({
        found: true,
        seal: 'valid',
        unmodified: true,
        document: {
          title: 'Izziņa par deklarēto dzīvesvietu',
          titleKey: 'documents:titles.residence-declaration.residence-certificate',
          registrationNumber: doc.registrationNumber,
          language: 'lv',
          issuedAt: doc.issuedAt,
          issuer: 'Testa novada pašvaldība',
          sealedBy: doc.signerSubject,
          superseded: false,
        },
      });
      noPersonalData(res.text);
    });

    it('accepts the code typed in lower case with spaces', async () => {
      const typed = doc.verificationCode.toLowerCase().replace(/-/g, ' ');
      await http.get(`/api/verify/${encodeURIComponent(typed)}`).expect(200);
    });

    it('answers 404 for an unknown or malformed code', async () => {
      await http
        .get('/api/verify/AAAA-BBBB-CCCC-DDDD-EEEE')
        .expect(404, { found: false, seal: 'absent', unmodified: null });
      await http.get('/api/verify/%3Cscript%3E').expect(404);
    });
  });

  describe('POST /api/verify (upload)', () => {
    it('recognises the original PDF as issued, unmodified and validly sealed', async () => {
      const res = await http.post('/api/verify').attach('file', pdf, 'izzina.pdf').expect(200);
      expect(res.body).toMatchObject({
        found: true,
        seal: 'valid',
        unmodified: true,
        document: { issuer: 'Testa novada pašvaldība' },
      });
      noPersonalData(res.text);
    });

    it('reports a PDF with one changed byte as modified and its seal as invalid', async () => {
      const tampered = Buffer.from(pdf);
      tampered[500] ^= 0x01;
      expect(checkPdfSeal(tampered)).toMatchObject({
        status: 'invalid',
        problem: 'document digest does not match',
      });
      const res = await http.post('/api/verify').attach('file', tampered, 'izzina.pdf').expect(200);
      expect(res.body).toEqual({ found: false, seal: 'invalid', unmodified: false });
    });

    it('reports the seal invalid for a stored document whose bytes and recorded digests were altered after sealing', async () => {
      // Storage corruption or an insider: the bytes of an issued document are changed and both
      // recorded digests rewritten to match, so the look-up by SHA-256 finds it. Only the seal
      // verifier can still tell (issue 16: a broken verifier must fail this test).
      const documents = h.app.get(DocumentService);
      const victim = await documents.issue({
        municipalityId: h.municipality.id,
        caseId: `C-${randomBytes(4).toString('hex')}`,
        stepKey: 'certificate',
        templateKey: 'residence-declaration/residence-certificate',
        language: 'lv',
        data: RESIDENCE_TEMPLATES['residence-declaration/residence-certificate'].sample,
      });
      const altered = Buffer.from(await documents.pdf(h.municipality.id, victim.id));
      altered[500] ^= 0x01;
      const sha = createHash('sha256').update(altered).digest('hex');
      const su = await clientAs('superuser');
      try {
        await su.query(`SET session_replication_role = replica`); // past the immutability trigger
        await su.query(`UPDATE documents SET pdf = $1, sha256 = $2 WHERE id = $3`, [
          altered,
          sha,
          victim.id,
        ]);
        await su.query(`UPDATE document_verifications SET sha256 = $1 WHERE document_id = $2`, [
          sha,
          victim.id,
        ]);
      } finally {
        await su.end();
      }
      const upload = await http
        .post('/api/verify')
        .attach('file', altered, 'izzina.pdf')
        .expect(200);
      expect(upload.body).toMatchObject({ found: true, seal: 'invalid', unmodified: true });
      const byCode = await http.get(`/api/verify/${victim.verificationCode}`).expect(200);
      expect(byCode.body).toMatchObject({ found: true, seal: 'invalid' });
    });

    it('reports content appended after sealing as modified', async () => {
      const appended = Buffer.concat([pdf, Buffer.from('\n% appended revision\n')]);
      expect(checkPdfSeal(appended)).toMatchObject({ status: 'invalid', coversWholeFile: false });
      const res = await http.post('/api/verify').attach('file', appended, 'izzina.pdf').expect(200);
      expect(res.body).toMatchObject({ found: false, unmodified: false });
    });

    it('rejects a file that is not a PDF, with a reason', async () => {
      const res = await http
        .post('/api/verify')
        .attach('file', Buffer.from('<html>not a pdf</html>'), 'x.pdf')
        .expect(422);
      expect(res.body).toEqual(notAPdf(expect.any(String)));
    });

    it('rejects an oversized upload, with a reason in the user language', async () => {
      const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024, 0x20)]);
      const res = await http
        .post('/api/verify')
        .set('accept-language', 'en')
        .attach('file', big, 'big.pdf')
        .expect(422);
      expect(res.body.fields).toEqual([
        {
          field: 'file',
          message: 'The file is too large (at most 0.3 MB).',
        },
      ]);
    });

    it('rejects a request without a file', async () => {
      const res = await http.post('/api/verify').field('x', 'y').expect(422);
      expect(res.body.fields[0]).toMatchObject({
        field: 'file',
        message: 'Izvēlieties PDF failu.',
      });
    });
  });

  describe('verification pages', () => {
    it('GET /verify/:code renders the result with govuk components', async () => {
      const res = await http.get(`/verify/${doc.verificationCode}`).expect(200);
      expect(res.text).toContain('govuk-panel--confirmation');
      expect(res.text).toContain('Elektroniskais zīmogs ir derīgs.');
      expect(res.text).toContain('Testa novada pašvaldība');
      noPersonalData(res.text);
    });

    it("GET /verify/:code names the kind of document in the reader's language", async () => {
      const en = await http
        .get(`/verify/${doc.verificationCode}`)
        .set('accept-language', 'en')
        .expect(200);
      expect(en.text).toContain('Certificate of declared place of residence');
      expect(en.text).not.toContain('Izziņa par deklarēto dzīvesvietu');
      const el = await http
        .get(`/verify/${doc.verificationCode}`)
        .set('accept-language', 'el')
        .expect(200);
      expect(el.text).toContain('Βεβαίωση δηλωμένης κατοικίας');
    });

    it('GET /verify?code= redirects to the normalised code; an unknown code re-renders the form', async () => {
      await http
        .get(`/verify?code=${doc.verificationCode.toLowerCase()}`)
        .expect(303)
        .expect('location', `/verify/${doc.verificationCode}`);
      const res = await http.get('/verify?code=nonsense').expect(404);
      expect(res.text).toContain('govuk-error-summary');
    });

    it('POST /verify with a non-PDF re-renders the form with the reason', async () => {
      const res = await http
        .post('/verify')
        .attach('file', Buffer.from('GIF89a'), 'x.gif')
        .expect(422);
      expect(res.text).toContain('govuk-error-message');
      expect(res.text).toContain('Fails nav PDF dokuments.');
    });

    it("POST /verify re-renders the form with an oversized file's reason in the reader's language, anchored at the field", async () => {
      const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(300 * 1024, 0x20)]);
      const res = await http
        .post('/verify')
        .set('accept-language', 'en')
        .attach('file', big, 'big.pdf')
        .expect(422);
      expect(res.text).toContain('<a href="#file">The file is too large (at most 0.3 MB).</a>');
      expect(res.text).toContain('id="file-error"');
      expect(res.text).toContain('name="file"');
    });

    it('answers a JSON client of the page route with the one error body, not the form', async () => {
      const res = await http
        .post('/verify')
        .set('accept', 'application/json')
        .set('x-request-id', 'verify-json-1')
        .attach('file', Buffer.from('GIF89a'), 'x.gif')
        .expect(422)
        .expect('content-type', /json/);
      expect(res.body).toEqual(notAPdf('verify-json-1'));
    });

    it('POST /verify with the original shows it as genuine', async () => {
      const res = await http.post('/verify').attach('file', pdf, 'izzina.pdf').expect(200);
      expect(res.text).toContain('Dokuments nav mainīts kopš izsniegšanas.');
    });
  });

  describe("odd codes and a broken index: a page in the reader's language, never a server error", () => {
    const NOT_FOUND = {
      en: 'No document has this verification code.',
      el: 'Δεν βρέθηκε έγγραφο με αυτόν τον κωδικό επαλήθευσης.',
    };

    it.each([
      ['unknown', 'AAAA-BBBB-CCCC-DDDD-EEEE'],
      ['unknown, in lower case', 'aaaa-bbbb-cccc-dddd-eeee'],
      ['unknown, with spaces', encodeURIComponent(' AAAA BBBB  CCCC DDDD EEEE ')],
      ['only a space', '%20'],
      ['too short', 'AAAA-BBBB'],
      ['very long', 'A'.repeat(5000)],
      ['letters outside the alphabet', 'UUUU-UUUU-UUUU-UUUU-UUUU'],
      ['Latvian, Greek and emoji', encodeURIComponent('ĀĒĪŪ-ΑΒΓΔ-ЖЖЖЖ-日本語字-😀😀')],
      ['a letter that upper-cases to two', encodeURIComponent('ß'.repeat(10))],
      ['markup', encodeURIComponent('<script>alert(1)</script>')],
      ['an encoded slash', 'AAAA%2FBBBB'],
    ])('%s: 404 with the not-found text', async (_, code) => {
      for (const lang of ['en', 'el'] as const) {
        const page = await http.get(`/verify/${code}?lang=${lang}`).expect(404);
        expect(page.text).toContain(NOT_FOUND[lang]);
        expect(page.headers['content-language']).toBe(lang);
        await http
          .get(`/api/verify/${code}?lang=${lang}`)
          .expect(404, { found: false, seal: 'absent', unmodified: null });
      }
    });

    it('the code of an issued document typed in lower case with spaces finds it on the page', async () => {
      const typed = ` ${doc.verificationCode.toLowerCase().replace(/-/g, '  ')} `;
      const res = await http.get(`/verify/${encodeURIComponent(typed)}?lang=en`).expect(200);
      expect(res.text).toContain('govuk-panel--confirmation');
    });

    it("a malformed percent-encoding or a NUL byte is refused as a client error, in the reader's language", async () => {
      for (const code of ['%E0%A4%A', '%', 'AAAA%ZZ']) {
        const en = await http.get(`/verify/${code}?lang=en`).expect(400);
        expect(en.text).toContain('Some fields are not filled in correctly.');
        const el = await http.get(`/verify/${code}?lang=el`).expect(400);
        expect(el.text).toContain('Ορισμένα πεδία δεν έχουν συμπληρωθεί σωστά.');
        await http.get(`/api/verify/${code}`).expect(400);
      }
      const nul = await http.get('/verify/%00AAAABBBBCCCCDDDDEEEE?lang=el').expect(422);
      expect(nul.text).toContain('Η τιμή αυτού του πεδίου δεν είναι έγκυρη.');
    });

    it('a URL too long for the HTTP parser is a client error', async () => {
      const res = await http.get(`/verify/${'A'.repeat(20_000)}`);
      expect(res.status).toBe(431);
    });

    it('an index entry whose document cannot be read answers "not found" (404), not 500', async () => {
      // The public index and the documents are written in one transaction, so only damage (a
      // restore of one table without the other, a hand edit) separates them: the visitor is told
      // no document has the code, and the error is logged for operators.
      const code = newVerificationCode();
      const bytes = Buffer.from('%PDF-1.7\n% an orphan of the index\n');
      const sha = createHash('sha256').update(bytes).digest('hex');
      const su = await clientAs('superuser');
      try {
        await su.query(
          `INSERT INTO document_verifications (verification_code, sha256, municipality_id, document_id, issued_at)
           VALUES ($1, $2, $3, gen_random_uuid(), now())`,
          [code, sha, h.municipality.id],
        );
      } finally {
        await su.end();
      }
      const page = await http.get(`/verify/${code}?lang=en`).expect(404);
      expect(page.text).toContain(NOT_FOUND.en);
      await http
        .get(`/api/verify/${code}`)
        .expect(404, { found: false, seal: 'absent', unmodified: null });
      const upload = await http.post('/api/verify').attach('file', bytes, 'x.pdf').expect(200);
      expect(upload.body).toEqual({ found: false, seal: 'absent', unmodified: false });
    });
  });

  describe('pooled connections', () => {
    /**
     * The most pooled connections `fn` holds at once. Counted per call (AsyncLocalStorage), so the
     * app's own background work on the same pool does not count.
     */
    async function connectionsHeldAtOnce(fn: () => Promise<unknown>): Promise<number> {
      const driver = h.app.get(DataSource).driver as PostgresDriver;
      const calls = new AsyncLocalStorage<{ held: number; most: number }>();
      const obtain = driver.obtainMasterConnection.bind(driver);
      driver.obtainMasterConnection = async () => {
        const [connection, release] = (await obtain()) as [unknown, () => void];
        const call = calls.getStore();
        if (!call) return [connection, release];
        call.held++;
        call.most = Math.max(call.most, call.held);
        return [
          connection,
          (...args: unknown[]) => {
            call.held--;
            return (release as (...a: unknown[]) => void)(...args);
          },
        ];
      };
      try {
        const call = { held: 0, most: 0 };
        await calls.run(call, fn);
        return call.most;
      } finally {
        driver.obtainMasterConnection = obtain;
      }
    }

    it('a verification holds one pooled connection at a time (never waits for a second while holding one)', async () => {
      // Under load a second connection may not come: the pool is exhausted or the server refuses
      // new clients (too many connections), and the public page would answer 500.
      const verification = h.app.get(DocumentVerificationService);
      let result: unknown;
      expect(
        await connectionsHeldAtOnce(async () => {
          result = await verification.byCode(doc.verificationCode);
        }),
      ).toBe(1);
      expect(result).toMatchObject({ found: true, seal: 'valid', unmodified: true });
      expect(
        await connectionsHeldAtOnce(async () => {
          result = await verification.byUpload(pdf);
        }),
      ).toBe(1);
      expect(result).toMatchObject({ found: true, seal: 'valid', unmodified: true });
    });
  });

  describe('superseded documents', () => {
    it('says a document has been superseded once a correction is issued', async () => {
      const documents = h.app.get(DocumentService);
      const original = await documents.issue({
        municipalityId: h.municipality.id,
        caseId: `C-${randomBytes(4).toString('hex')}`,
        stepKey: 'notice',
        templateKey: 'generic/notice',
        data: TEMPLATES['generic/notice'].sample,
      });
      await documents.issue({
        municipalityId: h.municipality.id,
        caseId: original.caseId,
        stepKey: 'notice-correction',
        templateKey: 'generic/notice',
        data: TEMPLATES['generic/notice'].sample,
        supersedesId: original.id,
      });
      const res = await http.get(`/api/verify/${original.verificationCode}`).expect(200);
      expect(res.body.document.superseded).toBe(true);
    });
  });

  describe('GET /admin/templates/:key/preview', () => {
    const url = '/admin/templates/residence-declaration/residence-certificate/preview';

    let admin: Session;
    beforeAll(async () => {
      admin = await signInStaff(h.app, h.municipality.id, ['administrator']);
    });

    it('is refused without the administrator role', async () => {
      await http.get(url).set('accept', 'application/json').expect(401);
      const caseworker = await signInStaff(h.app, h.municipality.id, ['caseworker']);
      await http.get(url).set(caseworker.headers).expect(403);
    });

    it('renders sample data as HTML, marked as a preview', async () => {
      const res = await http.get(`${url}?lang=en`).set(admin.headers).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.text).toContain('PREVIEW: NOT A VALID DOCUMENT');
      expect(res.text).toContain('Certificate of declared place of residence');
    });

    it('renders sample data as an (unsealed) PDF in Greek', async () => {
      const res = await http
        .get(`${url}?lang=el&format=pdf`)
        .set(admin.headers)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      const body = res.body as Buffer;
      expect(body.subarray(0, 5).toString()).toBe('%PDF-');
      expect(checkPdfSeal(body).status).toBe('absent');
      const text = await pdftotext(body);
      expect(text).toContain('ΒΕΒΑΙΩΣΗ ΔΗΛΩΜΕΝΗΣ ΚΑΤΟΙΚΙΑΣ');
      expect(text).toContain('Testa novada pašvaldība');
    });

    it('rejects an unknown template, language or format with the field at fault', async () => {
      const unknown = await http
        .get('/admin/templates/generic/nope/preview')
        .set(admin.headers)
        .set('accept', 'application/json')
        .expect(422);
      expect(unknown.body.fields[0]).toMatchObject({ field: 'templateKey' });
      const lang = await http
        .get(`${url}?lang=de`)
        .set(admin.headers)
        .set('accept', 'application/json')
        .expect(422);
      expect(lang.body.fields[0]).toMatchObject({ field: 'language' });
      const format = await http
        .get(`${url}?format=docx`)
        .set(admin.headers)
        .set('accept', 'application/json')
        .expect(422);
      expect(format.body.fields[0]).toMatchObject({ field: 'format' });
    });
  });
});
