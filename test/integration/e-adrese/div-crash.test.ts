import { rmSync } from 'node:fs';
import { CaseService } from '../../../src/cases/case.service';
import { OutboxService } from '../../../src/delivery/outbox.service';
import type { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import type { StoredMessage } from '../../../src/integrations/e-adrese/stand-in/stand-in.store';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { openReferenceCase } from '../../factories/cases';
import { buildApp, startBuiltApp, stopChild, type RunningApp } from '../../support/built-app';
import { startDivStandIn, type RunningStandIn } from '../../support/div-stand-in';
import { bootHarness, createSealedMunicipality, type Harness } from '../delivery/support';

jest.setTimeout(300_000);

/** Polls `probe` until it returns a value (not undefined) or `ms` pass. */
async function eventually<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  what: string,
  detail: () => Promise<string> | string = () => '',
) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${await detail()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * The app (its build, `src/main.js`, as a child process) is killed with SIGKILL after DIV has
 * registered a message and before the outbox has recorded it as sent. DIV is the stand-in set to
 * register a repeated sender reference as a new message (the real DIV's behaviour there is not
 * documented), so only the adapter can keep the restart from sending the message twice.
 */
describe('DIV delivery across an app crash between "DIV registered it" and "the outbox recorded it"', () => {
  let standIn: RunningStandIn;
  let h: Harness;
  let outDir: string;
  const apps: RunningApp[] = [];

  beforeAll(async () => {
    standIn = await startDivStandIn();
    await standIn.control('POST', '/_control/behaviour', { repeatedSenderRef: 'new' });
    outDir = buildApp('div-crash');
    // The in-test app only prepares data (its outbox poller is off); the child processes send.
    h = await bootHarness();
  });
  afterAll(async () => {
    for (const a of apps) await stopChild(a.child);
    await h?.close();
    await standIn?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const appEnv = (overrides: Record<string, string>): Record<string, string> => ({
    EADRESE_MODE: 'div',
    EADRESE_ENDPOINT: standIn.endpoint,
    EADRESE_CERT_P12: standIn.pki.clientP12,
    EADRESE_CERT_PASSWORD: standIn.pki.p12Password,
    EADRESE_SERVER_CA: standIn.pki.caCert,
    DELIVERY_POLL_MS: '200',
    DELIVERY_BACKOFF_BASE_MS: '200',
    DELIVERY_BACKOFF_MAX_MS: '1000',
    DELIVERY_MAX_ATTEMPTS: '8',
    ...overrides,
  });

  it('sends the message once after the restart, and its delivery notification still reaches the case', async () => {
    const municipalityId = await createSealedMunicipality(h.ds);
    const kase = await openReferenceCase(h.app, municipalityId, { title: 'Crash test' });
    const doc = await h.issueDocument(municipalityId, kase.caseId);
    const key = `crash-${kase.number}:notice`;
    const message = await h.app.get(TenantDb).run(municipalityId, async (em) => {
      const r = await h.app.get(OutboxService).enqueue(em, {
        municipalityId,
        caseId: kase.caseId,
        channel: 'e_address',
        recipient: '010190-12345',
        subject: 'Lēmums',
        body: 'Lēmums pielikumā.',
        idempotencyKey: key,
        attachments: [doc.id],
      });
      return r.message;
    });
    const stored = async (): Promise<StoredMessage[]> =>
      (await standIn.control<StoredMessage[]>('GET', '/_control/messages')).filter(
        (m) => m.senderRef === key,
      );
    const row = (): Promise<OutboxMessage> =>
      h.app.get(OutboxService).get(municipalityId, message.id);

    // DIV registers the message and its reply is held: the app waits on it, and dies there.
    await standIn.control('POST', '/_control/faults', {
      operation: 'SendMessage',
      kind: 'hold',
      times: 1,
    });
    const first = await startBuiltApp(
      outDir,
      appEnv({ EADRESE_TIMEOUT_MS: '120000', DELIVERY_SEND_TIMEOUT_MS: '150000' }),
    );
    apps.push(first);
    const [registered] = await eventually(
      async () => ((await stored()).length ? stored() : undefined),
      60_000,
      'DIV to register the message',
      () => first.output().slice(-4000),
    );
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    expect(await row()).toMatchObject({ status: 'sending', attempts: 1, providerMessageId: null });

    // The restarted app takes the row over once the dead attempt's lease (2 × send timeout) runs out.
    const second = await startBuiltApp(outDir, appEnv({ DELIVERY_SEND_TIMEOUT_MS: '5000' }));
    apps.push(second);
    const delivered = await eventually(
      async () => {
        const r = await row();
        return r.status === 'delivered' ? r : undefined;
      },
      90_000,
      'the outbox row to be delivered',
      async () => `${JSON.stringify(await row())}\n${second.output().slice(-4000)}`,
    );

    expect(await stored()).toEqual([
      expect.objectContaining({ messageId: registered.messageId, sendCalls: 1 }),
    ]);
    expect(delivered).toMatchObject({
      providerMessageId: registered.messageId,
      receipt: expect.objectContaining({ messageId: registered.messageId }),
    });
    expect(delivered.deliveredAt).not.toBeNull();
    const kinds = (await h.app.get(CaseService).timeline(municipalityId, kase.caseId)).map(
      (e) => e.kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['delivery.sent', 'delivery.delivered']));
    await stopChild(second.child);
  });
});
