import { randomUUID } from 'node:crypto';
import { ServiceStatusView } from '../../../src/cases/service-status/service-status.view';
import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { OutboxService } from '../../../src/delivery/outbox.service';
import { PsppHttpAdapter } from '../../../src/integrations/pspp/pspp-http.adapter';
import { SERVICE_STATUS_PORT } from '../../../src/integrations/pspp/service-status.port';
import type { StoredReport } from '../../../src/integrations/pspp/stand-in/stand-in.server';
import { csrfIn } from '../auth/auth-support';
import { createMunicipality } from '../../factories/municipalities';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { eventually } from '../../support/engine-harness';
import { startPsppStandIn, type RunningPsppStandIn } from '../../support/pspp-stand-in';
import { signInCitizen, signInStaff, type Session } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

/**
 * The shipped app with PSPP_MODE=http pointed at the services-platform stand-in process over
 * HTTPS (test CA, bearer token): every case reports its status changes through the outbox.
 */
let standIn: RunningPsppStandIn;
let h: ResidenceHarness;
let staff: Session;

beforeAll(async () => {
  standIn = await startPsppStandIn();
  h = await startResidenceApp({
    ...standIn.appEnv,
    PSPP_TIMEOUT_MS: '1500',
    DELIVERY_BACKOFF_BASE_MS: '40',
    DELIVERY_BACKOFF_MAX_MS: '200',
  });
  staff = await signInStaff(h.running.app, h.municipalityId, [
    { role: 'caseworker', process: 'residence-declaration' },
  ]);
});
afterAll(async () => {
  await h?.close();
  await standIn?.stop();
});

const sender = () => h.running.app.get(DeliverySender);
const caseNumber = async (caseId: string) => (await h.cases.get(h.municipalityId, caseId)).number;
const statusRows = (caseId: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(OutboxMessage, {
      where: { caseId, channel: 'portal_status' },
      order: { createdAt: 'ASC' },
    }),
  );
/** Sends what is due (the poller's round) and asks the e-address about delivery, until `n` reports of the case arrived. */
const reportsArrive = (number: string, n: number): Promise<StoredReport[]> =>
  eventually(
    async () => {
      await sender().dispatchDue();
      await sender().refreshSent();
      const got = await standIn.reports(number);
      return got.length >= n ? got : null;
    },
    30_000,
    `${n} status reports of ${number}`,
  );
const declare = (applicantCode: string, addressCode: string, basis = 'lease') =>
  h.residence.submitDeclaration({
    municipalityId: h.municipalityId,
    submissionKey: randomUUID(),
    channel: 'online',
    applicantCode,
    personCodes: [applicantCode],
    addressCode,
    basis,
    enteredBy: 'citizen-account',
  });

describe('service status reporting to the services platform (PSPP stand-in over HTTPS)', () => {
  it('the app builds the HTTP adapter from its configuration', () => {
    expect(h.running.app.get(SERVICE_STATUS_PORT)).toBeInstanceOf(PsppHttpAdapter);
  });

  it("reports a residence declaration's statuses in order, with the service code, channel, result and idempotency keys", async () => {
    const owner = await h.sim.person('1951-03-03');
    const me = await h.sim.person('1991-07-07');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const { caseId } = await declare(me, flat.code);
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
    await h.residence.supplyDocuments(h.municipalityId, caseId, me, 'citizen', [
      {
        originalname: 'lease.pdf',
        mimetype: 'application/pdf',
        size: 20,
        buffer: Buffer.from('%PDF-1.4\n%test lease\n'),
      },
    ]);
    await h.tasks.complete(h.caseworker, (await h.openTask(caseId, 'review:2')).id, {
      outcome: 'approve',
    });
    await h.finished(caseId);
    const number = await caseNumber(caseId);
    const got = await reportsArrive(number, 4);

    expect(got.map((r) => r.report.status)).toEqual([
      'registered',
      'info_requested',
      'decided',
      'result_delivered',
    ]);
    expect(got.map((r) => r.report.sequence)).toEqual([1, 2, 3, 4]);
    for (const r of got) {
      expect(r.report).toMatchObject({
        serviceCode: 'DZV-DEKLARACIJA',
        caseNumber: number,
        provider: { registrationNumber: '90000012345' },
      });
      expect(r.requests).toBe(1);
    }
    expect(got[0].report.channel).toBe('e_service');
    expect(got[2].report.result).toBe('granted');
    expect(got.map((r) => r.idempotencyKey)).toEqual([
      `pspp:${caseId}:registered:opened`,
      expect.stringMatching(new RegExp(`^pspp:${caseId}:info_requested:\\d{4}-`)),
      `pspp:${caseId}:decided:case.decided`,
      `pspp:${caseId}:result_delivered:result`,
    ]);
    const times = got.map((r) => Date.parse(r.report.occurredAt));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // The outbox rows are sent, each with the platform's receipt.
    const rows = await statusRows(caseId);
    expect(rows.map((m) => [m.status, m.purpose, m.attempts])).toEqual(
      Array(4).fill(['sent', 'status', 1]),
    );
    expect(rows.map((m) => m.providerMessageId)).toEqual(got.map((r) => r.id));

    // Staff see each report's state on the case page.
    const page = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(page.text).toContain('data-testid="status-reports"');
    expect(page.text.match(/data-state="sent"/g)).toHaveLength(4);
    expect(page.text).toContain('More information requested');
  });

  it('a refused declaration reports "decided: refused"', async () => {
    const owner = await h.sim.person('1952-04-04');
    const me = await h.sim.person('1992-09-09');
    const flat = await h.sim.apartment([{ code: owner, name: 'Owner' }]);
    const { caseId } = await declare(me, flat.code);
    await h.tasks.complete(h.caseworker, (await h.openTask(caseId, 'review:1')).id, {
      outcome: 'reject',
      reason: 'No lease shown',
    });
    await h.finished(caseId);
    const got = await reportsArrive(await caseNumber(caseId), 3);
    expect(got.map((r) => [r.report.status, r.report.result ?? null])).toEqual([
      ['registered', null],
      ['decided', 'refused'],
      ['result_delivered', null],
    ]);
  });

  it('a platform failing (lost reply, then 503) and recovering gets each report once, in order; the retry carries the same key', async () => {
    await standIn.fault({ kind: 'dropResponse', times: 1 });
    await standIn.fault({ kind: 'status', status: 503, times: 1 });
    const before = await standIn.stats();
    const me = await h.sim.person('1986-06-06');
    const flat = await h.sim.apartment([{ code: me, name: 'Me' }]);
    const { caseId } = await declare(me, flat.code, 'ownership');
    const number = await caseNumber(caseId);

    // The first report was stored but its reply lost: the outbox says "will retry", staff see it pending.
    const failed = await eventually(
      async () => {
        const [m] = await statusRows(caseId);
        return m?.status === 'failed' ? m : null;
      },
      20_000,
      'first report failed',
    );
    expect(failed.lastError).toMatch(/PSPP unreachable/);
    const pending = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(pending.text).toMatch(/data-status="registered" data-state="pending"/);
    expect(pending.text).toContain('Pending');

    await h.finished(caseId);
    const got = await reportsArrive(number, 3);
    await eventually(
      async () => (await statusRows(caseId)).every((m) => m.status === 'sent'),
      20_000,
      'every report sent',
    );
    expect(got.map((r) => r.report.status)).toEqual(['registered', 'decided', 'result_delivered']);
    // Stored (reply lost), refused with 503 before the key was looked at, then answered as a duplicate.
    expect(got[0].requests).toBe(2);
    expect(got.slice(1).map((r) => r.requests)).toEqual([1, 1]);
    const after = await standIn.stats();
    expect(after.stored - before.stored).toBe(3);
    expect(after.duplicates - before.duplicates).toBe(1);
    const [registered] = await statusRows(caseId);
    expect(registered).toMatchObject({ status: 'sent', providerMessageId: got[0].id });
    expect(registered.receipt).toMatchObject({ duplicate: true, receiptId: got[0].id });
    expect(registered.attempts).toBe(3);
  });

  it('a report waiting for an earlier one of its case does not use up its attempts; it is sent once the earlier one is', async () => {
    const caseId = randomUUID();
    const number = `WAIT-${caseId.slice(0, 8)}`;
    const report = (sequence: number, status: string) =>
      JSON.stringify({
        provider: { registrationNumber: '90000012345', code: 'test', name: 'Test' },
        serviceCode: 'DZV-DEKLARACIJA',
        caseNumber: number,
        status,
        sequence,
        occurredAt: new Date().toISOString(),
        ...(status === 'registered' ? { channel: 'e_service' } : { result: 'granted' }),
      });
    const [first, second] = await h.tenantDb.run(h.municipalityId, async (em) => {
      const write = (sequence: number, status: string) =>
        h.running.app.get(OutboxService).enqueue(em, {
          municipalityId: h.municipalityId,
          caseId,
          channel: 'portal_status',
          purpose: 'status',
          recipient: 'DZV-DEKLARACIJA',
          subject: status,
          body: report(sequence, status),
          idempotencyKey: `pspp:${caseId}:${status}`,
        });
      return [(await write(1, 'registered')).message, (await write(2, 'decided')).message];
    });
    // More tries than it has attempts, all while the earlier report is unsent.
    for (let k = 0; k <= second.maxAttempts; k++)
      expect(await sender().send(h.municipalityId, second.id)).toMatchObject({
        status: 'pending',
        attempts: 0,
        nextAttemptAt: expect.any(String),
      });
    expect(await standIn.reports(number)).toEqual([]);

    expect(await sender().send(h.municipalityId, first.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
    expect(await sender().send(h.municipalityId, second.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
    });
    expect((await standIn.reports(number)).map((r) => r.report.sequence)).toEqual([1, 2]);
  });

  it('the resident sees the same status history on their case page, dated, in lv, en and el; another municipality and another resident do not', async () => {
    await seedDevResidents(h);
    const flat = await h.sim.apartment([{ code: await h.sim.person('1949-01-01'), name: 'O' }]);
    const b = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const form = await (await b.get('/residence/declare?lang=en')).text();
    const submitted = await b.postForm('/residence/declare', {
      _csrf: csrfIn(form),
      submissionKey: /name="submissionKey" value="([^"]+)"/.exec(form)![1],
      includeSelf: 'yes',
      addressCode: flat.code,
      basis: 'lease',
      basisNote: 'Lease from July',
    });
    expect(submitted.status).toBe(303);
    const caseId = submitted.headers.get('location')!.split('/').pop()!;
    const task = await h.openTask(caseId, 'review:1');
    await h.tasks.complete(h.caseworker, task.id, {
      outcome: 'request-documents',
      documentsRequested: 'The lease contract',
    });
    await reportsArrive(await caseNumber(caseId), 2);

    const history = (html: string) =>
      html.split('data-testid="service-status-history"')[1]?.split('</ol>')[0] ?? '';
    const en = history(await (await b.get(`/residence/cases/${caseId}?lang=en`)).text());
    expect(en).toContain('Request registered');
    expect(en).toContain('e-service');
    expect(en).toContain('More information requested');
    expect(en.indexOf('Request registered')).toBeLessThan(en.indexOf('More information'));
    expect(en.match(/data-testid="service-status-date">\d{1,2} [A-Z][a-z]{2} \d{4}/g)).toHaveLength(
      2,
    );
    const lv = history(await (await b.get(`/residence/cases/${caseId}?lang=lv`)).text());
    expect(lv).toContain('Pieteikums reģistrēts');
    expect(lv).toContain('Pieprasīta papildu informācija');
    const el = history(await (await b.get(`/residence/cases/${caseId}?lang=el`)).text());
    expect(el).toContain('Η αίτηση καταχωρίστηκε');
    expect(el).toContain('Ζητήθηκαν περισσότερες πληροφορίες');

    // Another resident of the same municipality, and the same person signed in to another municipality: not found.
    const other = await signInCitizen(h.running.url, h.municipalityId, '220790-14568');
    for (const path of [`/residence/cases/${caseId}?lang=en`, `/my-cases/${caseId}?lang=en`]) {
      const res = await other.get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('service-status-history');
    }
    const elsewhere = await createMunicipality(h.owner, { registrationNumber: '90000054321' });
    const abroad = await signInCitizen(h.running.url, elsewhere.id, DEV_CITIZEN.code);
    for (const path of [`/residence/cases/${caseId}?lang=en`, `/my-cases/${caseId}?lang=en`]) {
      const res = await abroad.get(path);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('Request registered');
    }
    // Row-level security: the other municipality's transaction sees no status of this case.
    expect(await h.running.app.get(ServiceStatusView).history(elsewhere.id, caseId)).toEqual([]);
  });
});
