import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { P } from '../../../src/integrations/sim/demo-residents';
import { maskPersonalCode } from '../../../src/persons/personal-code';
import { ResidenceAttachment } from '../../../src/modules/residence/residence-declaration.entity';
import { ResidenceCertificatesService } from '../../../src/modules/residence/residence-certificates.service';
import { setRegisterTerritory } from '../../../src/persons/register-territory';
import { AuditService } from '../../../src/platform/audit/audit.service';
import { InfoRequestService } from '../../../src/workspace/info-requests/info-request.service';
import type { Browser } from '../auth/auth-support';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(180_000);

/**
 * Issue 12 M2 (every read of a person's data names the person, the purpose and the user, and
 * shows in that person's "Who used my data") and M3 (one masking rule for personal codes in views
 * and exports), through HTTP as staff and as the residents concerned.
 */

/** Demo eID identities (the dev IdP signs them in). */
const LIGA = '220790-14568';
// A demo eID identity no other suite moves in the run's shared register simulator (residence
// tests of other suites re-declare theirs, and the latest declared residence is the current one).
const LISTED = '050792-13458';
/** Ieva (a demo eID identity) and her daughter Sofija (a minor), both declared at Ieva's flat (demo seed). */
const IEVA = P.ieva.code;
const SOFIJA = P.sofija.code;
const RESIDENCE = [{ role: 'caseworker' as const, process: 'residence-declaration' }];

let h: ResidenceHarness;
let A: string;
let caseworker: Session;
let manager: Session;
let party: Browser;
const territory = `Audita novads ${randomBytes(3).toString('hex')}`;
const f = {
  resCase: '',
  resTask: '',
  resDoc: '',
  resUpload: '',
  infoAttachment: '',
  certCase: '',
  annCase: '',
};

interface Entry {
  action: string;
  person_id: string | null;
  purpose: string | null;
  actor_account_id: string | null;
}

const entriesOf = (requestId: string): Promise<Entry[]> =>
  h.tenantDb.run(A, (em) =>
    em.query(
      `SELECT action, person_id, purpose, actor_account_id FROM audit_log WHERE request_id = $1 ORDER BY seq`,
      [requestId],
    ),
  ) as Promise<Entry[]>;
const personIdOf = async (code: string): Promise<string | null> => {
  const [row] = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id FROM persons WHERE personal_code = $1`, [code]),
  )) as { id: string }[];
  return row?.id ?? null;
};
const consultationsOf = async (
  b: Browser,
): Promise<{ personId: string | null; consultations: { action: string; purpose: string }[] }> =>
  (await (await b.get('/api/me/consultations', { accept: 'application/json' })).json()) as {
    personId: string | null;
    consultations: { action: string; purpose: string }[];
  };

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
  A = h.municipalityId;
  // Edgars lives in this municipality's own register territory (the lists read it).
  await h.sim.person('1992-07-05', 'Edgars', 'Šmits', { code: LISTED, sex: 'M' });
  await h.sim.residence(
    LISTED,
    (await h.sim.apartment([], territory, 'Audita iela')).code,
    '2026-11-01',
  );
  const [{ code }] = (await h.owner.query(`SELECT code FROM municipalities WHERE id = $1`, [
    A,
  ])) as { code: string }[];
  await setRegisterTerritory(h.owner, code, territory, 'test');
  caseworker = await signInStaff(h.running.app, A, RESIDENCE);
  manager = await signInStaff(h.running.app, A, ['manager']);
  party = await signInCitizen(h.running.url, A, DEV_CITIZEN.code);
  const [{ id: partyAccount }] = (await h.owner.query(
    `SELECT id FROM accounts WHERE personal_code = $1`,
    [DEV_CITIZEN.code],
  )) as { id: string }[];

  // A counter declaration names the applicant by personal code: the municipality holds no person record of him yet.
  const flat = await h.sim.apartment([{ code: await h.sim.person('1955-05-05'), name: 'Owner' }]);
  const declared = await h.residence.submitDeclaration({
    municipalityId: A,
    submissionKey: randomUUID(),
    channel: 'counter',
    applicantCode: DEV_CITIZEN.code,
    personCodes: [DEV_CITIZEN.code],
    addressCode: flat.code,
    basis: 'lease',
    basisNote: 'Lease',
    lang: 'en',
    enteredBy: caseworker.accountId,
  });
  f.resCase = declared.caseId;
  f.resTask = (await h.openTask(f.resCase)).id;
  f.resDoc = (
    await h.running.app.get(DocumentService).issue({
      municipalityId: A,
      caseId: f.resCase,
      stepKey: 'm2-notice',
      templateKey: 'generic/notice',
      data: TEMPLATES['generic/notice'].sample,
    })
  ).id;
  const bytes = Buffer.from('%PDF-1.4\n% lease\n');
  f.resUpload = (
    await h.tenantDb.run(A, (em) =>
      em.save(
        em.create(ResidenceAttachment, {
          municipalityId: A,
          caseId: f.resCase,
          fileName: 'lease.pdf',
          mimeType: 'application/pdf',
          sizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          content: bytes,
          uploadedBy: partyAccount,
        }),
      ),
    )
  ).id;
  const infoRequests = h.running.app.get(InfoRequestService);
  const request = await infoRequests.ask(
    A,
    f.resCase,
    caseworker.accountId,
    'Please send the owner’s consent.',
    10,
  );
  await infoRequests.answer(A, request.id, partyAccount, 'Attached.', [
    { originalname: 'consent.pdf', mimetype: 'application/pdf', size: bytes.length, buffer: bytes },
  ]);
  [{ id: f.infoAttachment }] = (await h.tenantDb.run(A, (em) =>
    em.query(`SELECT id FROM information_attachments WHERE request_id = $1`, [request.id]),
  )) as { id: string }[];
  f.certCase = (
    await h.running.app.get(ResidenceCertificatesService).request({
      municipalityId: A,
      kind: 'declared',
      requesterCode: DEV_CITIZEN.code,
      lang: 'en',
      enteredBy: caseworker.accountId,
    })
  ).caseId;
  // Līga's residence is annulled ex officio: she is party to the case, with no person record here.
  f.annCase = (
    await h.residence.startAnnulment({
      municipalityId: A,
      personCode: LIGA,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Does not live there.',
      enteredBy: caseworker.accountId,
    })
  ).caseId;
});
afterAll(() => h?.close());

describe('every staff read of a person’s data names the person, the purpose and the user (issue 12 M2)', () => {
  const READS: [string, () => string, string][] = [
    ['the case file', () => `/workspace/cases/${f.resCase}`, 'case.read'],
    ['the task page', () => `/workspace/tasks/${f.resTask}`, 'case.read'],
    [
      'a document of the case',
      () => `/workspace/cases/${f.resCase}/documents/${f.resDoc}`,
      'document.read',
    ],
    ['an answer’s attachment', () => `/workspace/attachments/${f.infoAttachment}`, 'upload.read'],
    ['an evidence upload', () => `/workspace/residence/attachments/${f.resUpload}`, 'upload.read'],
    [
      'a certificate issued at the counter',
      () => `/workspace/residence/certificates/${f.certCase}/document`,
      'document.read',
    ],
  ];

  it.each(READS)('%s', async (_what, url, action) => {
    const requestId = `m2-${randomUUID()}`;
    await caseworker.agent.get(url()).set('x-request-id', requestId).expect(200);
    const personId = await personIdOf(DEV_CITIZEN.code);
    expect(personId).not.toBeNull();
    const entries = await entriesOf(requestId);
    expect(entries).toContainEqual({
      action,
      person_id: personId,
      purpose: expect.stringMatching(/\S/),
      actor_account_id: caseworker.accountId,
    });
    expect(
      entries.filter((e) => e.action.endsWith('.read')).every((e) => e.person_id !== null),
    ).toBe(true);
  });

  it('the resident sees each of those reads on “Who used my data”', async () => {
    const report = await consultationsOf(party);
    expect(report.personId).toBe(await personIdOf(DEV_CITIZEN.code));
    const actions = new Set(report.consultations.map((c) => c.action));
    for (const a of ['case.read', 'document.read', 'upload.read']) expect(actions).toContain(a);
    expect(report.consultations.find((c) => c.action === 'document.read')?.purpose).toMatch(/\S/);
    // The resident's page, in the language of their account (Latvian).
    const page = await (await party.get('/my-data/consultations')).text();
    expect(page).toContain('Lietas dokuments');
    expect(page).toContain('Jūsu lietai iesniegtā datne');
  });

  it('names a party the municipality held no record of (the person whose residence is annulled), who then sees it', async () => {
    expect(await personIdOf(LIGA)).toBeNull();
    const requestId = `m2-${randomUUID()}`;
    await caseworker.agent
      .get(`/workspace/cases/${f.annCase}`)
      .set('x-request-id', requestId)
      .expect(200);
    const liga = await personIdOf(LIGA);
    expect(liga).not.toBeNull();
    expect(await entriesOf(requestId)).toContainEqual({
      action: 'case.read',
      person_id: liga,
      purpose: 'case handling',
      actor_account_id: caseworker.accountId,
    });
    const report = await consultationsOf(await signInCitizen(h.running.url, A, LIGA));
    expect(report.personId).toBe(liga);
    expect(report.consultations).toContainEqual(
      expect.objectContaining({ action: 'case.read', purpose: 'case handling' }),
    );
  });

  it('a list page and an export name each person listed, who sees both', async () => {
    const page = `m2-${randomUUID()}`;
    const list = await caseworker.agent
      .get('/workspace/residence/lists/persons?street=Audita')
      .set('x-request-id', page)
      .expect(200);
    expect(list.text).toContain(LISTED);
    const listed = await personIdOf(LISTED);
    expect(listed).not.toBeNull();
    expect(await entriesOf(page)).toContainEqual({
      action: 'list.read',
      person_id: listed,
      purpose: 'list persons',
      actor_account_id: caseworker.accountId,
    });
    const exported = `m2-${randomUUID()}`;
    const csv = await caseworker.agent
      .get('/workspace/residence/lists/persons/export.csv?street=Audita')
      .set('x-request-id', exported)
      .expect(200);
    expect(csv.text).toContain(LISTED);
    expect(await entriesOf(exported)).toContainEqual({
      action: 'export.read',
      person_id: listed,
      purpose: 'export persons',
      actor_account_id: caseworker.accountId,
    });
    const report = await consultationsOf(await signInCitizen(h.running.url, A, LISTED));
    expect(report.consultations.map((c) => c.action)).toEqual(
      expect.arrayContaining(['list.read', 'export.read']),
    );
  });
});

describe('a certificate’s subjects are named on every staff read of it (issue 12 M2)', () => {
  /** What the resident's "Who used my data" lists for this person (the query behind the page and the API). */
  const reportOf = async (personId: string) =>
    h.running.app
      .get(AuditService)
      .consultations(A, personId, { accountId: null, display: 'test', role: 'citizen' });
  const issuedCase = (html: string): string => {
    const m = /\/residence\/certificates\/([0-9a-f-]{36})\/document/.exec(html);
    if (!m) throw new Error('no certificate link on the page');
    return m[1];
  };

  it('a parent’s certificate for her child: the download and the case file name the child, who sees both', async () => {
    const ieva = await signInCitizen(h.running.url, A, IEVA);
    const token = await ieva.csrfFrom('/residence/certificates');
    const issued = await ieva.postForm('/residence/certificates', {
      _csrf: token,
      kind: 'declared',
      subjectCode: SOFIJA,
    });
    expect(issued.status).toBe(201);
    const certCase = issuedCase(await issued.text());

    const download = `m2-${randomUUID()}`;
    await caseworker.agent
      .get(`/workspace/residence/certificates/${certCase}/document`)
      .set('x-request-id', download)
      .expect(200);
    const sofija = await personIdOf(SOFIJA);
    expect(sofija).not.toBeNull();
    const entries = await entriesOf(download);
    expect(entries).toContainEqual({
      action: 'document.read',
      person_id: sofija,
      purpose: 'certificate issued at the counter',
      actor_account_id: caseworker.accountId,
    });
    expect(entries).toContainEqual({
      action: 'document.read',
      person_id: await personIdOf(IEVA),
      purpose: 'certificate issued at the counter',
      actor_account_id: caseworker.accountId,
    });

    const file = `m2-${randomUUID()}`;
    await caseworker.agent
      .get(`/workspace/cases/${certCase}`)
      .set('x-request-id', file)
      .expect(200);
    expect(await entriesOf(file)).toContainEqual({
      action: 'case.read',
      person_id: sofija,
      purpose: 'case handling',
      actor_account_id: caseworker.accountId,
    });

    const report = await reportOf(sofija!);
    expect(report).toContainEqual(
      expect.objectContaining({
        action: 'document.read',
        purpose: 'certificate issued at the counter',
      }),
    );
    expect(report).toContainEqual(
      expect.objectContaining({ action: 'case.read', purpose: 'case handling' }),
    );
  });

  it('an at-property certificate issued at the counter: its download names the owner and every person it lists', async () => {
    const owner = await h.sim.person('1958-08-08', 'Ojārs', 'Liepa');
    const tenants = [
      await h.sim.person('1990-01-01', 'Zane', 'Kļava'),
      await h.sim.person('2015-02-02', 'Rūta', 'Kļava'),
    ];
    const flat = await h.sim.apartment([{ code: owner, name: 'Ojārs Liepa' }]);
    for (const t of tenants) await h.sim.residence(t, flat.code, '2024-05-01');
    const page = await caseworker.agent.get('/workspace/residence/certificates').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const issued = await caseworker.agent
      .post('/workspace/residence/certificates')
      .type('form')
      .send({ _csrf: token, kind: 'at-property', requesterCode: owner, addressCode: flat.code })
      .expect(201);
    const certCase = issuedCase(issued.text);

    const download = `m2-${randomUUID()}`;
    await caseworker.agent
      .get(`/workspace/residence/certificates/${certCase}/document`)
      .set('x-request-id', download)
      .expect(200);
    const entries = await entriesOf(download);
    for (const code of [owner, ...tenants]) {
      const id = await personIdOf(code);
      expect(id).not.toBeNull();
      expect(entries).toContainEqual({
        action: 'document.read',
        person_id: id,
        purpose: 'certificate issued at the counter',
        actor_account_id: caseworker.accountId,
      });
      expect(await reportOf(id!)).toContainEqual(
        expect.objectContaining({
          action: 'document.read',
          purpose: 'certificate issued at the counter',
        }),
      );
    }
    expect(entries.filter((e) => e.action === 'document.read')).toHaveLength(3);
  });
});

describe('one masking rule for personal codes in views and exports (issue 12 M3)', () => {
  const full = DEV_CITIZEN.code;
  const masked = maskPersonalCode(DEV_CITIZEN.code);

  it('a residence caseworker sees full codes on the residence case page, the annulment page and in the export', async () => {
    const page = (await caseworker.agent.get(`/workspace/cases/${f.resCase}`).expect(200)).text;
    expect(page).toContain(full);
    expect(page).toContain(`/workspace/residence/persons/${full}`);
    expect(
      (await caseworker.agent.get(`/workspace/cases/${f.annCase}`).expect(200)).text,
    ).toContain(LIGA);
    expect(
      (
        await caseworker.agent
          .get('/workspace/residence/lists/persons/export.csv?street=Audita')
          .expect(200)
      ).text,
    ).toContain(LISTED);
  });

  it('a manager sees them masked everywhere: case page (parties and facts, no link carrying the code), annulment page, list and export', async () => {
    const page = (await manager.agent.get(`/workspace/cases/${f.resCase}`).expect(200)).text;
    expect(page).not.toContain(full);
    expect(page).toContain(masked);
    const ann = (await manager.agent.get(`/workspace/cases/${f.annCase}`).expect(200)).text;
    expect(ann).not.toContain(LIGA);
    expect(ann).toContain(maskPersonalCode(LIGA));
    const list = (
      await manager.agent.get('/workspace/residence/lists/persons?street=Audita').expect(200)
    ).text;
    expect(list).not.toContain(LISTED);
    expect(list).toContain(maskPersonalCode(LISTED));
    const csv = (
      await manager.agent
        .get('/workspace/residence/lists/persons/export.csv?street=Audita')
        .expect(200)
    ).text;
    expect(csv).not.toContain(LISTED);
    expect(csv).toContain(maskPersonalCode(LISTED));
  });
});
