import { randomUUID } from 'node:crypto';
import { signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
let staff: Session;
beforeAll(async () => {
  h = await startResidenceApp();
  staff = await signInStaff(h.running.app, h.municipalityId, ['manager']);
});
afterAll(() => h?.close());

describe('residence statistics', () => {
  it('counts persons registered and annulled per month and territory, as a table, a chart and CSV', async () => {
    const owner = await h.sim.person('1970-04-04');
    const child = await h.sim.person('2018-04-04');
    await h.sim.parentOf(owner, child);
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const d = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: owner,
      personCodes: [owner, child],
      addressCode: flat.code,
      basis: 'ownership',
      enteredBy: 'c',
    });
    await h.finished(d.caseId);
    const tenant = await h.sim.person('1990-04-04');
    await h.sim.residence(tenant, flat.code, '2025-01-01');
    const a = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'owner',
      applicantCode: owner,
      groundCode: 'no-legal-basis',
      grounds: 'Not living here',
      enteredBy: 'x',
    });
    // The tenant answers (time does not move, so the month below stays this one).
    await h.residence.respondToAnnulment(
      h.municipalityId,
      a.caseId,
      tenant,
      'citizen',
      [
        {
          originalname: 'note.pdf',
          mimetype: 'application/pdf',
          size: 14,
          buffer: Buffer.from('%PDF-1.4 note'),
        },
      ],
      'I live here',
    );
    const task = await h.openTask(a.caseId);
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'annul',
      basisAtDeclaration: false,
      reason: 'No basis',
    });
    await h.finished(a.caseId);

    const page = await staff.agent.get('/workspace/residence/statistics').expect(200);
    const month = new Date().toISOString().slice(0, 7);
    expect(page.text).toContain(
      `<td class="govuk-table__cell">${month}</td><td class="govuk-table__cell">Tukums</td><td class="govuk-table__cell govuk-table__cell--numeric">2</td><td class="govuk-table__cell govuk-table__cell--numeric">1</td>`,
    );
    expect(page.text).toContain('data-chart=');
    expect(page.text).toContain('/assets/js/stats-chart.js');
    const csv = await staff.agent
      .get(`/workspace/residence/statistics/export.csv?period=year&from=2020-01-01&to=2030-12-31`)
      .expect(200);
    expect(csv.text).toContain(`${month.slice(0, 4)},Tukums,2,1`);
    const bad = await staff.agent
      .get('/workspace/residence/statistics?period=week&from=2025-13-01')
      .expect(422);
    expect(bad.text).toContain('href="#period"');
    expect(bad.text).toContain('href="#from"');
  });

  it('buckets by the local date of the municipality: 2026-03-31T22:30Z is April in Riga', async () => {
    const owner = await h.sim.person('1971-05-05');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const d = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: owner,
      personCodes: [owner],
      addressCode: flat.code,
      basis: 'ownership',
      enteredBy: 'c',
    });
    await h.finished(d.caseId);
    await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(
        `UPDATE residence_declarations SET registered_at = '2026-03-31T22:30:00Z' WHERE id = $1`,
        [d.declaration.id],
      ),
    );
    const april = await staff.agent
      .get('/workspace/residence/statistics/export.csv?period=month&from=2026-04-01&to=2026-04-30')
      .expect(200);
    expect(april.text).toContain('2026-04,Tukums,1,0');
    const march = await staff.agent
      .get('/workspace/residence/statistics/export.csv?period=month&from=2026-03-01&to=2026-03-31')
      .expect(200);
    expect(march.text).not.toContain('2026-03');
  });
});
