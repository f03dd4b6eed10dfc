import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Task } from '../../../src/cases/task.entity';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import type { SchedulePaymentRequest } from '../../../src/payments/payment-input';
import { endToEndIdOf } from '../../../src/payments/payment-files.service';
import { PaymentLine } from '../../../src/payments/payment-line.entity';
import { PAIN001_XSD, validateXml } from '../../../src/payments/payment-schema';
import { PaymentsService } from '../../../src/payments/payments.service';
import { ProcessRegistry } from '../../../src/processes/process-registry';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { openReferenceCase } from '../../factories/cases';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(300_000);

let running: RunningApp;
beforeAll(async () => {
  running = await startApp({ DELIVERY_POLL_MS: '0' });
});
afterAll(() => running?.close());

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'payments');
const acts = () =>
  running.app.get(ProcessRegistry).activities() as unknown as {
    schedulePayment(r: SchedulePaymentRequest): Promise<{ lineId: string; created: boolean }>;
    cancelPayment(r: { municipalityId: string; caseId: string; key: string }): Promise<unknown>;
  };
const service = () => running.app.get(PaymentsService);

async function municipalityWithAccount() {
  const m = await createMunicipality(running.app, { registrationNumber: '90000050138' });
  await service().saveSettings(m.id, {
    debtorIban: 'LV83BANK0000100000001',
    debtorBic: 'BANKLV2X',
    ekkCode: '6240',
  });
  return m;
}

const payment = (
  municipalityId: string,
  caseId: string,
  key: string,
  over: Partial<SchedulePaymentRequest> = {},
): SchedulePaymentRequest => ({
  municipalityId,
  caseId,
  key,
  payee: { kind: 'resident', name: 'Jānis Paraugs', iban: 'LV80 BANK 0000 4351 9500 1' },
  amountCents: 18700,
  dueMonth: '2026-03',
  remittance: 'GMI 2026-03',
  purposeCode: 'BENE',
  ...over,
});

/** A pain.002 like the reference sample, about our run and lines. */
function statusReport(
  msgId: string,
  runMsgId: string,
  txs: { lineId: string; status: string; reason?: string }[],
): string {
  const tx = txs
    .map(
      (t) =>
        `<TxInfAndSts><OrgnlEndToEndId>${endToEndIdOf(t.lineId)}</OrgnlEndToEndId><TxSts>${t.status}</TxSts>${
          t.reason
            ? `<StsRsnInf><Rsn><Cd>${t.reason}</Cd></Rsn><AddtlInf>Creditor account closed</AddtlInf></StsRsnInf>`
            : ''
        }</TxInfAndSts>`,
    )
    .join('');
  return readFileSync(join(FIXTURES, 'sample-pain.002.xml'), 'utf8')
    .replace('STS-20260302-0001', msgId)
    .replace('MSG-20260301-0001', runMsgId)
    .replace('<GrpSts>RJCT</GrpSts>', '<GrpSts>PART</GrpSts>')
    .replace('<PmtInfSts>RJCT</PmtInfSts>', '<PmtInfSts>PART</PmtInfSts>')
    .replace(/<TxInfAndSts>[\s\S]*<\/TxInfAndSts>/, tx);
}

const upload = (s: Session, xml: string) =>
  s.agent
    .post(`/workspace/payments/status-reports?_csrf=${encodeURIComponent(s.csrf)}&lang=en`)
    .attach('file', Buffer.from(xml), 'report.xml');

describe('scheduling payments (activities schedulePayment, cancelPayment)', () => {
  it('records a line once per (case, key), checks the IBAN field by field, and keeps it to its municipality', async () => {
    const m = await municipalityWithAccount();
    const other = await municipalityWithAccount();
    const c = await openReferenceCase(running.app, m.id);
    const first = await acts().schedulePayment(payment(m.id, c.caseId, 'gmi:2026-03'));
    const again = await acts().schedulePayment(payment(m.id, c.caseId, 'gmi:2026-03'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ ...first, created: false });
    await expect(
      acts().schedulePayment(payment(m.id, c.caseId, 'gmi:2026-03', { amountCents: 1 })),
    ).rejects.toMatchObject({ code: ErrorCode.Conflict });
    const bad = await acts()
      .schedulePayment(
        payment(m.id, c.caseId, 'gmi:2026-04', {
          payee: { kind: 'resident', name: 'X', iban: 'LV81BANK0000435195001' },
        }),
      )
      .catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(DomainError);
    expect((bad as DomainError).fields).toEqual([
      { field: 'payee.iban', message: 'payments:errors.ibanCheckDigits' },
    ]);
    const tenantDb = running.app.get(TenantDb);
    const mine = await tenantDb.run(m.id, (em) =>
      em.find(PaymentLine, { where: { caseId: c.caseId } }),
    );
    expect(mine.map((l) => [l.key, l.payeeIban, l.amountCents])).toEqual([
      ['gmi:2026-03', 'LV80BANK0000435195001', 18700],
    ]);
    // Row-level security: another municipality's transaction sees none of it.
    expect(
      await tenantDb.run(other.id, (em) => em.count(PaymentLine, { where: { caseId: c.caseId } })),
    ).toBe(0);
    // A line no run holds can be withdrawn (twice is fine) and is not paid.
    await acts().cancelPayment({ municipalityId: m.id, caseId: c.caseId, key: 'gmi:2026-03' });
    await acts().cancelPayment({ municipalityId: m.id, caseId: c.caseId, key: 'gmi:2026-03' });
    await expect(service().startRun(m.id, 'test', { month: '2026-03' })).rejects.toMatchObject({
      fields: [{ field: 'month', message: 'payments:errors.nothingDue' }],
    });
  });
});

describe('the monthly payment run', () => {
  it('started twice at the same moment makes one run; repeated, it pays no line twice', async () => {
    const m = await municipalityWithAccount();
    const c1 = await openReferenceCase(running.app, m.id);
    const c2 = await openReferenceCase(running.app, m.id);
    await acts().schedulePayment(payment(m.id, c1.caseId, 'gmi:2026-02', { dueMonth: '2026-02' }));
    await acts().schedulePayment(payment(m.id, c1.caseId, 'gmi:2026-03'));
    await acts().schedulePayment(
      payment(m.id, c2.caseId, 'housing:2026-03', {
        payee: { kind: 'provider', name: 'Tukuma Ūdens SIA', iban: 'LV97HABA0012345678910' },
        amountCents: 4550,
        remittance: 'Rēķins Nr. 2026/0315',
      }),
    );
    await acts().schedulePayment(payment(m.id, c2.caseId, 'gmi:2026-04', { dueMonth: '2026-04' }));

    const [a, b] = await Promise.all([
      service().startRun(m.id, 'test-a', { month: '2026-03' }),
      service().startRun(m.id, 'test-b', { month: '2026-03' }),
    ]);
    expect(a.run.id).toBe(b.run.id);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(a.run.lineCount).toBe(3);
    expect(a.run.totalCents).toBe(String(18700 + 18700 + 4550));

    // Scheduled after the run: waits for the next month's run; the same month again returns the same run.
    await acts().schedulePayment(payment(m.id, c2.caseId, 'gmi:2026-03-late'));
    const repeat = await service().startRun(m.id, 'test-c', { month: '2026-03' });
    expect(repeat).toMatchObject({ created: false, run: { id: a.run.id, lineCount: 3 } });
    const april = await service().startRun(m.id, 'test-d', { month: '2026-04' });
    expect(april.run.lineCount).toBe(2);

    const counts = (await running.app
      .get(TenantDb)
      .run(m.id, (em) =>
        em.query(
          `SELECT count(*)::int AS lines, count(DISTINCT id)::int AS distinct_lines, count(run_id)::int AS in_runs FROM payment_lines`,
        ),
      )) as { lines: number; distinct_lines: number; in_runs: number }[];
    expect(counts[0]).toEqual({ lines: 5, distinct_lines: 5, in_runs: 5 });
  });

  it('offers a pain.001 valid against the official schema with the right totals, and the accounting CSV', async () => {
    const m = await municipalityWithAccount();
    const c = await openReferenceCase(running.app, m.id);
    const { lineId } = await acts().schedulePayment(payment(m.id, c.caseId, 'gmi:2026-03'));
    await acts().schedulePayment(
      payment(m.id, c.caseId, 'housing:2026-03', {
        payee: { kind: 'provider', name: 'Jürgen Müller GmbH', iban: 'DE89370400440532013000' },
        amountCents: 4550,
      }),
    );
    const manager = await signInStaff(running.app, m.id, ['manager']);
    const bad = await manager.agent
      .post('/workspace/payments/runs?lang=en')
      .type('form')
      .send({ _csrf: manager.csrf, month: '2026-3' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Enter the month as year-month, e.g. 2026-03');
    const lv = await manager.agent
      .post('/workspace/payments/runs?lang=lv')
      .type('form')
      .send({ _csrf: manager.csrf, month: '2026-3' });
    expect(lv.text).toContain('Ievadiet mēnesi formā gads-mēnesis');
    expect(
      await running.app
        .get(DataSource)
        .query(`SELECT 1 FROM payment_runs WHERE municipality_id = $1`, [m.id]),
    ).toEqual([]);

    const made = await manager.agent
      .post('/workspace/payments/runs?lang=en')
      .type('form')
      .send({ _csrf: manager.csrf, month: '2026-03' });
    expect(made.status).toBe(303);
    const runPath = made.headers.location.split('?')[0];
    const page = await manager.agent.get(`${runPath}?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Jānis Paraugs');

    const xml = await manager.agent
      .get(`${runPath}/pain001`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xml.status).toBe(200);
    const body = (xml.body as Buffer).toString('utf8');
    const dir = mkdtempSync(join(tmpdir(), 'pain001-test-'));
    try {
      writeFileSync(join(dir, 'run.xml'), body);
      expect(await validateXml(PAIN001_XSD, { file: join(dir, 'run.xml') })).toEqual({
        valid: true,
        errors: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(body.match(/<NbOfTxs>2<\/NbOfTxs>/g)).toHaveLength(2);
    expect(body.match(/<CtrlSum>232.50<\/CtrlSum>/g)).toHaveLength(2);
    expect(body).toContain(`<EndToEndId>${endToEndIdOf(lineId)}</EndToEndId>`);
    expect(body).toContain('<IBAN>LV83BANK0000100000001</IBAN>');
    expect(body).toContain('<Nm>Jurgen Muller GmbH</Nm>');
    // The same run downloads as the same file (stable identifiers).
    const again = await manager.agent
      .get(`${runPath}/pain001`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect((again.body as Buffer).toString('utf8')).toBe(body);

    const csv = await manager.agent.get(`${runPath}/csv`);
    expect(csv.status).toBe(200);
    const rows = csv.text.trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(/^msg_id,end_to_end_id,case_number,/);
    expect(csv.text).toContain(
      `${endToEndIdOf(lineId)},${c.number},resident,Jānis Paraugs,LV80BANK0000435195001,,187.00,18700,2026-03,BENE`,
    );

    // Staff without the manager role, and managers of another municipality, get nothing.
    const caseworker = await signInStaff(running.app, m.id, ['caseworker']);
    expect((await caseworker.agent.get(runPath)).status).toBe(403);
    const other = await createMunicipality(running.app);
    const managerB = await signInStaff(running.app, other.id, ['manager']);
    expect((await managerB.agent.get(runPath)).status).toBe(404);
    expect((await managerB.agent.get(`${runPath}/pain001`)).status).toBe(404);
  });
});

describe('bank status reports (pain.002)', () => {
  it('marks a line rejected with AC04 and opens the caseworker task; the same report again changes nothing; re-issue fixes it', async () => {
    const m = await municipalityWithAccount();
    const c = await openReferenceCase(running.app, m.id);
    const rejected = await acts().schedulePayment(payment(m.id, c.caseId, 'gmi:2026-03'));
    const paid = await acts().schedulePayment(
      payment(m.id, c.caseId, 'gmi:2026-03b', { amountCents: 100 }),
    );
    const { run } = await service().startRun(m.id, 'test', { month: '2026-03' });
    const manager = await signInStaff(running.app, m.id, ['manager']);

    const broken = await upload(manager, '<Document><nope/></Document>');
    expect(broken.status).toBe(422);
    expect(broken.text).toContain('This is not a valid pain.002.001.03 status report');

    const report = statusReport('STS-1', run.msgId, [
      { lineId: rejected.lineId, status: 'RJCT', reason: 'AC04' },
      { lineId: paid.lineId, status: 'ACSC' },
    ]);
    const first = await upload(manager, report);
    expect(first.status).toBe(303);
    expect(first.headers.location).toContain('done=reportImported');

    const tenantDb = running.app.get(TenantDb);
    const state = () =>
      tenantDb.run(m.id, async (em) => ({
        lines: (
          await em.find(PaymentLine, { where: { caseId: c.caseId }, order: { key: 'ASC' } })
        ).map((l) => [l.key, l.status, l.statusReason]),
        tasks: (
          await em.find(Task, { where: { caseId: c.caseId, formKey: 'payments.reissue' } })
        ).map((t) => [t.title, t.role, t.status]),
      }));
    const after = await state();
    expect(after).toEqual({
      lines: [
        ['gmi:2026-03', 'rejected', 'AC04'],
        ['gmi:2026-03b', 'paid', null],
      ],
      tasks: [['payments:task.rejected', 'caseworker', 'open']],
    });
    const runPage = await manager.agent.get(`/workspace/payments/runs/${run.id}?lang=en`);
    expect(runPage.text).toContain('AC04: account closed');
    const lvPage = await manager.agent.get(`/workspace/payments/runs/${run.id}?lang=lv`);
    expect(lvPage.text).toContain('AC04: konts slēgts');

    const repeat = await upload(manager, report);
    expect(repeat.headers.location).toContain('done=reportRepeated');
    expect(await state()).toEqual(after);

    // The caseworker fixes the account: a wrong IBAN is refused field by field, a right one re-issues.
    const caseworker = await signInStaff(running.app, m.id, ['caseworker']);
    const casePage = await caseworker.agent.get(`/workspace/cases/${c.caseId}?lang=en`);
    expect(casePage.status).toBe(200);
    expect(casePage.text).toContain('Payment rejected: fix the account and re-issue');
    expect(casePage.text).toContain('Payment rejected by the bank');
    const linePage = await caseworker.agent.get(
      `/workspace/payments/lines/${rejected.lineId}?lang=el`,
    );
    expect(linePage.status).toBe(200);
    expect(linePage.text).toContain('AC04: ο λογαριασμός έχει κλείσει');
    const wrong = await caseworker.agent
      .post(`/workspace/payments/lines/${rejected.lineId}/reissue?lang=en`)
      .type('form')
      .send({ _csrf: caseworker.csrf, iban: 'LV80BANK000043519500' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('An IBAN of LV has 21 characters');
    expect(await state()).toEqual(after);
    const fixed = await caseworker.agent
      .post(`/workspace/payments/lines/${rejected.lineId}/reissue?lang=en`)
      .type('form')
      .send({ _csrf: caseworker.csrf, iban: 'LV97HABA0012345678910' });
    expect(fixed.status).toBe(303);
    const done = await state();
    expect(done.lines).toEqual([
      ['gmi:2026-03', 'reissued', 'AC04'],
      ['gmi:2026-03/r1', 'scheduled', null],
      ['gmi:2026-03b', 'paid', null],
    ]);
    expect(done.tasks).toEqual([['payments:task.rejected', 'caseworker', 'completed']]);
    const again = await caseworker.agent
      .post(`/workspace/payments/lines/${rejected.lineId}/reissue?lang=en`)
      .type('form')
      .send({ _csrf: caseworker.csrf, iban: 'LV97HABA0012345678910' });
    expect(again.status).toBe(409);
  });
});
