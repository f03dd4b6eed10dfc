import { Not } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../../src/deadlines/calendar/time-zone';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { DocumentService } from '../../../src/documents/document.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { ResidenceAnnulment } from '../../../src/modules/residence/residence-declaration.entity';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import type { AnnulmentResult } from '../../../workflows/residence-annulment/v1';
import { pdfsig, pdftotext } from '../../integration/documents/support';
import { startResidenceApp, type ResidenceHarness } from './harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
beforeAll(async () => {
  h = await startResidenceApp();
});
afterAll(() => h?.close());

const outbox = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(OutboxMessage, {
      where: { caseId, channel: Not('portal_status') },
      order: { createdAt: 'ASC' },
    }),
  );
const annulment = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) => em.findOneByOrFail(ResidenceAnnulment, { caseId }));

/** An owner's flat where a tenant (and her minor son) were declared on 2025-02-01. */
async function tenantAtOwnersFlat() {
  const owner = await h.sim.person('1958-06-06', 'Jānis', 'Egle');
  const tenant = await h.sim.person('1987-04-04', 'Marta', 'Vītola');
  const son = await h.sim.person('2017-05-05', 'Kārlis', 'Vītols');
  await h.sim.parentOf(tenant, son);
  const flat = await h.sim.apartment([{ code: owner, name: 'Jānis Egle' }]);
  await h.sim.residence(tenant, flat.code, '2025-02-01');
  await h.sim.residence(son, flat.code, '2025-02-01');
  return { owner, tenant, son, flat };
}

describe('annulment of a declared residence on DBOS', () => {
  it('without a response: the caseworker annuls from the declaration date, the minor declared with her too; she and the owner are notified', async () => {
    const { owner, tenant, son } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'owner',
      applicantCode: owner,
      groundCode: 'no-legal-basis',
      grounds: 'The lease ended in 2024',
      enteredBy: h.caseworker.accountId,
    });
    await h.passResponsePeriod(caseId);
    const task = await h.openTask(caseId);
    const invitation = (await outbox(caseId))[0];
    expect(invitation).toMatchObject({ recipient: tenant, purpose: 'notice' });
    expect(task.formKey).toBe('residence.annulment-review');
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'annul',
      basisAtDeclaration: false,
      reason: 'No lease at the time of declaration',
    });
    const run = await h.finished(caseId);
    expect(run.result).toEqual<AnnulmentResult>({
      outcome: 'annulled',
      annulledFrom: '2025-02-01',
      annulled: [tenant, son],
      decidedBy: h.caseworker.accountId,
      responded: false,
    });
    expect(await h.sim.declaredAt(tenant)).toEqual([
      expect.objectContaining({ status: 'annulled', annulled_from: '2025-02-01' }),
    ]);
    expect(await h.sim.declaredAt(son)).toEqual([
      expect.objectContaining({ status: 'annulled', annulled_from: '2025-02-01' }),
    ]);
    const decisions = (await outbox(caseId)).filter((m) => m.purpose === 'decision');
    expect(decisions.map((m) => m.recipient).sort()).toEqual([owner, tenant].sort());
    expect((await annulment(caseId)).status).toBe('annulled');

    // Both receive the same sealed decision document, with the reasons and the minor named.
    const [documentId] = decisions[0].attachments;
    expect(decisions.map((m) => m.attachments)).toEqual([[documentId], [documentId]]);
    const doc = await h.tenantDb.run(h.municipalityId, (em) =>
      em
        .createQueryBuilder(IssuedDocument, 'd')
        .addSelect('d.pdf')
        .where('d.id = :id', { id: documentId })
        .getOneOrFail(),
    );
    expect(doc).toMatchObject({ caseId, templateKey: 'generic/decision', language: 'lv' });
    const text = (await pdftotext(doc.pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Marta Vītola');
    expect(text).toContain('no 2025-02-01');
    expect(text).toContain('No lease at the time of declaration');
    expect(text).toContain(son);
    // The ground chosen from the list in force, with its legal reference and code, on the decision.
    expect(text).toContain(
      'Anulēšanas pamats: Personai nav tiesiska pamata dzīvot deklarētajā dzīvesvietā',
    );
    expect(text).toMatch(/kods no-\s?legal-\s?basis/);
    expect(await annulment(caseId)).toMatchObject({
      groundCode: 'no-legal-basis',
      grounds: 'The lease ended in 2024',
      ground: expect.objectContaining({ code: 'no-legal-basis' }),
    });
    expect(await pdfsig(h.nssDir, doc.pdf)).toContain('Signature is Valid');
    // Stored with it: a staff read of the decision names both (issue 12 M2).
    expect(
      await h.running.app
        .get(DocumentService)
        .personsNamed(h.municipalityId, { caseId, documentId }),
    ).toEqual([tenant, son].sort());
  });

  it('starts the run only once the annulment and its case have committed', async () => {
    const { owner, tenant } = await tenantAtOwnersFlat();
    const seen: (ResidenceAnnulment | null)[] = [];
    const start = h.engine.start.bind(h.engine);
    const spy = jest
      .spyOn(h.engine, 'start')
      .mockImplementation(async (key, caseId, input, opts) => {
        const annulmentId = (input as { annulmentId?: string }).annulmentId;
        if (key === 'residence-annulment' && annulmentId) {
          seen.push(
            await h.tenantDb.run(h.municipalityId, (em) =>
              em.findOne(ResidenceAnnulment, { where: { id: annulmentId } }),
            ),
          );
        }
        return start(key, caseId, input, opts);
      });
    let caseId: string;
    try {
      ({ caseId } = await h.residence.startAnnulment({
        municipalityId: h.municipalityId,
        personCode: tenant,
        initiatedBy: 'owner',
        applicantCode: owner,
        groundCode: 'no-legal-basis',
        grounds: 'The lease ended',
        enteredBy: h.caseworker.accountId,
      }));
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([expect.objectContaining({ caseId, status: 'open' })]);
    expect((await h.engine.describe(caseId))?.status).toBe('running');
    await h.cases.cancel('system', h.municipalityId, caseId, 'test over');
  });

  it('with a response: the person uploads proof in time, the caseworker keeps the declaration and nothing is annulled', async () => {
    const { tenant } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Returned mail',
      enteredBy: h.caseworker.accountId,
    });
    await h.residence.respondToAnnulment(
      h.municipalityId,
      caseId,
      tenant,
      'citizen',
      [
        {
          originalname: 'lease.pdf',
          mimetype: 'application/pdf',
          size: 16,
          buffer: Buffer.from('%PDF-1.4 lease'),
        },
      ],
      'My lease',
    );
    const task = await h.openTask(caseId);
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'keep',
      reason: 'Valid lease submitted',
    });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'kept', responded: true, annulled: [] });
    expect((await h.sim.declaredAt(tenant))[0].status).toBe('active');
    expect((await annulment(caseId)).status).toBe('kept');
    const decision = (await outbox(caseId)).find((m) => m.purpose === 'decision');
    expect(decision?.attachments).toHaveLength(1);
    expect(
      await h.running.app.get(DocumentService).personsNamed(h.municipalityId, { caseId }),
    ).toEqual([tenant]);
  });

  it('basis lost later: annulled from the decision date', async () => {
    const { tenant } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Lease ended',
      enteredBy: h.caseworker.accountId,
    });
    await h.passResponsePeriod(caseId);
    const task = await h.openTask(caseId);
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'annul',
      basisAtDeclaration: true,
      reason: 'The lease ended last month',
    });
    const run = await h.finished(caseId);
    // The run's own result keeps v1's UTC date; the register and the case file get the Riga date.
    const rigaToday = localDate(h.clock.now(), 'Europe/Riga');
    expect(run.result).toMatchObject({ outcome: 'annulled' });
    expect(await h.sim.declaredAt(tenant)).toEqual([
      expect.objectContaining({ status: 'annulled', annulled_from: rigaToday }),
    ]);
    expect((await annulment(caseId)).annulledFrom).toBe(rigaToday);
  });

  it('a declaration elsewhere ends the annulment: nothing is annulled', async () => {
    const { tenant, son } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Returned mail',
      enteredBy: h.caseworker.accountId,
    });
    const ownFlat = await h.sim.apartment([{ code: tenant, name: 'Marta Vītola' }]);
    const declared = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: tenant,
      personCodes: [tenant, son],
      addressCode: ownFlat.code,
      basis: 'ownership',
      enteredBy: 'citizen',
    });
    expect((await h.finished(declared.caseId)).result).toMatchObject({ outcome: 'registered' });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'ended-redeclared', annulled: [] });
    expect((await annulment(caseId)).status).toBe('ended-redeclared');
    const history = await h.sim.declaredAt(tenant);
    expect(history.find((r) => r.address_code === ownFlat.code)?.status).toBe('active');
    expect(history.some((r) => r.status === 'annulled')).toBe(false);
    // Nothing was decided: a notice without a decision document.
    const notices = (await outbox(caseId)).filter((m) => m.purpose === 'decision');
    expect(notices.length).toBeGreaterThan(0);
    expect(notices.flatMap((m) => m.attachments)).toEqual([]);
  });

  it('a declaration elsewhere during the review withdraws the review task and ends the annulment (v2): nothing is annulled', async () => {
    const { tenant, son } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Returned mail',
      enteredBy: h.caseworker.accountId,
    });
    expect((await h.cases.get(h.municipalityId, caseId)).processVersion).toBe(4);
    await h.passResponsePeriod(caseId);
    const task = await h.openTask(caseId);
    const ownFlat = await h.sim.apartment([{ code: tenant, name: 'Marta Vītola' }]);
    const declared = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: tenant,
      personCodes: [tenant, son],
      addressCode: ownFlat.code,
      basis: 'ownership',
      enteredBy: 'citizen',
    });
    expect((await h.finished(declared.caseId)).result).toMatchObject({ outcome: 'registered' });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({
      outcome: 'ended-redeclared',
      annulled: [],
      decidedBy: 'system',
    });
    expect((await annulment(caseId)).status).toBe('ended-redeclared');
    expect(await h.tasks.get(h.caseworker, task.id)).toMatchObject({
      status: 'cancelled',
      decision: { outcome: 'withdrawn', declarationCaseId: declared.caseId },
    });
    // The caseworker can no longer decide it.
    await expect(
      h.tasks.complete(h.caseworker, task.id, {
        outcome: 'annul',
        basisAtDeclaration: false,
        reason: 'Too late',
      }),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await h.sim.declaredAt(tenant)).some((r) => r.status === 'annulled')).toBe(false);
  });

  it('a re-declaration at the same address does not end the annulment', async () => {
    const { tenant, flat } = await tenantAtOwnersFlat();
    const { caseId } = await h.residence.startAnnulment({
      municipalityId: h.municipalityId,
      personCode: tenant,
      initiatedBy: 'ex-officio',
      groundCode: 'no-legal-basis',
      grounds: 'Returned mail',
      enteredBy: h.caseworker.accountId,
    });
    const declared = await h.residence.submitDeclaration({
      municipalityId: h.municipalityId,
      submissionKey: randomUUID(),
      channel: 'online',
      applicantCode: tenant,
      personCodes: [tenant],
      addressCode: flat.code,
      basis: 'lease',
      enteredBy: 'citizen',
    });
    await h.tasks.complete(h.caseworker, (await h.openTask(declared.caseId)).id, {
      outcome: 'approve',
    });
    expect((await h.finished(declared.caseId)).result).toMatchObject({ outcome: 'registered' });
    expect((await annulment(caseId)).status).toBe('open');
    // Had a "redeclared" update been sent, the run would take it before this response.
    await h.residence.respondToAnnulment(
      h.municipalityId,
      caseId,
      tenant,
      'citizen',
      [
        {
          originalname: 'lease.pdf',
          mimetype: 'application/pdf',
          size: 16,
          buffer: Buffer.from('%PDF-1.4 lease'),
        },
      ],
      'My lease',
    );
    await h.tasks.complete(h.caseworker, (await h.openTask(caseId)).id, {
      outcome: 'keep',
      reason: 'Valid lease submitted',
    });
    expect((await h.finished(caseId)).result).toMatchObject({ outcome: 'kept', responded: true });
  });

  it('refuses an owner application from someone who does not own the dwelling, and a person with no declared residence', async () => {
    const { tenant } = await tenantAtOwnersFlat();
    const stranger = await h.sim.person('1966-06-06');
    const before = await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceAnnulment));
    const e1 = await h.residence
      .startAnnulment({
        municipalityId: h.municipalityId,
        personCode: tenant,
        initiatedBy: 'owner',
        applicantCode: stranger,
        groundCode: 'no-legal-basis',
        grounds: 'x y z',
        enteredBy: 'a',
      })
      .catch((e: unknown) => e);
    expect((e1 as DomainError).fields).toEqual([
      { field: 'applicantCode', message: 'residence:errors.notOwner' },
    ]);
    const e2 = await h.residence
      .startAnnulment({
        municipalityId: h.municipalityId,
        personCode: stranger,
        initiatedBy: 'ex-officio',
        groundCode: 'no-legal-basis',
        grounds: 'x y z',
        enteredBy: 'a',
      })
      .catch((e: unknown) => e);
    expect((e2 as DomainError).code).toBe(ErrorCode.ValidationFailed);
    expect((e2 as DomainError).fields[0].field).toBe('personCode');
    expect(e1).toBeInstanceOf(DomainError);
    expect(await h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceAnnulment))).toBe(
      before,
    );
  });
});
