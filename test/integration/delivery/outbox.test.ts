import type { ParsedMail } from 'mailparser';
import { randomUUID } from 'node:crypto';
import type { DeliveryActivities } from '../../../activities/delivery';
import { DELIVERY_ACTIVITIES } from '../../../src/delivery/delivery.module';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { Alert } from '../../../src/delivery/alerts/alert.entity';
import { Logger } from '@nestjs/common';
import { CaseService } from '../../../src/cases/case.service';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { OutboxService, type EnqueueMessage } from '../../../src/delivery/outbox.service';
import { RecipientRouter } from '../../../src/delivery/recipient-router';
import { EADDRESS_PORT } from '../../../src/integrations/e-adrese/e-address.port';
import type { EAddressSimulator } from '../../../src/integrations/e-adrese/simulator/e-address.simulator';
import { DomainError } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { eventually } from '../../support/workspace-fixtures';
import {
  bootHarness,
  createSealedMunicipality,
  resetDelivery,
  startSmtpCapture,
  type Harness,
} from './support';

// The app boots in full (engine, Chromium pool, registers): seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

let h: Harness;
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let received: ParsedMail[] = [];
let municipalityId: string;
let otherMunicipalityId: string;
let outbox: OutboxService;
let sender: DeliverySender;
let tenantDb: TenantDb;
let eadrese: EAddressSimulator;
let router: RecipientRouter;
let seq = 0;

async function enqueue(m: Partial<EnqueueMessage> = {}): Promise<OutboxMessage> {
  seq += 1;
  return tenantDb.run(municipalityId, async (em) => {
    const r = await outbox.enqueue(em, {
      municipalityId,
      caseId: `case-${seq}`,
      channel: 'e_address',
      recipient: '010190-12345',
      subject: 'Lēmums',
      body: 'Lēmums pielikumā.',
      idempotencyKey: `case-${seq}:decision-notice`,
      ...m,
    });
    return r.message;
  });
}

const send = (messageId: string) => sender.send(municipalityId, messageId);

beforeAll(async () => {
  smtp = await startSmtpCapture();
  received = smtp.mails;
  h = await bootHarness({ SMTP_URL: smtp.url });
  municipalityId = await createSealedMunicipality(h.ds);
  otherMunicipalityId = await createSealedMunicipality(h.ds);
  outbox = h.app.get(OutboxService);
  sender = h.app.get(DeliverySender);
  tenantDb = h.app.get(TenantDb);
  eadrese = h.app.get(EADDRESS_PORT);
  router = h.app.get(RecipientRouter);
});

afterAll(async () => {
  await h?.close();
  await smtp?.close();
});

beforeEach(() => resetDelivery(eadrese, sender));

describe('delivery outbox', () => {
  it('e-mails a Latvian subject with a PDF attachment through a real SMTP server exactly once', async () => {
    const doc = await h.issueDocument(municipalityId);
    const pdf = doc.pdf;
    const subject = 'Lēmums par dzīvesvietas deklarēšanu — Ķekavas pagasts, Ūdru iela';
    const m = await enqueue({
      channel: 'email',
      recipient: 'janis.berzins@example.lv',
      subject,
      attachments: [doc.id],
    });

    const first = await send(m.id);
    expect(first).toMatchObject({ status: 'sent', event: 'delivery.sent', attempts: 1 });
    const again = await send(m.id);
    expect(again).toMatchObject({ status: 'sent', event: 'delivery.unchanged', attempts: 1 });

    const mine = received.filter((r) => r.subject === subject);
    expect(mine).toHaveLength(1);
    expect(mine[0].to).toMatchObject({ text: 'janis.berzins@example.lv' });
    expect(mine[0].attachments).toHaveLength(1);
    expect(mine[0].attachments[0].contentType).toBe('application/pdf');
    expect(mine[0].attachments[0].filename).toBe(doc.fileName);
    expect(doc.fileName).toMatch(/^[A-Z0-9]{3}-NOT-\d{4}-\d{6}\.pdf$/);
    expect(Buffer.compare(mine[0].attachments[0].content, pdf)).toBe(0);
    expect(mine[0].headers.get('x-civitas-idempotency-key')).toBe(m.idempotencyKey);

    const row = await outbox.get(municipalityId, m.id);
    expect(row.receipt).toMatchObject({ accepted: ['janis.berzins@example.lv'] });
    expect(row.sentAt).toBeInstanceOf(Date);
    // E-mail takes effect on the 2nd working day too (parameter delivery.deemed-notified.email).
    expect(row.deemedNotifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('retries an e-adrese send after a transient failure and delivers it once', async () => {
    const m = await enqueue();
    eadrese.faults.failNext(2);
    // The clock and the jitter are held, so every wait is exact: base 1000 ms, doubling, half fixed
    // and half random (0.5 → three quarters of the ceiling).
    const t0 = new Date('2026-12-07T08:00:00.000Z');
    sender.now = () => t0;
    const first = await send(m.id);
    expect(first).toMatchObject({
      status: 'failed',
      event: 'delivery.retry_scheduled',
      attempts: 1,
    });
    expect(first.lastError).toMatch(/unavailable/);
    expect(new Date(first.nextAttemptAt!).getTime() - t0.getTime()).toBe(750); // after failure 1: ceiling 1000

    const t1 = new Date(t0.getTime() + 750);
    sender.now = () => t1;
    const second = await send(m.id);
    expect(second).toMatchObject({
      status: 'failed',
      event: 'delivery.retry_scheduled',
      attempts: 2,
    });
    expect(new Date(second.nextAttemptAt!).getTime() - t1.getTime()).toBe(1500); // after failure 2: ceiling 2000

    sender.now = () => new Date(t1.getTime() + 1500);
    const third = await send(m.id);
    expect(third).toMatchObject({ status: 'sent', attempts: 3 });
    expect(eadrese.callCount(m.idempotencyKey)).toBe(3);
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    expect(third.receipt).toMatchObject({ gateway: 'e-adrese', senderReference: m.idempotencyKey });
  });

  it('times out a slow gateway, retries, and still delivers once; then records delivery', async () => {
    const m = await enqueue();
    eadrese.faults.setSlow(2300); // longer than DELIVERY_SEND_TIMEOUT_MS=2000 in the harness
    const slow = await send(m.id);
    expect(slow).toMatchObject({ status: 'failed' });
    expect(slow.lastError).toMatch(/did not answer within 2000 ms/);
    // The gateway finishes the first call after the sender gave up on it: delivered, ack lost.
    await eventually(async () => eadrese.deliveries(m.idempotencyKey) === 1);
    eadrese.faults.setSlow(0);
    expect((await send(m.id)).status).toBe('sent');
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    const delivered = await sender.refreshStatus(municipalityId, m.id);
    expect(delivered).toMatchObject({ status: 'delivered', event: 'delivery.delivered' });
    expect((await outbox.get(municipalityId, m.id)).deliveredAt).toBeInstanceOf(Date);
  });

  it('lets only one of two simultaneous attempts call the gateway', async () => {
    const m = await enqueue();
    eadrese.faults.setSlow(300);
    const [a, b] = await Promise.all([send(m.id), send(m.id)]);
    expect([a.event, b.event].sort()).toEqual(['delivery.sent', 'delivery.unchanged']);
    const waiting = a.event === 'delivery.unchanged' ? a : b;
    // The loser either saw the row in flight (and is told when to look again) or already sent.
    expect(['sending', 'sent']).toContain(waiting.status);
    if (waiting.status === 'sending') expect(waiting.nextAttemptAt).not.toBeNull();
    else expect(waiting).toMatchObject({ status: 'sent', attempts: 1 });
    expect(eadrese.callCount(m.idempotencyKey)).toBe(1);
  });

  it('does not deliver twice when the gateway took the message but the answer was lost', async () => {
    const m = await enqueue();
    eadrese.faults.failNext(1, 'lost_ack');
    expect((await send(m.id)).status).toBe('failed');
    const ok = await send(m.id);
    expect(ok.status).toBe('sent');
    expect(eadrese.callCount(m.idempotencyKey)).toBe(2);
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
  });

  it('dead-letters after the last attempt, alerts managers, and sends again when an administrator retries', async () => {
    const managerEmail = `vaditaja-${Date.now()}@example.lv`;
    const managerId = await h.addManager(municipalityId, managerEmail);
    const m = await enqueue();
    eadrese.faults.setDown(true);
    expect((await send(m.id)).status).toBe('failed');
    expect((await send(m.id)).status).toBe('failed');
    const dead = await send(m.id);
    expect(dead).toMatchObject({ status: 'dead', event: 'delivery.dead', attempts: 3 });
    // A dead message is not tried again by the activity.
    expect((await send(m.id)).event).toBe('delivery.unchanged');
    expect(eadrese.callCount(m.idempotencyKey)).toBe(3);

    const { alerts, mails } = await tenantDb.run(municipalityId, async (em) => ({
      alerts: await em.getRepository(Alert).findBy({ subjectId: m.id }),
      mails: await em.getRepository(OutboxMessage).findBy({ purpose: 'alert', caseId: m.caseId! }),
    }));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'delivery.dead',
      severity: 'critical',
      messageKey: 'delivery:alert.dead',
    });
    expect(alerts[0].params).toMatchObject({ channel: 'e_address', attempts: 3 });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ channel: 'email', recipient: managerEmail });
    expect(mails[0].subject).toContain('netika piegādāta');
    expect((await outbox.listDead(municipalityId)).map((x) => x.id)).toContain(m.id);

    eadrese.faults.setDown(false);
    const retried = await outbox.retryDead(municipalityId, m.id, 'admin@example.lv');
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    const ok = await send(m.id);
    expect(ok).toMatchObject({ status: 'sent', attempts: 1 });
    expect(eadrese.deliveries(m.idempotencyKey)).toBe(1);
    await expect(outbox.retryDead(municipalityId, m.id, 'admin')).rejects.toMatchObject({
      fields: [{ field: 'status', message: 'delivery:errors.notDead' }],
    });
    await h.ds.query(`UPDATE accounts SET disabled = true WHERE id = $1`, [managerId]);
  });

  it('records as delivered what the e-address reports delivered, on the rounds the poller runs; a gateway that cannot answer is asked again later', async () => {
    const m = await enqueue();
    expect((await send(m.id)).status).toBe('sent');
    eadrese.faults.setDown(true);
    await sender.refreshSent();
    expect((await outbox.get(municipalityId, m.id)).status).toBe('sent');
    eadrese.faults.setDown(false);
    await sender.refreshSent();
    const row = await outbox.get(municipalityId, m.id);
    expect(row.status).toBe('delivered');
    expect(row.deliveredAt).not.toBeNull();
  });

  it('logs a failed and a dead-lettered send with the case number, so an operator can find the case', async () => {
    const kase = await h.app.get(CaseService).open({
      municipalityId,
      processKey: 'reference',
      title: 'Žurnāls',
      applicantRef: null,
      actor: 'system',
      input: { subjectRef: 'REF-LOG' },
    });
    const m = await enqueue({ caseId: kase.id, idempotencyKey: `${kase.id}:log-check` });
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const error = jest.spyOn(Logger.prototype, 'error');
    try {
      eadrese.faults.setDown(true);
      await send(m.id);
      await send(m.id);
      await send(m.id);
      const lines = (spy: jest.SpyInstance) => spy.mock.calls.map((c) => String(c[1] ?? c[0]));
      expect(lines(warn).filter((l) => l.includes(kase.number))).toHaveLength(2);
      expect(
        lines(error).filter((l) => l.includes(kase.number) && l.includes('dead-lettered')),
      ).toHaveLength(1);
    } finally {
      warn.mockRestore();
      error.mockRestore();
      eadrese.faults.setDown(false);
    }
  });

  it('dead-letters at once when the recipient has no activated e-address', async () => {
    eadrese.deactivate('020202-22222');
    const m = await enqueue({ recipient: '020202-22222' });
    const r = await send(m.id);
    expect(r).toMatchObject({ status: 'dead', attempts: 1 });
    expect(r.lastError).toMatch(/no activated e-address/);
  });

  it('records e-adrese documents as notified on the 2nd working day after sending', async () => {
    const a = await enqueue();
    sender.now = () => new Date('2026-04-02T09:00:00Z'); // Thursday before Easter
    expect((await send(a.id)).deemedNotifiedOn).toBe('2026-04-08'); // Fri 3 and Mon 6 Apr are holidays

    const b = await enqueue();
    sender.now = () => new Date('2026-04-30T21:30:00Z'); // already Friday 1 May (holiday) in Riga
    expect((await send(b.id)).deemedNotifiedOn).toBe('2026-05-06'); // Mon 4 May holiday → Tue 5, Wed 6
  });

  it('writes a message only when the case change commits, and only once per idempotency key', async () => {
    const key = 'case-tx:notice';
    await expect(
      tenantDb.run(municipalityId, async (em) => {
        await outbox.enqueue(em, {
          municipalityId,
          caseId: 'case-tx',
          channel: 'sms',
          recipient: '+37120000000',
          subject: 'Statuss',
          body: 'x',
          idempotencyKey: key,
        });
        throw new Error('case change failed');
      }),
    ).rejects.toThrow('case change failed');
    const none = await tenantDb.run(municipalityId, (em) =>
      em.getRepository(OutboxMessage).countBy({ idempotencyKey: key }),
    );
    expect(none).toBe(0);

    const [first, second] = await tenantDb.run(municipalityId, async (em) => [
      await outbox.enqueue(em, {
        municipalityId,
        caseId: 'case-tx',
        channel: 'sms',
        recipient: '+37120000000',
        subject: 'Statuss',
        body: 'x',
        idempotencyKey: key,
      }),
      await outbox.enqueue(em, {
        municipalityId,
        caseId: 'case-tx',
        channel: 'sms',
        recipient: '+37120000000',
        subject: 'Statuss',
        body: 'x',
        idempotencyKey: key,
      }),
    ]);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.message.id).toBe(first.message.id);
  });

  it('rejects a bad recipient with field-level errors and writes nothing', async () => {
    const err = await tenantDb
      .run(municipalityId, (em) =>
        outbox.enqueue(em, {
          municipalityId,
          channel: 'email',
          recipient: 'not-an-address',
          subject: '',
          body: 'x',
          idempotencyKey: 'bad:1',
        }),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).fields).toEqual([
      { field: 'recipient', message: 'delivery:errors.emailInvalid' },
      { field: 'subject', message: 'delivery:errors.subjectRequired' },
    ]);
    const n = await tenantDb.run(municipalityId, (em) =>
      em.getRepository(OutboxMessage).countBy({ idempotencyKey: 'bad:1' }),
    );
    expect(n).toBe(0);
  });

  it('sends to an activated e-address only, otherwise to the contact given', async () => {
    expect(
      await router.chooseFor(municipalityId, {
        personalCode: '030303-33333',
        email: 'a@example.lv',
      }),
    ).toEqual({
      channel: 'e_address',
      recipient: '030303-33333',
      reason: 'activated_e_address',
    });
    eadrese.deactivate('030303-33333');
    expect(
      await router.chooseFor(municipalityId, {
        personalCode: '030303-33333',
        email: 'a@example.lv',
      }),
    ).toMatchObject({ channel: 'email', recipient: 'a@example.lv' });
    expect(
      await router.chooseFor(municipalityId, {
        personalCode: '030303-33333',
        phone: '+37120000002',
      }),
    ).toMatchObject({ channel: 'sms' });
    await expect(
      router.chooseFor(municipalityId, { personalCode: '030303-33333' }),
    ).rejects.toMatchObject({
      fields: [{ field: 'recipient', message: 'delivery:errors.recipientRequired' }],
    });
    eadrese.faults.setDown(true);
    await expect(
      router.chooseFor(municipalityId, { personalCode: '040404-44444' }),
    ).rejects.toMatchObject({
      retryable: true,
    });
  });

  it('keeps one municipality’s messages invisible to another', async () => {
    const m = await enqueue();
    const seen = await tenantDb.run(otherMunicipalityId, (em) =>
      em.getRepository(OutboxMessage).findOneBy({ id: m.id }),
    );
    expect(seen).toBeNull();
    await expect(sender.send(otherMunicipalityId, m.id)).rejects.toThrow(/not found/);
  });

  it('sends due messages no process drives, and waits out a retry delay', async () => {
    const m = await enqueue({
      channel: 'portal_status',
      recipient: 'service-123',
      subject: 'registered',
      body: JSON.stringify({
        provider: { registrationNumber: '90000012345', code: 'x', name: 'X' },
        serviceCode: 'service-123',
        caseNumber: 'REF-2026-000001',
        status: 'registered',
        sequence: 1,
        occurredAt: new Date().toISOString(),
        channel: 'counter',
      }),
    });
    const later = await enqueue();
    // The clock stands still until the test moves it: on a loaded machine the 750 ms retry delay
    // could otherwise pass before the first dispatch.
    const t0 = new Date();
    sender.now = () => t0;
    eadrese.faults.failNext(1);
    expect((await send(later.id)).status).toBe('failed');
    await sender.dispatchDue();
    expect((await outbox.get(municipalityId, m.id)).status).toBe('sent');
    expect((await outbox.get(municipalityId, later.id)).status).toBe('failed'); // not due yet
    expect(eadrese.callCount(later.idempotencyKey)).toBe(1);
    sender.now = () => new Date(t0.getTime() + 10_000);
    await sender.dispatchDue();
    expect((await outbox.get(municipalityId, later.id)).status).toBe('sent');
    expect(eadrese.deliveries(later.idempotencyKey)).toBe(1);
  });
});

describe('a municipality that cannot send to an e-address (not in Latvia, or none of its own)', () => {
  const decision = {
    subjectKey: 'delivery:notices.reference.decision-notice.subject',
    bodyKey: 'delivery:notices.reference.decision-notice.body',
    vars: { number: 'REF-2026-000007', outcome: '✓' },
  };
  const issueGreek = (municipalityId: string, caseId: string) =>
    h.app.get(DocumentService).issue({
      municipalityId,
      caseId,
      stepKey: 'decision',
      templateKey: 'generic/notice',
      language: 'el',
      data: TEMPLATES['generic/notice'].sample,
    });
  const rowsOf = (mid: string, caseId: string) =>
    tenantDb.run(mid, (em) =>
      em.getRepository(OutboxMessage).find({ where: { caseId }, order: { createdAt: 'ASC' } }),
    );

  it('a Greek municipality’s decision to a person with an activated e-address goes by e-mail, in Greek; the e-address register is not even asked', async () => {
    const greek = await createSealedMunicipality(h.ds, 'GR');
    const caseId = randomUUID();
    const doc = await issueGreek(greek, caseId);
    // Asking the e-address register would fail: the route must not depend on it.
    eadrese.faults.setDown(true);
    const act = h.app.get<symbol, DeliveryActivities>(DELIVERY_ACTIVITIES);
    const r = await act.deliverDocuments({
      caseId,
      municipalityId: greek,
      key: 'decision:050505-55555',
      // The resident's account is in Latvian: the decision is still in the municipality's language.
      party: { personalCode: '050505-55555', email: 'nikos@example.gr', lang: 'lv' },
      message: decision,
      documentIds: [doc.id],
    });
    expect(r).toMatchObject({ channel: 'email', status: 'sent' });
    const rows = await rowsOf(greek, caseId);
    expect(rows.map((m) => m.channel)).toEqual(['email']);
    expect(rows[0]).toMatchObject({
      lang: 'el',
      subject: 'Απόφαση στην υπόθεση REF-2026-000007',
      status: 'sent',
    });
    expect(rows[0].fallbackRoutes.map((f) => f.channel)).not.toContain('e_address');
    expect(rows[0].history[0]).toMatchObject({
      event: 'routed',
      detail: 'municipality_without_e_address',
    });
    const mail = received.filter((x) => JSON.stringify(x.to).includes('nikos@example.gr'));
    expect(mail.map((x) => x.subject)).toEqual(['Απόφαση στην υπόθεση REF-2026-000007']);
  });

  it('a Greek municipality’s decision to a person without e-mail is a letter in Greek, not an e-address message', async () => {
    const greek = await createSealedMunicipality(h.ds, 'GR');
    const caseId = randomUUID();
    const doc = await issueGreek(greek, caseId);
    const act = h.app.get<symbol, DeliveryActivities>(DELIVERY_ACTIVITIES);
    const r = await act.deliverDocuments({
      caseId,
      municipalityId: greek,
      key: 'decision:060606-66666',
      party: {
        personalCode: '060606-66666',
        name: 'Νίκος Παπαδόπουλος',
        postalAddress: 'Συγγρού 7, Ναύπλιο 21100',
      },
      message: decision,
      documentIds: [doc.id],
    });
    expect(r).toMatchObject({ channel: 'post', status: 'awaiting_post' });
    const rows = await rowsOf(greek, caseId);
    expect(rows.map((m) => m.channel)).toEqual(['post']);
    expect(rows[0]).toMatchObject({ lang: 'el', subject: 'Απόφαση στην υπόθεση REF-2026-000007' });
    expect(rows[0].history[0]).toMatchObject({
      event: 'routed',
      detail: 'no_electronic_contact_post',
    });
  });

  it('a Latvian municipality with an e-address of its own still sends to the activated e-address', async () => {
    const caseId = randomUUID();
    const doc = await h.issueDocument(municipalityId, caseId);
    const act = h.app.get<symbol, DeliveryActivities>(DELIVERY_ACTIVITIES);
    const r = await act.deliverDocuments({
      caseId,
      municipalityId,
      key: 'decision:070707-77777',
      party: { personalCode: '070707-77777', email: 'anna@example.lv' },
      message: decision,
      documentIds: [doc.id],
    });
    expect(r).toMatchObject({ channel: 'e_address', status: 'sent' });
    const [m] = await rowsOf(municipalityId, caseId);
    expect(m).toMatchObject({
      channel: 'e_address',
      lang: 'lv',
      subject: 'Lēmums lietā REF-2026-000007',
    });
    expect(m.fallbackRoutes.map((f) => f.channel)).toEqual(['email']);
    expect(m.history[0]).toMatchObject({ event: 'routed', detail: 'activated_e_address' });
  });

  it('routes by e-mail from a Latvian municipality with no e-address configured, and from a Greek one even with one', async () => {
    const latvianWithout = await createSealedMunicipality(h.ds, 'LV', '');
    const greekWith = await createSealedMunicipality(h.ds, 'GR', '_DEFAULT@90000000001');
    eadrese.faults.setDown(true);
    for (const mid of [latvianWithout, greekWith]) {
      const contacts = { personalCode: '030303-33333', email: 'a@example.lv' };
      const chosen = await router.chooseFor(mid, contacts);
      expect(chosen).toEqual({
        channel: 'email',
        recipient: 'a@example.lv',
        reason: 'municipality_without_e_address',
      });
      expect(
        await router.chooseFor(mid, { personalCode: '030303-33333', phone: '+37120000002' }),
      ).toMatchObject({ channel: 'sms', reason: 'municipality_without_e_address' });
    }
  });

  it('an e_address message written before the rule (a Greek municipality) is not sent to the gateway: it fails at once and goes to its fallback', async () => {
    const greek = await createSealedMunicipality(h.ds, 'GR');
    const key = `legacy-${randomUUID()}:decision-notice`;
    // Written as the old router wrote it, past today's enqueue check.
    const id = await tenantDb.run(greek, async (em) => {
      const r = await em.getRepository(OutboxMessage).insert({
        municipalityId: greek,
        caseId: null,
        channel: 'e_address',
        purpose: 'decision',
        recipient: '080808-88888',
        subject: 'Απόφαση',
        body: 'Απόφαση.',
        lang: 'el',
        attachments: [],
        idempotencyKey: key,
        fallbackRoutes: [{ channel: 'email', recipient: 'eleni@example.gr' }],
        status: 'pending',
        attempts: 0,
        maxAttempts: 3,
        nextAttemptAt: new Date(),
        history: [],
      });
      return (r.identifiers[0] as { id: string }).id;
    });
    const o = await sender.send(greek, id);
    expect(o).toMatchObject({ status: 'dead', event: 'delivery.dead' });
    expect(eadrese.callCount(key)).toBe(0);
    expect(o.fallbackId).toEqual(expect.any(String));
    expect(await outbox.get(greek, o.fallbackId!)).toMatchObject({
      channel: 'email',
      recipient: 'eleni@example.gr',
    });
  });

  it('refuses to write an e_address message for such a municipality, with a field error, and writes nothing', async () => {
    const greek = await createSealedMunicipality(h.ds, 'GR');
    const latvianWithout = await createSealedMunicipality(h.ds, 'LV', '');
    for (const mid of [greek, latvianWithout]) {
      const err = await tenantDb
        .run(mid, (em) =>
          outbox.enqueue(em, {
            municipalityId: mid,
            caseId: 'case-x',
            channel: 'e_address',
            recipient: '010190-12345',
            subject: 'Απόφαση',
            body: 'Απόφαση.',
            idempotencyKey: 'case-x:decision-notice',
          }),
        )
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).fields).toEqual([
        { field: 'channel', message: 'delivery:errors.eAddressUnavailable' },
      ]);
      const n = await tenantDb.run(mid, (em) => em.getRepository(OutboxMessage).count());
      expect(n).toBe(0);
    }
  });
});
