import { randomUUID } from 'node:crypto';
import { DocumentService } from '../../../src/documents/document.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { REGISTRATION_NUMBER } from '../../../src/documents/registration-number';
import { ResidenceCertificatesService } from '../../../src/modules/residence/residence-certificates.service';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { pdftotext } from './support';

jest.setTimeout(120_000);

/**
 * The residence certificates as a person gets them: through the residence services and process
 * runs (DBOS), printed by Chromium and read back with pdftotext.
 */
describe('residence certificates (official language, registration number, Latvian grammar)', () => {
  let h: ResidenceHarness;
  let documents: DocumentService;
  beforeAll(async () => {
    h = await startResidenceApp();
    documents = h.running.app.get(DocumentService);
  });
  afterAll(() => h?.close());

  const text = async (id: string): Promise<string> =>
    pdftotext(await documents.pdf(h.municipalityId, id));
  const male = (code: string) =>
    h.owner.query(`UPDATE sim_persons SET sex = 'M' WHERE personal_code = $1`, [code]);

  it('a certificate asked for by a caseworker whose screen is in English is in Latvian, in the dative, numbered', async () => {
    const tenant = await h.sim.person('1991-09-09', 'Zane', 'Ķirse');
    const old = await h.sim.apartment();
    const flat = await h.sim.apartment();
    await h.sim.residence(tenant, old.code, '2019-01-10');
    await h.owner.query(
      `UPDATE sim_residences SET valid_to = '2024-03-14', status = 'ended' WHERE personal_code = $1`,
      [tenant],
    );
    await h.sim.residence(tenant, flat.code, '2024-03-15');

    const r = await h.running.app.get(ResidenceCertificatesService).request({
      municipalityId: h.municipalityId,
      kind: 'history',
      requesterCode: tenant,
      lang: 'en',
      enteredBy: h.caseworker.accountId,
    });
    expect(r.document.language).toBe('lv');
    expect(r.document.registrationNumber).toMatch(REGISTRATION_NUMBER);
    expect(r.document.registrationNumber).toMatch(/-CERT\/\d{4}\/\d{6}$/);
    const pdf = await text(r.document.id);
    expect(pdf).toContain('IZZIŅA PAR DZĪVESVIETU VĒSTURI');
    expect(pdf).not.toContain('Certificate');
    expect(pdf).toContain('Izsniegta Zanei Ķirsei');
    expect(pdf).not.toMatch(/Izsniegta Zane\s/);
    // Columns of the table stay apart (a column gap at least, not "…LV-310115. marts").
    const row = pdf.split('\n').find((l) => l.includes(flat.text.split(',')[0]));
    expect(row).toMatch(/\S\s{2,}2024\. gada 15\. marts\s{2,}\S/);
    expect(pdf).toContain('pašreizējā');
  });

  it("the declaration certificate follows the municipality, not the applicant's language; a man gets the masculine dative", async () => {
    const me = await h.sim.person('1985-04-12', 'Jānis', 'Bērziņš');
    await male(me);
    const flat = await h.sim.apartment([{ code: me, name: 'Jānis Bērziņš' }]);
    const { caseId } = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      personCodes: [me],
      applicantCode: me,
      addressCode: flat.code,
      basis: 'ownership',
      enteredBy: 'citizen-account',
      lang: 'en',
    });
    expect((await h.finished(caseId)).status).toBe('completed');
    const [doc] = await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(IssuedDocument, { where: { caseId } }),
    );
    expect(doc).toMatchObject({ language: 'lv', title: 'Izziņa par deklarēto dzīvesvietu' });
    expect(doc.registrationNumber).toMatch(REGISTRATION_NUMBER);
    expect(doc.registrationNumber).not.toContain(me);
    const pdf = await text(doc.id);
    expect(pdf).toContain('Izsniegta Jānim Bērziņam');
    expect(pdf).toContain('IZZIŅA PAR DEKLARĒTO DZĪVESVIETU');
  });
});
