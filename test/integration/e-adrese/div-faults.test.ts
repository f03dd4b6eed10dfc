import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import { DomainError } from '../../../src/platform/errors/domain-error';
import { MemoryNotificationSink } from '../../../src/integrations/e-adrese/div/div-notifications';
import { MemorySendJournal } from '../../../src/integrations/e-adrese/div/div-send-journal';
import { DivFault, DivSoapClient } from '../../../src/integrations/e-adrese/div/div-soap.client';
import { loadDivCredentials } from '../../../src/integrations/e-adrese/div/div-credentials';
import {
  NS,
  newDocument,
  parseXml,
  descendant,
} from '../../../src/integrations/e-adrese/div/div-xml';
import type { StoredMessage } from '../../../src/integrations/e-adrese/stand-in/stand-in.store';
import { letter, startDivStandIn, type RunningStandIn } from '../../support/div-stand-in';

/** POSTs raw bytes to the stand-in with the connection's TLS certificate (for requests the adapter would never send). */
function rawPost(s: RunningStandIn, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      s.endpoint,
      {
        method: 'POST',
        pfx: readFileSync(s.pki.clientP12),
        passphrase: s.pki.p12Password,
        ca: readFileSync(s.pki.caCert),
        headers: { 'Content-Type': 'application/soap+xml; charset=utf-8' },
      },
      (res) => {
        let data = '';
        res.on('data', (d: Buffer) => (data += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const faultCode = (xml: string): string | null =>
  descendant(descendant(parseXml(xml), NS.soap, 'Subcode')!, NS.soap, 'Value')?.textContent ?? null;

describe('DIV adapter against the stand-in: faults lose nothing and send nothing twice', () => {
  let standIn: RunningStandIn;
  const messagesFor = async (ref: string): Promise<StoredMessage[]> =>
    (await standIn.control<StoredMessage[]>('GET', '/_control/messages')).filter(
      (m) => m.senderRef === ref,
    );

  // DIV may register a repeated sender reference as a new message (undocumented): the stand-in does,
  // so "sent once" below is the adapter's doing.
  const strictDiv = { repeatedSenderRef: 'new' };
  /** A clock the test moves: the adapter's resend window for sends that got no reply. */
  let clock = new Date('2026-12-05T10:00:00Z');
  const clocked = (o: Parameters<RunningStandIn['adapter']>[0] = {}) =>
    standIn.adapter({ now: () => clock, resendAfterMs: 600_000, ...o });

  beforeAll(async () => {
    standIn = await startDivStandIn();
    await standIn.control('POST', '/_control/behaviour', strictDiv);
  });
  afterAll(() => standIn?.stop());
  afterEach(async () => {
    await standIn.control('DELETE', '/_control/faults');
    await standIn.control('POST', '/_control/behaviour', {
      inactive: [],
      undeliverable: [],
      notificationCopies: 1,
      processDelayMs: 0,
      deliverDelayMs: 0,
      ...strictDiv,
    });
  });

  it('a timed-out SendMessage that DIV registered: the retry learns its MessageId from the notification and sends nothing', async () => {
    // Two adapters on one journal and notification record: the app, restarted on its database.
    const shared = {
      sendJournal: new MemorySendJournal(),
      notificationSink: new MemoryNotificationSink(),
    };
    const impatient = clocked({ timeoutMs: 400, ...shared });
    const adapter = clocked(shared);
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'delay',
      delayMs: 1500,
      times: 1,
    });
    await expect(impatient.send(letter('fault-timeout'))).rejects.toMatchObject({
      code: 'external_timeout',
      retryable: true,
    });
    // The delayed call still lands on the stand-in; once it has, DIV notifies about it.
    await waitFor(async () => (await messagesFor('fault-timeout')).length === 1);
    const { messageId } = await adapter.send(letter('fault-timeout'));
    expect(await messagesFor('fault-timeout')).toEqual([
      expect.objectContaining({ messageId, sendCalls: 1 }),
    ]);
  });

  it('a connection reset before DIV processed the call: nothing is sent again until the resend window has passed, then once', async () => {
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'reset',
      times: 1,
    });
    const adapter = clocked();
    await expect(adapter.send(letter('fault-reset'))).rejects.toMatchObject({
      code: 'external_unavailable',
      retryable: true,
    });
    clock = new Date(clock.getTime() + 599_000);
    await expect(adapter.send(letter('fault-reset'))).rejects.toMatchObject({
      retryable: true,
      message: expect.stringMatching(/got no reply/),
    });
    expect(await messagesFor('fault-reset')).toHaveLength(0);
    clock = new Date(clock.getTime() + 2_000);
    const { messageId } = await adapter.send(letter('fault-reset'));
    expect(await messagesFor('fault-reset')).toEqual([
      expect.objectContaining({ messageId, sendCalls: 1 }),
    ]);
  });

  it('a reply lost after the message was registered: the retry gets the same MessageId, not a second message', async () => {
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'dropResponse',
      times: 1,
    });
    const adapter = clocked();
    await expect(adapter.send(letter('fault-lost-ack'))).rejects.toMatchObject({ retryable: true });
    const { messageId } = await adapter.send(letter('fault-lost-ack'));
    const stored = await messagesFor('fault-lost-ack');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ messageId, sendCalls: 1 });
  });

  it('a SOAP Receiver fault is the gateway failing (retryable); the retry delivers once', async () => {
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'fault',
      code: 'BL.SYS.001',
      times: 1,
    });
    const adapter = standIn.adapter();
    const err = await adapter.send(letter('fault-receiver')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivFault);
    expect(err).toMatchObject({ faultCode: 'BL.SYS.001', side: 'Receiver', retryable: true });
    await adapter.send(letter('fault-receiver'));
    expect(await messagesFor('fault-receiver')).toHaveLength(1);
  });

  it('a large message interrupted mid-sections (not registered before CompleteSendMessage) is sent again at once and registered once', async () => {
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendAttachmentSection',
      kind: 'reset',
      times: 1,
    });
    const adapter = clocked({ sectionBytes: 4_194_304 });
    const big = Buffer.alloc(9_000_000, 3);
    await expect(adapter.send(letter('fault-sections', [big]))).rejects.toMatchObject({
      retryable: true,
    });
    const { messageId } = await adapter.send(letter('fault-sections', [big]));
    const registered = (await messagesFor('fault-sections')).filter(
      (m) => m.state === 'registered',
    );
    expect(registered).toEqual([expect.objectContaining({ messageId })]);
    expect((await adapter.status(messageId)).state).toBe('delivered');
  });

  it('a large message whose CompleteSendMessage got no reply is in doubt: sent again only after the resend window, and registered once', async () => {
    await standIn.control('POST', '/_control/faults', {
      operation: 'CompleteSendMessage',
      kind: 'reset',
      times: 1,
    });
    const adapter = clocked();
    const big = Buffer.alloc(9_000_000, 4);
    await expect(adapter.send(letter('fault-complete', [big]))).rejects.toMatchObject({
      retryable: true,
    });
    await expect(adapter.send(letter('fault-complete', [big]))).rejects.toMatchObject({
      message: expect.stringMatching(/got no reply/),
    });
    clock = new Date(clock.getTime() + 601_000);
    const { messageId } = await adapter.send(letter('fault-complete', [big]));
    const registered = (await messagesFor('fault-complete')).filter(
      (m) => m.state === 'registered',
    );
    expect(registered).toEqual([expect.objectContaining({ messageId })]);
  });

  it('refuses a client certificate from another CA with a SOAP fault; not retryable', async () => {
    const adapter = standIn.adapter({ certP12Path: standIn.pki.strangerP12 });
    const err = await adapter.validateEAddress('010190-12345').catch((e: unknown) => e);
    expect(err).toMatchObject({ faultCode: 'BL.AKL.PSL.013', side: 'Sender', retryable: false });
    expect((err as Error).message).toMatch(/not issued by the trusted CA/);
  });

  it('refuses an expired client certificate with a SOAP fault; not retryable', async () => {
    const adapter = standIn.adapter({ certP12Path: standIn.pki.expiredP12 });
    const err = await adapter.send(letter('fault-expired')).catch((e: unknown) => e);
    expect(err).toMatchObject({ faultCode: 'BL.AKL.PSL.013', retryable: false });
    expect((err as Error).message).toMatch(/expired/);
    expect(await messagesFor('fault-expired')).toHaveLength(0);
  });

  it('refuses a request without a WS-Security signature, and one whose signed body was altered', async () => {
    const unsigned = newDocument([
      NS.soap,
      'Envelope',
      [
        [NS.soap, 'Header', []],
        [
          NS.soap,
          'Body',
          [[NS.uui, 'GetNotificationListInput', [[NS.uui, 'MaxResultCount', ['5']]]]],
        ],
      ],
    ]);
    const plain = await rawPost(standIn, unsigned.toString());
    expect(plain.status).toBe(400);
    expect(faultCode(plain.body)).toBe('BL.AKL.PSL.013');

    let signed = '';
    await standIn.adapter({ trace: (_op, req) => (signed = req) }).listIncoming(5);
    expect(signed).toMatch(/>5<\/uui:MaxResultCount>/);
    const tampered = await rawPost(
      standIn,
      signed.replace('>5</uui:MaxResultCount>', '>6</uui:MaxResultCount>'),
    );
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatch(/signature does not verify/);
  });

  it('refuses a signed request whose body does not match the schema (BL.PSS.003), naming the element', async () => {
    const creds = loadDivCredentials(
      standIn.pki.clientP12,
      standIn.pki.p12Password,
      standIn.pki.caCert,
    );
    const client = new DivSoapClient(
      { endpoint: standIn.endpoint, timeoutMs: 10_000, mtom: false, wssAlgorithm: 'sha1' },
      creds,
    );
    const bad = newDocument([
      NS.uui,
      'GetNotificationListInput',
      [[NS.uui, 'MaxResults', ['5']]],
    ]).documentElement!;
    const err = await client.call('GetNotificationList', bad).catch((e: unknown) => e);
    expect(err).toMatchObject({ faultCode: 'BL.PSS.003', side: 'Sender', retryable: false });
    expect((err as Error).message).toMatch(/MaxResults/);
  });

  it('refuses a message without the sender’s own e-address (BL.PSS.003), for good', async () => {
    const adapter = standIn.adapter();
    const err = await adapter
      .send({ ...letter('no-sender-1'), senderEAddress: '' })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: false });
    expect((err as Error).message).toMatch(/BL\.PSS\.003/);
    expect((err as Error).message).toMatch(
      /SenderE-Address.*The value '' is not accepted by the pattern/,
    );
  });

  it('a duplicated notification counts once, and the state follows the best news', async () => {
    await standIn.control('POST', '/_control/behaviour', { notificationCopies: 2 });
    const adapter = standIn.adapter();
    const { messageId } = await adapter.send(letter('notify-dup'));
    const fresh = await adapter.pollNotifications();
    const mine = fresh.filter((n) => n.messageId === messageId);
    expect(mine.map((n) => n.type).sort()).toEqual(['MessageDelivered', 'MessageProcessed']);
    expect(new Set(mine.map((n) => n.id)).size).toBe(mine.length);
    expect(await adapter.status(messageId)).toMatchObject({ state: 'delivered' });
  });

  it('a lost ConfirmNotificationList loses no notification: they come again and are recorded once', async () => {
    const adapter = standIn.adapter();
    await adapter.pollNotifications();
    const { messageId } = await adapter.send(letter('notify-confirm-lost'));
    await standIn.control('POST', '/_control/faults', {
      operation: 'ConfirmNotificationList',
      kind: 'reset',
      times: 1,
    });
    await expect(adapter.pollNotifications()).rejects.toBeInstanceOf(DomainError);
    expect(await adapter.notifications.sink.forMessage(messageId)).toHaveLength(2);
    await adapter.pollNotifications();
    expect(await adapter.notifications.sink.forMessage(messageId)).toHaveLength(2);
    expect(await adapter.status(messageId)).toMatchObject({ state: 'delivered' });
    expect(await adapter.pollNotifications()).toEqual([]);
  });

  it('a resident without an activated e-address: ValidateEAddress says so, and a message to them ends failed', async () => {
    await standIn.control('POST', '/_control/behaviour', { inactive: ['020202-22222'] });
    const adapter = standIn.adapter();
    expect(await adapter.validateEAddress('020202-22222')).toEqual({
      personalCode: '020202-22222',
      active: false,
      eAddress: null,
    });
    const { messageId } = await adapter.send(letter('inactive-1', undefined, '020202-22222'));
    expect(await adapter.status(messageId)).toMatchObject({ state: 'failed' });
  });

  it('a message the recipient never takes ends failed (DeliveryDelayed), after the configured delays', async () => {
    await standIn.control('POST', '/_control/behaviour', {
      undeliverable: ['030303-33333'],
      processDelayMs: 100,
      deliverDelayMs: 100,
    });
    const adapter = standIn.adapter();
    const { messageId } = await adapter.send(letter('undeliverable-1', undefined, '030303-33333'));
    await waitFor(async () => (await adapter.status(messageId)).state === 'failed');
    const told = await adapter.notifications.sink.forMessage(messageId);
    expect(told.map((n) => [n.type, n.messageStatus])).toEqual([
      ['MessageProcessed', 'Accepted'],
      ['MessageDelivered', 'DeliveryDelayed'],
    ]);
  });

  it('a malformed personal code is a field error, and nothing reaches the gateway', async () => {
    const calls: string[] = [];
    const adapter = standIn.adapter({ trace: (op) => calls.push(op) });
    await expect(adapter.validateEAddress('12-34')).rejects.toMatchObject({
      code: 'validation_failed',
      fields: [{ field: 'personalCode', message: 'delivery:errors.personalCodeInvalid' }],
    });
    expect(calls).toEqual([]);
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
