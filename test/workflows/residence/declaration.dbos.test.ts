import { Not } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { localDate } from '../../../src/deadlines/calendar/time-zone';
import { Case } from '../../../src/cases/case.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { Deadline } from '../../../src/deadlines/deadline.entity';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { DocumentService } from '../../../src/documents/document.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { EADDRESS_PORT } from '../../../src/integrations/e-adrese/e-address.port';
import type { EAddressSimulator } from '../../../src/integrations/e-adrese/simulator/e-address.simulator';
import { Simulators } from '../../../src/integrations/sim/simulators';
import {
  ResidenceAttachment,
  ResidenceDeclaration,
} from '../../../src/modules/residence/residence-declaration.entity';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import type { DeclarationResult } from '../../../workflows/residence-declaration/v1';
import { eventually } from '../../support/engine-harness';
import { ONE_CONNECTION, startResidenceApp, type ResidenceHarness } from './harness';

jest.setTimeout(90_000);

let h: ResidenceHarness;
beforeAll(async () => {
  // On one pooled connection: no step may read on a second connection inside its transaction.
  h = await startResidenceApp(ONE_CONNECTION);
});
afterAll(() => h?.close());

// The register's date is the municipality's (Riga), not UTC's: they differ from 22:00 to 24:00 UTC.
const today = (): string => localDate(new Date(), 'Europe/Riga');
const declare = (
  over: Partial<Parameters<ResidenceHarness['residence']['submitDeclaration']>[0]> & {
    applicantCode: string;
    addressCode: string;
  },
) =>
  h.residence.submitDeclaration({
    municipalityId: h.municipalityId,
    submissionKey: randomUUID(),
    channel: 'online',
    personCodes: [over.applicantCode],
    basis: 'ownership',
    enteredBy: 'citizen-account',
    ...over,
  });
const outbox = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(OutboxMessage, {
      where: { caseId, channel: Not('portal_status') },
      order: { createdAt: 'ASC' },
    }),
  );
const declaration = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) => em.findOneByOrFail(ResidenceDeclaration, { caseId }));
const kinds = async (caseId: string) =>
  (
    await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }),
    )
  ).map((t) => t.kind);
const pdf = (name: string) => ({
  originalname: name,
  mimetype: 'application/pdf',
  size: 20,
  buffer: Buffer.from('%PDF-1.4\n%test lease\n'),
});

describe('residence declaration on DBOS', () => {
  it('registers with no human when the declarant owns a share, issues a sealed certificate and sends it to the e-address', async () => {
    const me = await h.sim.person('1985-04-12', 'Līga', 'Ozola');
    const flat = await h.sim.apartment([{ code: me, name: 'Līga Ozola' }]);
    const { caseId, declaration: d } = await declare({ applicantCode: me, addressCode: flat.code });
    expect(d.feeCents).toBe(0);

    const run = await h.finished(caseId);
    expect(run.status).toBe('completed');
    expect(run.result).toMatchObject<Partial<DeclarationResult>>({
      outcome: 'registered',
      automatic: true,
      decidedBy: 'system',
      deliveredBy: 'e_address',
    });
    expect(await h.sim.declaredAt(me)).toEqual([
      expect.objectContaining({ address_code: flat.code, status: 'active', valid_from: today() }),
    ]);
    expect((await declaration(caseId)).status).toBe('registered');
    const docs = await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(IssuedDocument, { where: { caseId } }),
    );
    expect(docs).toHaveLength(1);
    expect(docs[0].templateKey).toBe('residence-declaration/residence-certificate');
    const msgs = await outbox(caseId);
    expect(msgs.map((m) => [m.channel, m.purpose])).toEqual([['e_address', 'decision']]);
    expect(msgs[0].attachments).toEqual([docs[0].id]);
    // What the poller does in the shipped app: the sealed certificate reaches the e-address unchanged.
    const sent = await h.running.app.get(DeliverySender).send(h.municipalityId, msgs[0].id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    const eadrese = h.running.app.get<EAddressSimulator>(EADDRESS_PORT);
    const [envelope] = eadrese
      .delivered()
      .filter((e) => e.senderReference === msgs[0].idempotencyKey);
    expect(envelope.recipients).toEqual([me]);
    const stored = await h.running.app.get(DocumentService).pdf(h.municipalityId, docs[0].id);
    expect(envelope.files).toHaveLength(1);
    expect(Buffer.compare(envelope.files[0].content, stored)).toBe(0);
    const c = await h.tenantDb.run(h.municipalityId, (em) =>
      em.findOneByOrFail(Case, { id: caseId }),
    );
    expect(c).toMatchObject({ status: 'closed', outcome: 'registered' });
    const [deadline] = await h.tenantDb.run(h.municipalityId, (em) =>
      em.find(Deadline, { where: { caseId } }),
    );
    expect(deadline.status).toBe('met');
    expect(await kinds(caseId)).not.toContain('task.opened');
  });

  it('starts the run only once the declaration and its case have committed: its first activity finds the row at once', async () => {
    const me = await h.sim.person('1986-05-13', 'Ilze', 'Kalna');
    const flat = await h.sim.apartment([{ code: me, name: 'Ilze Kalna' }]);
    // What another connection (the run's first activity) sees when the engine is asked to start.
    const seen: (ResidenceDeclaration | null)[] = [];
    const start = h.engine.start.bind(h.engine);
    const spy = jest
      .spyOn(h.engine, 'start')
      .mockImplementation(async (key, caseId, input, opts) => {
        const declarationId = (input as { declarationId?: string }).declarationId;
        if (key === 'residence-declaration' && declarationId) {
          seen.push(
            await h.tenantDb.run(h.municipalityId, (em) =>
              em.findOne(ResidenceDeclaration, { where: { id: declarationId } }),
            ),
          );
        }
        return start(key, caseId, input, opts);
      });
    let caseId: string;
    try {
      ({ caseId } = await declare({ applicantCode: me, addressCode: flat.code }));
    } finally {
      spy.mockRestore();
    }
    expect(seen).toEqual([expect.objectContaining({ caseId, status: 'submitted' })]);
    expect((await h.finished(caseId)).status).toBe('completed');
    expect((await declaration(caseId)).status).toBe('registered');
  });

  it('sends a lease declaration to a caseworker; on approval registers the applicant and her minor child, notifies the owner, charges the counter fee', async () => {
    const owner = await h.sim.person('1960-01-20', 'Pēteris', 'Kalns');
    const mother = await h.sim.person('1988-03-03', 'Ilze', 'Liepa');
    const child = await h.sim.person('2016-09-09', 'Roberts', 'Liepa');
    await h.sim.parentOf(mother, child);
    const flat = await h.sim.apartment([{ code: owner, name: 'Pēteris Kalns' }]);
    const { caseId, declaration: d } = await declare({
      applicantCode: mother,
      personCodes: [mother, child],
      addressCode: flat.code,
      basis: 'lease',
      channel: 'counter',
      enteredBy: h.caseworker.accountId,
    });
    expect(d.feeCents).toBe(427);

    const task = await h.openTask(caseId);
    expect(task).toMatchObject({
      formKey: 'residence.review',
      role: 'caseworker',
      step: 'review:1',
    });
    expect((await h.cases.get(h.municipalityId, caseId)).stage).toBe('review');
    await h.tasks.complete(h.caseworker, task.id, { outcome: 'approve' });

    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({
      outcome: 'registered',
      automatic: false,
      decidedBy: h.caseworker.accountId,
    });
    expect((await h.sim.declaredAt(mother))[0]).toMatchObject({
      address_code: flat.code,
      status: 'active',
    });
    expect((await h.sim.declaredAt(child))[0]).toMatchObject({
      address_code: flat.code,
      status: 'active',
    });
    const msgs = await outbox(caseId);
    expect(msgs.filter((m) => m.recipient === owner && m.purpose === 'notice')).toHaveLength(1);
    expect(msgs.filter((m) => m.purpose === 'decision')[0].attachments).toHaveLength(2);
  });

  it('rejects with reasons: nothing is registered and the applicant is told why', async () => {
    const owner = await h.sim.person('1955-05-05');
    const me = await h.sim.person('1990-07-07');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const { caseId } = await declare({
      applicantCode: me,
      addressCode: flat.code,
      basis: 'owner-consent',
    });
    const task = await h.openTask(caseId);
    const bad = await h.tasks
      .complete(h.caseworker, task.id, { outcome: 'reject' })
      .catch((e: unknown) => e);
    expect([...new Set((bad as DomainError).fields.map((f) => f.field))]).toEqual([
      'decision.reason',
    ]);
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'reject',
      reason: 'The owner denies consent',
    });

    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'rejected' });
    expect(await h.sim.declaredAt(me)).toEqual([]);
    expect((await declaration(caseId)).status).toBe('rejected');
    const msgs = await outbox(caseId);
    expect(msgs).toHaveLength(1);
    expect(msgs[0].body).toContain('The owner denies consent');
  });

  it('asks for documents (the legal clock pauses), the applicant uploads them, the clock resumes and the caseworker approves', async () => {
    const owner = await h.sim.person('1950-02-02');
    const me = await h.sim.person('1992-08-08');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const { caseId } = await declare({ applicantCode: me, addressCode: flat.code, basis: 'lease' });
    const first = await h.openTask(caseId, 'review:1');
    await h.tasks.complete(h.caseworker, first.id, {
      outcome: 'request-documents',
      documentsRequested: 'The lease contract',
    });

    await eventually(
      async () => (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-documents',
      20_000,
      'awaiting documents',
    );
    const paused = await eventually(
      () =>
        h.tenantDb.run(h.municipalityId, (em) =>
          em.findOne(Deadline, { where: { caseId, status: 'paused' } }),
        ),
      10_000,
      'paused deadline',
    );
    expect(paused.status).toBe('paused');
    expect((await outbox(caseId)).some((m) => m.body.includes('The lease contract'))).toBe(true);

    // Bad uploads change nothing.
    const wrong = await h.residence
      .supplyDocuments(h.municipalityId, caseId, me, 'citizen', [
        {
          originalname: 'x.exe',
          mimetype: 'application/pdf',
          size: 10,
          buffer: Buffer.from('MZ-not-a-pdf'),
        },
      ])
      .catch((e: unknown) => e);
    expect((wrong as DomainError).fields).toEqual([
      { field: 'files[0]', message: 'residence:errors.fileType' },
    ]);
    // D18: a PNG named .pdf is judged by its content: not "must be a PDF, JPEG or PNG" but a mismatch.
    const png = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.alloc(16),
    ]);
    const renamed = await h.residence
      .supplyDocuments(h.municipalityId, caseId, me, 'citizen', [
        { originalname: 'scan.pdf', mimetype: 'application/pdf', size: png.length, buffer: png },
      ])
      .catch((e: unknown) => e);
    expect((renamed as DomainError).fields).toEqual([
      { field: 'files[0]', message: 'residence:errors.fileMismatch' },
    ]);
    const big = await h.residence
      .supplyDocuments(h.municipalityId, caseId, me, 'citizen', [
        { ...pdf('big.pdf'), size: 6 * 1024 * 1024 },
      ])
      .catch((e: unknown) => e);
    expect((big as DomainError).fields[0]).toMatchObject({
      field: 'files[0]',
      message: 'residence:errors.fileTooLarge',
    });
    const stranger = await h.residence
      .supplyDocuments(h.municipalityId, caseId, owner, 'someone', [pdf('lease.pdf')])
      .catch((e: unknown) => e);
    expect((stranger as DomainError).code).toBe(ErrorCode.NotFound);
    expect(
      await h.tenantDb.run(h.municipalityId, (em) =>
        em.count(ResidenceAttachment, { where: { caseId } }),
      ),
    ).toBe(0);

    await h.residence.supplyDocuments(h.municipalityId, caseId, me, 'citizen', [pdf('lease.pdf')]);
    const second = await h.openTask(caseId, 'review:2');
    const running = await h.tenantDb.run(h.municipalityId, (em) =>
      em.findOneByOrFail(Deadline, { caseId }),
    );
    expect(running.status).toBe('running');
    await h.tasks.complete(h.caseworker, second.id, { outcome: 'approve' });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'registered' });
    expect(await kinds(caseId)).toEqual(
      expect.arrayContaining(['residence.documents-requested', 'residence.documents-supplied']),
    );
  });

  it('retries when the population register is down for a while, and completes exactly once', async () => {
    const me = await h.sim.person('1980-10-10');
    const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
    const population = h.running.app.get(Simulators).faults('population');
    population.reset();
    const { caseId } = await (async () => {
      const r = await declare({ applicantCode: me, addressCode: flat.code });
      population.set({ failNext: 3 });
      return r;
    })();
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'registered', automatic: true });
    expect(population.status().failed).toBeGreaterThanOrEqual(1);
    expect((await h.sim.declaredAt(me)).filter((r) => r.status === 'active')).toHaveLength(1);
    population.reset();
  });

  it('delivers the certificate by e-mail when the applicant has no activated e-address', async () => {
    const me = await h.sim.person('1979-11-11');
    const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
    (h.running.app.get(EADDRESS_PORT) as EAddressSimulator).deactivate(me);
    const { caseId } = await declare({
      applicantCode: me,
      addressCode: flat.code,
      contactEmail: 'me@example.lv',
    });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'registered', deliveredBy: 'email' });
    const [m] = await outbox(caseId);
    expect(m).toMatchObject({ channel: 'email', recipient: 'me@example.lv' });
  });

  it('posts the certificate with a letter to the new address when there is neither an e-address nor an e-mail', async () => {
    const me = await h.sim.person('1978-12-12');
    const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
    (h.running.app.get(EADDRESS_PORT) as EAddressSimulator).deactivate(me);
    const { caseId } = await declare({ applicantCode: me, addressCode: flat.code });
    const run = await h.finished(caseId);
    expect(run.result).toMatchObject({ outcome: 'registered', deliveredBy: 'post' });
    const [m] = await outbox(caseId);
    expect(m).toMatchObject({
      channel: 'post',
      status: 'awaiting_post',
      recipient: `Anna Bērziņa\n${flat.text}`,
    });
    expect(m.attachments).toHaveLength(1);
    expect(await kinds(caseId)).toEqual(
      expect.arrayContaining(['residence.certificate-delivery', 'delivery.letter_queued']),
    );
  });

  describe('bad input is refused field by field and changes nothing', () => {
    const count = () => h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceDeclaration));
    const fields = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DomainError);
      expect((e as DomainError).code).toBe(ErrorCode.ValidationFailed);
      return (e as DomainError).fields.map((f) => `${f.field}=${f.message}`);
    };

    it('invalid personal codes, unknown address, bad basis', async () => {
      const before = await count();
      expect(
        await fields(
          declare({
            applicantCode: '010185-1234X',
            personCodes: ['320000-00000'],
            addressCode: '12',
            basis: 'squatting',
          }),
        ),
      ).toEqual([
        'basis=residence:errors.basis',
        'applicantCode=persons:personalCode.format',
        'persons[0]=persons:personalCode.checkDigit',
        'addressCode=residence:errors.addressFormat',
      ]);
      const me = await h.sim.person('1984-01-01');
      expect(await fields(declare({ applicantCode: me, addressCode: '999999998' }))).toEqual([
        'addressCode=residence:errors.addressUnknown',
      ]);
      expect(await count()).toBe(before);
    });

    it('a person the applicant may not represent (an adult, or a stranger)', async () => {
      const me = await h.sim.person('1970-01-01');
      const adultChild = await h.sim.person('1995-01-01');
      const stranger = await h.sim.person('2014-01-01');
      await h.sim.parentOf(me, adultChild);
      const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
      const before = await count();
      expect(
        await fields(
          declare({
            applicantCode: me,
            personCodes: [me, adultChild, stranger],
            addressCode: flat.code,
          }),
        ),
      ).toEqual([
        'persons[1]=residence:errors.notRepresentable',
        'persons[2]=residence:errors.notRepresentable',
      ]);
      expect(await count()).toBe(before);
      expect(await h.sim.declaredAt(adultChild)).toEqual([]);
    });

    it('submitting the same form twice opens one case', async () => {
      const me = await h.sim.person('1983-03-03');
      const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
      const key = randomUUID();
      const [a, b] = await Promise.all([
        declare({ applicantCode: me, addressCode: flat.code, submissionKey: key }),
        declare({ applicantCode: me, addressCode: flat.code, submissionKey: key }),
      ]);
      expect(a.caseId).toBe(b.caseId);
      const c = await declare({ applicantCode: me, addressCode: flat.code, submissionKey: key });
      expect(c).toMatchObject({ caseId: a.caseId, created: false });
      expect(
        await h.tenantDb.run(h.municipalityId, (em) =>
          em.count(ResidenceDeclaration, { where: { submissionKey: key } }),
        ),
      ).toBe(1);
      expect(
        await h.tenantDb.run(h.municipalityId, (em) =>
          em.count(Case, { where: { applicantRef: me } }),
        ),
      ).toBe(1);
      await h.finished(a.caseId);
    });
  });
});
