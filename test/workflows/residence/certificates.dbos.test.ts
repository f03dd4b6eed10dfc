import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentService } from '../../../src/documents/document.service';
import { ResidenceCertificatesService } from '../../../src/modules/residence/residence-certificates.service';
import { DomainError } from '../../../src/platform/errors/domain-error';
import { pdfsig } from '../../integration/documents/support';
import { startResidenceApp, type ResidenceHarness } from './harness';
import { eventually } from '../../support/workspace-fixtures';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let certs: ResidenceCertificatesService;
beforeAll(async () => {
  h = await startResidenceApp();
  certs = h.running.app.get(ResidenceCertificatesService);
});
afterAll(() => h?.close());

const text = (pdf: Buffer): string => {
  const dir = mkdtempSync(join(tmpdir(), 'res-cert-'));
  try {
    writeFileSync(join(dir, 'c.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', join(dir, 'c.pdf'), '-']).toString('utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
const issue = async (kind: string, requesterCode: string, extra: Record<string, string> = {}) => {
  const r = await certs.request({
    municipalityId: h.municipalityId,
    kind,
    requesterCode,
    lang: 'lv',
    enteredBy: 'citizen',
    ...extra,
  });
  return {
    ...r,
    pdf: await h.running.app.get(DocumentService).pdf(h.municipalityId, r.document.id),
  };
};

describe('residence certificates on request', () => {
  it('issues declared residence, history, last declared and who-is-declared-at-my-property certificates at once, sealed', async () => {
    const owner = await h.sim.person('1961-02-02', 'Ojārs', 'Sproģis');
    const tenant = await h.sim.person('1991-09-09', 'Zane', 'Ķirse');
    const flat = await h.sim.apartment([{ code: owner, name: 'Ojārs Sproģis' }]);
    const old = await h.sim.apartment();
    await h.sim.residence(tenant, old.code, '2019-01-10');
    await h.owner.query(
      `UPDATE sim_residences SET valid_to = '2024-03-14', status = 'ended' WHERE personal_code = $1`,
      [tenant],
    );
    await h.sim.residence(tenant, flat.code, '2024-03-15');

    const declared = await issue('declared', tenant);
    expect(declared.document.templateKey).toBe('residence-declaration/residence-certificate');
    expect(text(declared.pdf)).toContain('Ķirse');
    expect(await pdfsig(h.nssDir, declared.pdf)).toContain('Signature is Valid');

    const history = text((await issue('history', tenant)).pdf);
    expect(history).toContain(flat.text.split(',')[0]);
    expect(history).toContain(old.text.split(',')[0]);
    const last = text((await issue('last', tenant)).pdf);
    expect(last).toContain(flat.text.split(',')[0]);
    expect(last).not.toContain(old.text.split(',')[0]);

    const atProperty = await issue('at-property', owner, { addressCode: flat.code });
    expect(text(atProperty.pdf)).toContain('Zane Ķirse');
    // The document is issued before the run records the case's outcome and closes it.
    const closed = await eventually(async () => {
      const c = await h.cases.get(h.municipalityId, atProperty.caseId);
      return c.status === 'closed' ? c : null;
    });
    expect(closed!.outcome).toBe('issued');
  });

  it('the last declared residence certificate skips an annulled newer entry', async () => {
    const person = await h.sim.person('1985-05-05', 'Laila', 'Āboliņa');
    const kept = await h.sim.apartment();
    const annulled = await h.sim.apartment();
    await h.sim.residence(person, kept.code, '2018-04-01');
    await h.owner.query(
      `UPDATE sim_residences SET valid_to = '2025-01-31', status = 'ended' WHERE personal_code = $1`,
      [person],
    );
    await h.sim.residence(person, annulled.code, '2025-02-01');
    await h.owner.query(
      `UPDATE sim_residences SET status = 'annulled', annulled_from = '2025-02-01', valid_to = '2025-02-01' WHERE personal_code = $1 AND address_code = $2`,
      [person, annulled.code],
    );

    const last = text((await issue('last', person)).pdf);
    expect(last).toContain(kept.text.split(',')[0]);
    expect(last).not.toContain(annulled.text.split(',')[0]);
  });

  it('refuses a last declared residence certificate when every entry was annulled', async () => {
    const person = await h.sim.person('1986-06-06');
    const flat = await h.sim.apartment();
    await h.sim.residence(person, flat.code, '2025-02-01');
    await h.owner.query(
      `UPDATE sim_residences SET status = 'annulled', annulled_from = '2025-02-01' WHERE personal_code = $1`,
      [person],
    );
    const e = (await issue('last', person).catch((x: unknown) => x)) as DomainError;
    expect(e.fields.map((f) => `${f.field}=${f.message}`)).toEqual([
      'subjectCode=residence:errors.noDeclaredResidence',
    ]);
  });

  it('refuses field by field: not the owner, nothing declared, unknown kind', async () => {
    const someone = await h.sim.person('1977-07-07');
    const flat = await h.sim.apartment([{ code: await h.sim.person('1950-01-01'), name: 'X' }]);
    const fields = async (p: Promise<unknown>) =>
      ((await p.catch((e: unknown) => e)) as DomainError).fields.map(
        (f) => `${f.field}=${f.message}`,
      );
    expect(await fields(issue('at-property', someone, { addressCode: flat.code }))).toEqual([
      'addressCode=residence:errors.notOwner',
    ]);
    expect(await fields(issue('declared', someone))).toEqual([
      'subjectCode=residence:errors.noDeclaredResidence',
    ]);
    expect(await fields(issue('passport', someone))).toEqual([
      'kind=residence:errors.certificateKind',
    ]);
  });
});
