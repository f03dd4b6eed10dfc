import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SocialAssistanceApplication } from '../../../src/modules/social-assistance/application/application.entity';
import { SocialAssistanceApplicationService } from '../../../src/modules/social-assistance/application/application.service';
import { SocialAssistanceStatsService } from '../../../src/modules/social-assistance/statistics/social-assistance-stats.service';
import { PAIN001_XSD, validateXml } from '../../../src/payments/payment-schema';
import { PaymentsService } from '../../../src/payments/payments.service';
import { submitApplication } from '../../factories/social-assistance-applications';
import { eventually } from '../../support/engine-harness';
import { DEV_CITIZEN, seedDevResidents } from '../../support/dev-citizen';
import { signInCitizen, signInStaff } from '../../support/session';
import { startResidenceApp, type ResidenceHarness } from '../../workflows/residence/harness';

jest.setTimeout(240_000);

/**
 * Issue 15 items 6–7: a housing benefit paid straight to the utility provider (payee per line,
 * bill reference), granted to a household that holds no needy / low-income status. The shipped
 * assembly (DBOS engine, register simulators, payments) with the controllable clock: the award
 * is written with status `none` and the provider as the housing payee, the monthly line names the
 * provider as creditor with the bill reference as remittance, and the month's pain.001 is valid
 * against the ISO schema.
 */
let h: ResidenceHarness;
const RESIDENT_IBAN = 'LV80BANK0000435195001';
const PROVIDER_IBAN = 'LV92HABA0551020304050';
const BILL = 'SIL-2026-0042';
const ACCOUNT = randomUUID();

beforeAll(async () => {
  h = await startResidenceApp();
  await seedDevResidents(h);
});
afterAll(() => h?.close());

const q = <T>(sql: string, params: unknown[] = []) =>
  h.tenantDb.run(h.municipalityId, (em) => em.query(sql, params) as Promise<T[]>);

/**
 * One working-age person earning 450 EUR a month (above the needy threshold 425 and the default
 * low-income threshold, so no status) with 300 EUR of heating: housing benefit = K × 187 + 300 −
 * 450 > 0 for every K in force in 2026 (1.3 to 1.7).
 */
async function submitHousingOnly(): Promise<SocialAssistanceApplication> {
  const code = DEV_CITIZEN.code;
  return submitApplication(
    h.running.app,
    {
      municipalityId: h.municipalityId,
      accountId: ACCOUNT,
      applicant: { code, given: 'Jānis', family: 'Bērziņš', birthDate: '1965-01-29' },
      data: (draft) => ({
        regularIncomes: [
          {
            member: code,
            type: 'wages',
            months: Object.fromEntries(draft.incomeMonths.map((m) => [m, 450_00])),
          },
        ],
        housingCosts: [
          {
            kind: 'heating',
            amountCents: 300_00,
            payee: 'Tukuma siltums',
            iban: PROVIDER_IBAN,
            reference: BILL,
          },
        ],
        housingPaidTo: 'heating',
        benefits: ['housing-benefit'],
        paymentAccount: RESIDENT_IBAN,
      }),
    },
    async (draft) => {
      const pdf = Buffer.from('%PDF-1.4\n%%EOF\n');
      await h.running.app.get(SocialAssistanceApplicationService).addBills(
        draft,
        [
          {
            originalname: 'rekins.pdf',
            mimetype: 'application/pdf',
            size: pdf.length,
            buffer: pdf,
          },
        ],
        'heating',
        ACCOUNT,
      );
    },
  );
}

describe('social assistance: housing benefit alone, paid to the provider', () => {
  let caseId: string;

  it('shows the caseworker who is to be paid; the grant writes an award without status whose housing payee is the provider', async () => {
    const app = await submitHousingOnly();
    caseId = app.caseId!;
    const task = await h.openTask(caseId, 'review:1');
    const [a] = await q<{ result: { status: string; housingBenefitCents: number } }>(
      `SELECT result FROM social_assistance_assessments WHERE case_id = $1`,
      [caseId],
    );
    expect(a.result.status).toBe('none');
    expect(a.result.housingBenefitCents).toBeGreaterThan(0);

    const staff = await signInStaff(h.running.app, h.municipalityId, [
      { role: 'caseworker', process: 'social-assistance' },
    ]);
    const review = await staff.agent.get(`/workspace/tasks/${task.id}?lang=en`).expect(200);
    expect(review.text).toContain('Who is paid the housing benefit');
    expect(review.text).toContain(`Tukuma siltums · ${PROVIDER_IBAN} · ${BILL}`);

    await h.tasks.complete(h.caseworker, task.id, { outcome: 'approve' });
    const award = await eventually(
      async () =>
        (
          await q<{ status: string; state: string; valid_from: string; valid_until: string }>(
            `SELECT status, state, valid_from::text, valid_until::text FROM social_assistance_awards WHERE case_id = $1`,
            [caseId],
          )
        )[0] ?? null,
      60_000,
      'award',
    );
    expect(award).toMatchObject({ status: 'none', state: 'active' });
    const amounts = await q<{
      benefit: string;
      monthly_cents: number;
      payee_kind: string;
      payee_name: string;
      payee_iban: string;
      payee_reference: string | null;
    }>(
      `SELECT benefit, monthly_cents, payee_kind, payee_name, payee_iban, payee_reference FROM social_assistance_award_amounts WHERE case_id = $1`,
      [caseId],
    );
    expect(amounts).toEqual([
      {
        benefit: 'housing',
        monthly_cents: a.result.housingBenefitCents,
        payee_kind: 'provider',
        payee_name: 'Tukuma siltums',
        payee_iban: PROVIDER_IBAN,
        payee_reference: BILL,
      },
    ]);
    // No status was granted: the property-tax department is told nothing.
    expect(
      await q(
        `SELECT 1 FROM outbox_messages WHERE case_id = $1 AND channel = 'property_tax_status'`,
        [caseId],
      ),
    ).toEqual([]);
    const casePage = await staff.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    expect(casePage.text).toContain(`Tukuma siltums, ${PROVIDER_IBAN} (${BILL})`);
  });

  it('pays the month to the provider with the bill reference; the payment file names the provider as creditor and is valid against the ISO schema', async () => {
    const line = await eventually(
      async () =>
        (
          await q<{
            key: string;
            due_month: string;
            payee_kind: string;
            payee_name: string;
            payee_iban: string;
            remittance: string;
          }>(
            `SELECT key, due_month, payee_kind, payee_name, payee_iban, remittance FROM payment_lines WHERE case_id = $1`,
            [caseId],
          )
        )[0] ?? null,
      60_000,
      'first housing line',
    );
    expect(line).toMatchObject({
      key: `housing:${line.due_month}`,
      payee_kind: 'provider',
      payee_name: 'Tukuma siltums',
      payee_iban: PROVIDER_IBAN,
      remittance: BILL,
    });

    const payments = h.running.app.get(PaymentsService);
    await payments.saveSettings(h.municipalityId, {
      debtorIban: 'LV83BANK0000100000001',
      debtorBic: 'BANKLV2X',
    });
    const { run } = await payments.startRun(h.municipalityId, 'test', { month: line.due_month });
    const manager = await signInStaff(h.running.app, h.municipalityId, ['manager']);
    const xml = await manager.agent
      .get(`/workspace/payments/runs/${run.id}/pain001`)
      .buffer(true)
      .parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(xml.status).toBe(200);
    const body = (xml.body as Buffer).toString('utf8');
    const dir = mkdtempSync(join(tmpdir(), 'pain001-housing-'));
    try {
      writeFileSync(join(dir, 'run.xml'), body);
      expect(await validateXml(PAIN001_XSD, { file: join(dir, 'run.xml') })).toEqual({
        valid: true,
        errors: [],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tx = /<CdtTrfTxInf>[\s\S]*?<\/CdtTrfTxInf>/.exec(body)?.[0] ?? '';
    expect(tx).toMatch(/<Cdtr>\s*<Nm>Tukuma siltums<\/Nm>/);
    expect(tx).toMatch(new RegExp(`<CdtrAcct>\\s*<Id>\\s*<IBAN>${PROVIDER_IBAN}</IBAN>`));
    expect(tx).toContain('<BIC>HABALV22</BIC>');
    expect(tx).toMatch(new RegExp(`<RmtInf>\\s*<Ustrd>${BILL}</Ustrd>`));
    expect(tx).not.toContain(RESIDENT_IBAN);
  });

  it('counts the household among the housing benefit recipients, not among the status holders', async () => {
    const [award] = await q<{ valid_from: string }>(
      `SELECT valid_from::text FROM social_assistance_awards WHERE case_id = $1`,
      [caseId],
    );
    const month = award.valid_from.slice(0, 7);
    const stats = h.running.app.get(SocialAssistanceStatsService);
    const range = { from: month, to: month };
    const recipients = await stats.recipients(h.municipalityId, range);
    expect(recipients.filter((r) => r.status === ('none' as string))).toEqual([]);
    const benefits = await stats.benefits(h.municipalityId, range);
    expect(benefits).toContainEqual(
      expect.objectContaining({ month, benefit: 'housing', status: 'none', households: 1 }),
    );
  });

  it("heads the resident's case page by the decision", async () => {
    const citizen = await signInCitizen(h.running.url, h.municipalityId, DEV_CITIZEN.code);
    const page = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=en`)).text();
    expect(page).toContain('Assistance granted');
    expect(page).not.toContain('Application submitted');
    // What the application asked, in the summary: the provider is paid.
    expect(page).toContain(
      `Housing benefit paid to: Tukuma siltums, ${PROVIDER_IBAN}, bill ${BILL}`,
    );
    const lv = await (await citizen.get(`/social-assistance/cases/${caseId}?lang=lv`)).text();
    expect(lv).toContain('Palīdzība piešķirta');
  });
});
