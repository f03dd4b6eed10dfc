import { createHash } from 'node:crypto';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { OutboxService, type EnqueueMessage } from '../../../src/delivery/outbox.service';
import { DivEAddressAdapter } from '../../../src/integrations/e-adrese/div.adapter';
import { EADDRESS_PORT } from '../../../src/integrations/e-adrese/e-address.port';
import type { StoredMessage } from '../../../src/integrations/e-adrese/stand-in/stand-in.store';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { startDivStandIn, type RunningStandIn } from '../../support/div-stand-in';
import { bootHarness, createSealedMunicipality, type Harness } from '../delivery/support';

/**
 * The shipped app with EADRESE_MODE=div pointed at the DIV stand-in process: the outbox sends a
 * sealed notice through the real adapter over mutual TLS, and the delivery flow behaves as with
 * the simulator (one message per idempotency key, receipt, deemed-notified date, delivery state).
 */
describe('delivery outbox through the DIV adapter to the stand-in', () => {
  let standIn: RunningStandIn;
  let h: Harness;
  let municipalityId: string;
  let seq = 0;

  const stored = async (ref: string): Promise<StoredMessage[]> =>
    (await standIn.control<StoredMessage[]>('GET', '/_control/messages')).filter(
      (m) => m.senderRef === ref,
    );
  const enqueue = (m: Partial<EnqueueMessage> = {}) =>
    h.app.get(TenantDb).run(municipalityId, async (em) => {
      seq += 1;
      const r = await h.app.get(OutboxService).enqueue(em, {
        municipalityId,
        caseId: `div-case-${seq}`,
        channel: 'e_address',
        recipient: '010190-12345',
        subject: 'Lēmums par dzīvesvietas deklarēšanu',
        body: 'Lēmums pielikumā.',
        idempotencyKey: `div-case-${seq}:decision-notice`,
        ...m,
      });
      return r.message;
    });
  const send = (messageId: string) => h.app.get(DeliverySender).send(municipalityId, messageId);

  beforeAll(async () => {
    standIn = await startDivStandIn({ DIV_STANDIN_REPEATED_SENDER_REF: 'new' });
    h = await bootHarness({
      EADRESE_MODE: 'div',
      EADRESE_ENDPOINT: standIn.endpoint,
      EADRESE_CERT_P12: standIn.pki.clientP12,
      EADRESE_CERT_PASSWORD: standIn.pki.p12Password,
      EADRESE_SERVER_CA: standIn.pki.caCert,
      // Generous: the first call reads the WSDL, and the shared test machine is often loaded.
      EADRESE_TIMEOUT_MS: '15000',
      DELIVERY_SEND_TIMEOUT_MS: '20000',
    });
    municipalityId = await createSealedMunicipality(h.ds);
  });
  afterAll(async () => {
    await h?.close();
    await standIn?.stop();
  });

  it('the app builds the DIV adapter from its configuration', () => {
    expect(h.app.get(EADDRESS_PORT)).toBeInstanceOf(DivEAddressAdapter);
  });

  it('sends a sealed notice once, with the PDF and its digest, and records the receipt and the deemed-notified date', async () => {
    const doc = await h.issueDocument(municipalityId);
    const m = await enqueue({ attachments: [doc.id] });
    const first = await send(m.id);
    expect(first.lastError).toBeNull();
    expect(first).toMatchObject({ status: 'sent', attempts: 1 });
    expect(first.deemedNotifiedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.receipt).toMatchObject({
      gateway: 'e-adrese',
      senderReference: m.idempotencyKey,
      messageId: first.providerMessageId,
    });
    expect(await send(m.id)).toMatchObject({ status: 'sent', event: 'delivery.unchanged' });
    const [message] = await stored(m.idempotencyKey);
    expect(message).toMatchObject({
      messageId: first.providerMessageId,
      recipients: ['_PRIVATE@01019012345'],
      sendCalls: 1,
    });
    expect(message.files).toEqual([
      expect.objectContaining({
        name: doc.fileName,
        mimeType: 'application/pdf',
        size: doc.pdf.length,
        sha512: createHash('sha512').update(doc.pdf).digest('base64'),
      }),
    ]);
    // What the resident's e-address received is the same bytes (the stand-in's inbox page serves them).
    const res = await fetch(`${standIn.web}/inbox/files/${message.messageId}/0?code=010190-12345`);
    expect(Buffer.from(await res.arrayBuffer()).equals(doc.pdf)).toBe(true);
  });

  it('a reply lost after DIV registered the message: the outbox retries and DIV still holds one message', async () => {
    const m = await enqueue();
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'dropResponse',
      times: 1,
    });
    expect(await send(m.id)).toMatchObject({
      status: 'failed',
      event: 'delivery.retry_scheduled',
      attempts: 1,
    });
    const sender = h.app.get(DeliverySender);
    const later = new Date(Date.now() + 60_000);
    sender.now = () => later;
    try {
      const second = await send(m.id);
      expect(second).toMatchObject({ status: 'sent', attempts: 2 });
      const all = await stored(m.idempotencyKey);
      expect(all).toHaveLength(1);
      // The retry learnt the MessageId from DIV's notification: nothing was sent again.
      expect(all[0]).toMatchObject({ messageId: second.providerMessageId, sendCalls: 1 });
    } finally {
      sender.now = () => new Date();
    }
  });

  it('records as delivered what DIV notifies as delivered', async () => {
    const m = await enqueue();
    expect((await send(m.id)).status).toBe('sent');
    await h.app.get(DeliverySender).refreshSent();
    const row = await h.app.get(OutboxService).get(municipalityId, m.id);
    expect(row.status).toBe('delivered');
    expect(row.deliveredAt).not.toBeNull();
  });
});
