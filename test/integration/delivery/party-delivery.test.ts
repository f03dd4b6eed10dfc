import { Not } from 'typeorm';
import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { DeliveryActivities } from '../../../activities/delivery';
import { Case } from '../../../src/cases/case.entity';
import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { DELIVERY_ACTIVITIES } from '../../../src/delivery/delivery.module';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { OutboxService } from '../../../src/delivery/outbox.service';
import { DocumentService } from '../../../src/documents/document.service';
import { IssuedDocument } from '../../../src/documents/issued-document.entity';
import { PDF_PRINTER, type PdfPrinter } from '../../../src/documents/pdf/pdf-printer';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { EADDRESS_PORT } from '../../../src/integrations/e-adrese/e-address.port';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import type { EAddressSimulator } from '../../../src/integrations/e-adrese/simulator/e-address.simulator';
import { eventually } from '../../support/engine-harness';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';
import { pdftotext } from '../documents/support';
import { resetDelivery, startSmtpCapture } from './support';

// The app boots in full (engine, Chromium pool, registers): seconds on a loaded 2-core machine.
jest.setTimeout(120_000);

let h: ResidenceHarness;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let mails: ParsedMail[] = [];
let act: DeliveryActivities;
let sender: DeliverySender;
let outbox: OutboxService;
let eadrese: EAddressSimulator;

const message = {
  subjectKey: 'residence:messages.invitation.subject',
  bodyKey: 'residence:messages.invitation.body',
  vars: { address: 'Ūdens iela 7 - 3, Tukums', respondBy: '2026-12-31' },
};
const rows = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(OutboxMessage, {
      where: { caseId, channel: Not('portal_status') },
      order: { createdAt: 'ASC' },
    }),
  );
/** A case of its own (a reference case parked at its review), so deliveries land on a real timeline. */
const newCase = async (): Promise<string> =>
  (
    await h.cases.open({
      municipalityId: h.municipalityId,
      processKey: 'reference',
      title: 'Delivery',
      applicantRef: null,
      actor: 'system',
      input: { subjectRef: `flagged-${randomUUID()}` },
    })
  ).id;
const kinds = (caseId: string) =>
  h.tenantDb
    .run(h.municipalityId, (em) =>
      em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }),
    )
    .then((r) => r.map((e) => e.kind));

beforeAll(async () => {
  smtp = await startSmtpCapture();
  mails = smtp.mails;
  h = await startResidenceApp({
    SMTP_URL: smtp.url,
    DELIVERY_MAX_ATTEMPTS: '3',
    DELIVERY_BACKOFF_BASE_MS: '1000',
    DELIVERY_BACKOFF_MAX_MS: '8000',
    // Generous: these tests expect real sends (SMTP with attachments, the e-address stand-in) to be
    // answered, which takes seconds on a loaded machine; a gateway that times out is injected.
    DELIVERY_SEND_TIMEOUT_MS: '10000',
  });
  act = h.running.app.get(DELIVERY_ACTIVITIES);
  sender = h.running.app.get(DeliverySender);
  outbox = h.running.app.get(OutboxService);
  eadrese = h.running.app.get(EADDRESS_PORT);
});

afterAll(() => Promise.all([h?.close(), smtp?.close()]));

beforeEach(() => resetDelivery(eadrese, sender));

describe('one way to reach a party (notifyParty / deliverDocuments)', () => {
  it('sends to an activated e-address only, with the gateway’s message id as proof', async () => {
    const me = await h.sim.person('1980-01-01', 'Ilze', 'Kalniņa');
    const caseId = await newCase();
    const r = await act.notifyParty({
      caseId,
      municipalityId: h.municipalityId,
      key: `invitation:${me}`,
      party: { personalCode: me, email: 'ilze@example.lv' },
      message,
    });
    expect(r).toMatchObject({ channel: 'e_address', status: 'sent' });
    const [m] = await rows(caseId);
    expect(m).toMatchObject({
      channel: 'e_address',
      recipient: me,
      status: 'sent',
      attempts: 1,
      idempotencyKey: `${caseId}:invitation:${me}`,
    });
    expect(m.providerMessageId).toMatch(/^div-/);
    expect(m.sentAt).toBeInstanceOf(Date);
    expect(m.deemedNotifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    expect(
      mails.filter((x) => x.to && JSON.stringify(x.to).includes('ilze@example.lv')),
    ).toHaveLength(0);
    expect(await kinds(caseId)).toContain('delivery.sent');
  });

  it('falls back to e-mail when the e-address is not activated, attaching the sealed documents', async () => {
    const me = await h.sim.person('1981-02-02', 'Pēteris', 'Ozols');
    eadrese.deactivate(me);
    const caseId = randomUUID();
    const documents = h.running.app.get(DocumentService);
    const doc = await documents.issue({
      municipalityId: h.municipalityId,
      caseId,
      stepKey: 'decision',
      templateKey: 'generic/notice',
      language: 'lv',
      data: TEMPLATES['generic/notice'].sample,
    });
    const r = await act.deliverDocuments({
      caseId,
      municipalityId: h.municipalityId,
      key: `decision:${me}`,
      party: { personalCode: me, email: 'peteris@example.lv', lang: 'en' },
      message,
      documentIds: [doc.id],
    });
    expect(r).toMatchObject({ channel: 'email', status: 'sent' });
    const mine = mails.filter((x) => JSON.stringify(x.to).includes('peteris@example.lv'));
    expect(mine).toHaveLength(1);
    // The party reads English; a decision is in the municipality's official language on every channel.
    expect(mine[0].subject).toBe('Iesniedziet tiesisko pamatu deklarētajai dzīvesvietai');
    expect(mine[0].text).toContain('Ūdens iela 7 - 3, Tukums');
    expect(mine[0].attachments.map((a) => a.filename)).toEqual([doc.fileName]);
    expect(
      Buffer.compare(mine[0].attachments[0].content, await documents.pdf(h.municipalityId, doc.id)),
    ).toBe(0);
    const [m] = await rows(caseId);
    expect(m).toMatchObject({ channel: 'email', lang: 'lv', purpose: 'decision', status: 'sent' });
    expect(m.receipt).toMatchObject({ accepted: ['peteris@example.lv'] });
  });

  it('without an e-address or e-mail: a sealed letter in the municipality’s language to the declared address, printed and marked posted by staff', async () => {
    const me = await h.sim.person('1982-03-03', 'Rūta', 'Liepiņa');
    eadrese.deactivate(me);
    const flat = await h.sim.apartment();
    await h.sim.residence(me, flat.code, '2020-05-01');
    const caseId = await newCase();
    const documents = h.running.app.get(DocumentService);
    const decision = await documents.issue({
      municipalityId: h.municipalityId,
      caseId,
      stepKey: 'decision',
      templateKey: 'generic/notice',
      language: 'lv',
      data: TEMPLATES['generic/notice'].sample,
    });
    // The party reads English; a letter is an official document in the municipality's language.
    const r = await act.deliverDocuments({
      caseId,
      municipalityId: h.municipalityId,
      key: `decision:${me}`,
      party: { personalCode: me, lang: 'en' },
      message,
      documentIds: [decision.id],
    });
    expect(r).toMatchObject({ channel: 'post', status: 'awaiting_post' });
    const [m] = await rows(caseId);
    expect(m).toMatchObject({
      channel: 'post',
      lang: 'lv',
      recipient: `Rūta Liepiņa\n${flat.text}`,
      status: 'awaiting_post',
      sentAt: null,
    });
    expect((await outbox.listAwaitingPost(h.municipalityId)).map((x) => x.id)).toContain(m.id);

    const letterId = m.receipt!.letterDocumentId as string;
    const letter = await h.tenantDb.run(h.municipalityId, (em) =>
      em
        .createQueryBuilder(IssuedDocument, 'd')
        .addSelect('d.pdf')
        .where('d.id = :id', { id: letterId })
        .getOneOrFail(),
    );
    expect(letter).toMatchObject({ caseId, templateKey: 'generic/notice', language: 'lv' });
    expect(m.providerMessageId).toBe(letter.registrationNumber);
    const text = (await pdftotext(letter.pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Rūta Liepiņa');
    expect(text).toContain(flat.text.split(', LV-')[0]); // (the postcode may wrap)
    expect(text).toContain(letter.registrationNumber);
    expect(text).toContain('Ūdens iela 7 - 3, Tukums'); // the message itself, in Latvian
    expect(text).toContain(`Pielikumā: ${decision.registrationNumber}.`);

    // A repeated attempt neither issues a second letter nor changes the row.
    expect((await sender.send(h.municipalityId, m.id)).event).toBe('delivery.unchanged');
    const posted = await sender.markPosted(h.municipalityId, m.id, h.caseworker.accountId);
    expect(posted).toMatchObject({ status: 'sent', event: 'delivery.posted' });
    expect((await outbox.get(h.municipalityId, m.id)).receipt).toMatchObject({
      postedBy: h.caseworker.accountId,
      registrationNumber: letter.registrationNumber,
    });
    expect((await sender.markPosted(h.municipalityId, m.id, h.caseworker.accountId)).event).toBe(
      'delivery.unchanged',
    );
    expect((await outbox.listAwaitingPost(h.municipalityId)).map((x) => x.id)).not.toContain(m.id);
    expect(await kinds(caseId)).toEqual(
      expect.arrayContaining(['delivery.letter_queued', 'delivery.posted']),
    );
    const letters = await h.tenantDb.run(h.municipalityId, (em) =>
      em.countBy(IssuedDocument, { caseId, templateKey: 'generic/notice' }),
    );
    expect(letters).toBe(2); // the decision and one letter
  });

  it('a letter that takes longer to issue than the send limit (a busy machine) is ready to print after its first attempt, not failed', async () => {
    const me = await h.sim.person('1987-08-08', 'Anna', 'Kalniņa');
    eadrese.deactivate(me);
    const flat = await h.sim.apartment();
    await h.sim.residence(me, flat.code, '2020-05-01');
    const caseId = await newCase();
    // Printing the letter outlasts DELIVERY_SEND_TIMEOUT_MS, as it can under load: a gateway
    // that slow is given up on, but the letter is local work with limits of its own.
    const printer = h.running.app.get<symbol, PdfPrinter>(PDF_PRINTER);
    const print = printer.print.bind(printer);
    const slowPrint = jest.spyOn(printer, 'print').mockImplementationOnce(async (job) => {
      await new Promise((r) => setTimeout(r, h.running.config.DELIVERY_SEND_TIMEOUT_MS + 500));
      return print(job);
    });
    try {
      const r = await act.notifyParty({
        caseId,
        municipalityId: h.municipalityId,
        key: `invitation:${me}`,
        party: { personalCode: me },
        message,
      });
      expect(slowPrint).toHaveBeenCalledTimes(1);
      expect(r).toMatchObject({ channel: 'post', status: 'awaiting_post' });
    } finally {
      slowPrint.mockRestore();
    }
    const [m] = await rows(caseId);
    expect(m).toMatchObject({
      channel: 'post',
      status: 'awaiting_post',
      attempts: 1,
      lastError: null,
    });
    expect((await outbox.listAwaitingPost(h.municipalityId)).map((x) => x.id)).toContain(m.id);
    expect(await kinds(caseId)).toContain('delivery.letter_queued');
    expect(await kinds(caseId)).not.toContain('delivery.retry_scheduled');
  });

  it('reports a party it cannot reach (no e-address, e-mail or address) without writing anything', async () => {
    const me = await h.sim.person('1983-04-04');
    eadrese.deactivate(me);
    const caseId = randomUUID();
    expect(
      await act.notifyParty({
        caseId,
        municipalityId: h.municipalityId,
        key: 'x',
        party: { personalCode: me },
        message,
      }),
    ).toBeNull();
    expect(await rows(caseId)).toEqual([]);
  });

  it('sends once however often the activity runs; a gateway that cannot answer fails the activity for the engine to retry', async () => {
    const me = await h.sim.person('1984-05-05');
    const caseId = await newCase();
    const req = {
      caseId,
      municipalityId: h.municipalityId,
      key: `notice:${me}`,
      party: { personalCode: me },
      message,
    };
    eadrese.faults.setDown(true);
    await expect(act.notifyParty(req)).rejects.toMatchObject({ retryable: true });
    expect(await rows(caseId)).toEqual([]);
    eadrese.faults.setDown(false);
    const first = await act.notifyParty(req);
    expect(first).toMatchObject({ channel: 'e_address', status: 'sent' });
    // The engine runs the activity again (a crash before its checkpoint): same message, nothing sent again.
    expect(await act.notifyParty(req)).toEqual(first);
    eadrese.deactivate(me); // even when the router would now choose otherwise
    expect(await act.notifyParty(req)).toEqual(first);
    const [m] = await rows(caseId);
    expect(eadrese.callCount(m.idempotencyKey)).toBe(1);
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    expect(await rows(caseId)).toHaveLength(1);
    expect((await kinds(caseId)).filter((k) => k === 'delivery.sent')).toHaveLength(1);
  });

  it('retries a failed send with the outbox backoff, then dead-letters it with an alert, visible on the case', async () => {
    const me = await h.sim.person('1985-06-06');
    const caseId = await newCase();
    const t0 = new Date('2026-12-07T08:00:00.000Z');
    sender.now = () => t0;
    // The gateway times out (the outbox's own time limit is covered in outbox.test.ts): the send is
    // scheduled again.
    const timedOut = jest
      .spyOn(eadrese, 'send')
      .mockRejectedValueOnce(
        new DomainError(ErrorCode.ExternalTimeout, 'e-adrese did not answer (simulated)'),
      );
    const first = await act
      .notifyParty({
        caseId,
        municipalityId: h.municipalityId,
        key: 'notice',
        party: { personalCode: me },
        message,
      })
      .finally(() => timedOut.mockRestore());
    expect(first).toMatchObject({ channel: 'e_address', status: 'failed' });
    const [failed] = await rows(caseId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.nextAttemptAt!.getTime() - t0.getTime()).toBe(750); // base 1000, half fixed + half of 0.5
    eadrese.faults.setDown(true);
    await sender.dispatchDue(); // not due yet
    expect((await rows(caseId))[0].attempts).toBe(1);
    sender.now = () => new Date(t0.getTime() + 750);
    await sender.dispatchDue();
    sender.now = () => new Date(t0.getTime() + 60_000);
    await sender.dispatchDue();
    const [m] = await rows(caseId);
    expect(m).toMatchObject({ status: 'dead', attempts: 3 });
    expect((await outbox.listDead(h.municipalityId)).map((x) => x.id)).toContain(m.id);
    const alerts = await h.tenantDb.run(h.municipalityId, (em) =>
      em.query(`SELECT kind FROM alerts WHERE subject_id = $1`, [m.id]),
    );
    expect(alerts).toEqual([{ kind: 'delivery.dead' }]);
    expect(await kinds(caseId)).toEqual(
      expect.arrayContaining(['delivery.retry_scheduled', 'delivery.dead']),
    );
  });

  it('the reference process delivers its outcome to the applicant through the same path', async () => {
    const me = await h.sim.person('1986-07-07', 'Jānis', 'Bērziņš');
    const c = await h.cases.open({
      municipalityId: h.municipalityId,
      processKey: 'reference',
      title: 'Reference',
      applicantRef: me,
      actor: 'system',
      input: { subjectRef: 'clear-subject', fastTrack: true },
    });
    const run = await h.finished(c.id);
    expect(run).toMatchObject({ status: 'completed', result: { outcome: 'approved' } });
    const [m] = await rows(c.id);
    expect(m).toMatchObject({
      channel: 'e_address',
      recipient: me,
      status: 'sent',
      purpose: 'decision',
      idempotencyKey: `${c.id}:decision-notice`,
    });
    expect(m.subject).toBe(`Lēmums lietā ${c.number}`);
    expect(m.body).toContain('apstiprināts');
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    const closed = await eventually(
      () =>
        h.tenantDb.run(h.municipalityId, (em) =>
          em.findOneBy(Case, { id: c.id, status: 'closed' }),
        ),
      10_000,
      'case closed',
    );
    expect(closed.outcome).toBe('approved');
  });
});
