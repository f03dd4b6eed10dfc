import { DataSource } from 'typeorm';
import { TaskService } from '../../cases/task.service';
import { P, type DemoPerson } from '../../integrations/sim/demo-residents';
import { withheldCents } from '../../integrations/sim/social-records-generator';
import { ParametersService } from '../../parameters/parameters.service';
import { endToEndIdOf } from '../../payments/payment-files.service';
import { PaymentStatusService } from '../../payments/payment-status.service';
import { PaymentsService } from '../../payments/payments.service';
import { Account } from '../../platform/accounts/account.entity';
import {
  addDaysIso,
  caseReaches,
  demoStaff,
  openTask,
  until,
  type DemoContext,
} from '../../platform/seed/demo-support';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { SocialAssistanceApplication } from './application/application.entity';
import {
  SocialAssistanceApplicationService,
  type ApplicationActor,
} from './application/application.service';
import type { ApplicationStep, Relation } from './application/application.types';
import { SA_KEYS } from './social-assistance.parameters';

/** Tukums 2024 (DOMAIN.md): the municipality's low-income threshold for the general household type. */
const DEMO_LOW_INCOME = [
  { key: SA_KEYS.lowIncome('general', 'first'), value: '411' },
  { key: SA_KEYS.lowIncome('general', 'other'), value: '288' },
] as const;

/** The demo municipality's paying account at the State Treasury (a made-up, check-digit-valid IBAN). */
const DEMO_DEBTOR_IBAN = 'LV61TREL9180000004501';

type ApplicationState =
  | 'draft'
  | 'submitted'
  | 'review'
  | 'visit'
  | 'awaiting-information'
  | 'granted'
  | 'partly'
  | 'refused';

interface Member {
  person: DemoPerson;
  relation?: Exclude<Relation, 'applicant'>;
  flags: ('workingAge' | 'pensioner' | 'disability' | 'fullTimeEducation')[];
}

interface ApplicationDemo {
  state: ApplicationState;
  /** `counter`: entered by the caseworker for a resident without an e-identity (default online). */
  channel?: 'online' | 'counter';
  members: Member[];
  /** Net monthly income as the registers know it (the same each of the 3 months). */
  incomes: { person: DemoPerson; type: string; monthlyCents: number }[];
  housing: {
    kind: string;
    amountCents: number;
    payee: string;
    /** The provider's account, when the housing benefit may be paid to it. */
    iban?: string;
    reference?: string;
  }[];
  /** The cost kind whose provider is paid the housing benefit (default: the applicant). */
  housingPaidTo?: string;
  benefits: ('gmi' | 'housing-benefit')[];
  iban: string;
  /** What the caseworker writes (refusal or partial grant reasons, a request for information). */
  note?: string;
}

/** Net of a gross wage as the income register's employer withholds it. */
const net = (grossCents: number): number => grossCents - withheldCents(grossCents);

/**
 * One application per state, by demo residents whose register records (demo-social-records.ts) tell
 * the same story as what they declare. Jānis Bērziņš and Līga Kalniņa are left for the tours.
 */
const APPLICATIONS: readonly ApplicationDemo[] = [
  {
    // Lives alone on a rented flat with no income: needy; GMI and housing benefit granted, paid
    // (the housing benefit straight to the heating provider, with the bill number).
    state: 'granted',
    members: [{ person: P.zane, flags: ['workingAge'] }],
    incomes: [],
    housing: [
      { kind: 'rent', amountCents: 18_000, payee: 'Aivars Kalējs' },
      {
        kind: 'heating',
        amountCents: 6_450,
        payee: 'Tukuma siltums',
        iban: 'LV54UNLA0050019020318',
        reference: 'TS-2026-11-0412',
      },
      { kind: 'electricity', amountCents: 2_380, payee: 'Elektrum' },
    ],
    housingPaidTo: 'heating',
    benefits: ['gmi', 'housing-benefit'],
    iban: 'LV73HABA0551020384611',
  },
  {
    // Mother and daughter at school, no income: GMI granted, housing benefit refused.
    state: 'partly',
    members: [
      { person: P.ieva, flags: ['workingAge'] },
      { person: P.sofija, relation: 'child', flags: ['fullTimeEducation'] },
    ],
    incomes: [],
    housing: [
      {
        kind: 'heating',
        amountCents: 9_800,
        payee: 'Tukuma siltums',
        reference: 'TS-2026-11-0977',
      },
      { kind: 'water', amountCents: 2_150, payee: 'Tukuma ūdens' },
    ],
    benefits: ['gmi', 'housing-benefit'],
    iban: 'LV50UNLA0055000918274',
    note: 'Mājokļa pabalsts netiek piešķirts: iesniegtie rēķini ir par Ozolu ielas 17 māju, kurā dzīvesvieta vēl nav deklarēta (deklarēšanas lieta nav izlemta). Garantētā minimālā ienākuma pabalsts piešķirts.',
  },
  {
    // Works for low pay; the children get the family state benefit; Ilze already holds a housing
    // benefit from Jelgava for the same months (the national award register says so): refused.
    state: 'refused',
    members: [
      { person: P.andris, flags: ['workingAge'] },
      { person: P.ilze, relation: 'spouse', flags: ['workingAge'] },
      { person: P.karlis, relation: 'child', flags: ['fullTimeEducation'] },
      { person: P.emilija, relation: 'child', flags: ['fullTimeEducation'] },
    ],
    incomes: [
      { person: P.andris, type: 'wages', monthlyCents: net(112_000) },
      { person: P.karlis, type: 'family-state-benefit', monthlyCents: 2_500 },
      { person: P.emilija, type: 'family-state-benefit', monthlyCents: 2_500 },
    ],
    housing: [
      {
        kind: 'heating',
        amountCents: 14_200,
        payee: 'Tukuma siltums',
        reference: 'TS-2026-11-1310',
      },
      { kind: 'electricity', amountCents: 4_600, payee: 'Elektrum' },
    ],
    benefits: ['gmi', 'housing-benefit'],
    iban: 'LV71HABA0551034567890',
    note: 'Ienākumi pārsniedz garantētā minimālā ienākuma slieksni, un Ilzei Ozolai par to pašu periodu mājokļa pabalstu jau piešķīrusi Jelgavas valstspilsētas pašvaldība (SPOLIS). Pabalstus divās pašvaldībās par vienu periodu nepiešķir.',
  },
  {
    // A student living alone: her register household is still her landlord's house: the caseworker looks.
    state: 'review',
    members: [{ person: P.elina, flags: ['workingAge', 'fullTimeEducation'] }],
    incomes: [],
    housing: [{ kind: 'rent', amountCents: 22_000, payee: 'Pēteris Kļaviņš' }],
    benefits: ['gmi', 'housing-benefit'],
    iban: 'LV20PARX0012345678901',
  },
  {
    // Pensioners at their farm, applying at the counter for the housing benefit (firewood): they
    // declare the two of them, but the register still has their son Jānis and grandson Roberts
    // declared at Ozoliņi. The caseworker arranges a home visit to see who lives there.
    state: 'visit',
    channel: 'counter',
    members: [
      { person: P.valdis, flags: ['pensioner'] },
      { person: P.rasma, relation: 'spouse', flags: ['pensioner'] },
    ],
    incomes: [
      { person: P.valdis, type: 'old-age-pension', monthlyCents: 48_350 },
      { person: P.rasma, type: 'old-age-pension', monthlyCents: 39_120 },
    ],
    housing: [
      {
        kind: 'solid-fuel',
        amountCents: 21_000,
        payee: 'SIA "Slampes mežs"',
        reference: 'SM-2026-0318',
      },
      { kind: 'electricity', amountCents: 3_900, payee: 'Elektrum' },
    ],
    benefits: ['housing-benefit'],
    iban: 'LV43HABA0551011122233',
  },
  {
    // His former landlord says he moved out: asked where he lives now.
    state: 'awaiting-information',
    members: [{ person: P.edgars, flags: ['workingAge'] }],
    incomes: [],
    housing: [],
    benefits: ['gmi'],
    iban: 'LV71RIKO0002013040506',
    note: 'Lūdzu, iesniedziet dokumentu par to, kur Jūs pašlaik dzīvojat (īres līgumu vai mājokļa īpašnieka apliecinājumu): Stadiona ielas 2-11 īpašnieks norāda, ka Jūs tur vairs nedzīvojat.',
  },
  {
    // Pēteris works for the municipality, Inta has a disability pension: the run assesses it.
    state: 'submitted',
    members: [
      { person: P.peteris, flags: ['workingAge'] },
      { person: P.inta, relation: 'spouse', flags: ['workingAge', 'disability'] },
    ],
    incomes: [
      { person: P.peteris, type: 'wages', monthlyCents: net(164_000) },
      { person: P.inta, type: 'disability-pension', monthlyCents: 21_500 },
    ],
    housing: [],
    benefits: ['gmi'],
    iban: 'LV48HABA0000123456789',
  },
  {
    // Started online, household and incomes saved, not yet submitted.
    state: 'draft',
    members: [
      { person: P.guntis, flags: ['workingAge'] },
      { person: P.dace, relation: 'spouse', flags: ['workingAge'] },
    ],
    incomes: [{ person: P.guntis, type: 'wages', monthlyCents: net(310_000) }],
    housing: [],
    benefits: ['gmi'],
    iban: 'LV03UNLA0050014227302',
  },
];

const COOPERATION_NOTE =
  'Līdzdarbības pienākumu vienošanās parakstīta klātienē: reģistrēties NVA, piedalīties konsultācijās.';

/** A one-page bill as the resident scanned it (a minimal PDF). */
const BILL = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

/** Cents as the resident types them in Latvian (decimal comma). */
const euros = (cents: number): string => (cents / 100).toFixed(2).replace('.', ',');

/** The posted fields of each step, as the application form sends them. */
function stepBodies(d: ApplicationDemo): [ApplicationStep, Record<string, unknown>][] {
  const household: Record<string, unknown> = {};
  d.members.forEach((m, i) => {
    household[`members[${i}].givenName`] = m.person.givenName;
    household[`members[${i}].familyName`] = m.person.familyName;
    if (i > 0) {
      household[`members[${i}].personalCode`] = m.person.code;
      household[`members[${i}].relation`] = m.relation ?? 'other';
    }
    for (const f of m.flags) household[`members[${i}].${f}`] = 'yes';
  });
  const incomes: Record<string, unknown> = {};
  d.incomes.forEach((r, i) => {
    incomes[`regularIncomes[${i}].member`] = r.person.code;
    incomes[`regularIncomes[${i}].type`] = r.type;
    for (const k of [0, 1, 2]) incomes[`regularIncomes[${i}].m${k}`] = euros(r.monthlyCents);
  });
  const housing: Record<string, unknown> = {};
  d.housing.forEach((h, i) => {
    housing[`housingCosts[${i}].kind`] = h.kind;
    housing[`housingCosts[${i}].amount`] = euros(h.amountCents);
    housing[`housingCosts[${i}].payee`] = h.payee;
    if (h.iban) housing[`housingCosts[${i}].iban`] = h.iban;
    if (h.reference) housing[`housingCosts[${i}].reference`] = h.reference;
  });
  if (d.housingPaidTo) housing.housingPaidTo = d.housingPaidTo;
  const steps: [ApplicationStep, Record<string, unknown>][] = [
    ['household', household],
    ['incomes', incomes],
  ];
  if (d.state === 'draft') return steps;
  return [
    ...steps,
    ['assets', {}],
    ['housing', housing],
    ['benefits', { benefits: d.benefits, paymentAccount: d.iban }],
    ['review', { truthDeclared: 'yes' }],
  ];
}

/**
 * Social assistance in the demo LV municipality: its own low-income threshold (Tukums 2024:
 * 411 / 288), the paying account for payment runs, and applications in every state, each filled in
 * and submitted as the resident's form does (SocialAssistanceApplicationService) and moved on by
 * the demo staff through the task and payment services: a draft, one just submitted (its register
 * checks and assessment run), one waiting for the caseworker's review, one waiting at the
 * interview / home visit the caseworker arranged (entered at the counter), one waiting for requested
 * information, one granted (its first month paid through a payment run and the bank's pain.002),
 * one partly granted and one refused. Idempotent: an applicant's application is found again, and
 * each step looks at the case before acting.
 */
export async function seedSocialAssistanceDemo(ctx: DemoContext): Promise<string[]> {
  if (ctx.municipality.country !== 'LV') return [];
  await seedLowIncomeThreshold(ctx);
  await seedPaymentAccount(ctx);
  const opened: string[] = [];
  const paying: string[] = [];
  for (const d of APPLICATIONS) {
    const r = await seedApplication(ctx, d);
    if (r?.created && r.number) opened.push(r.number);
    if (r?.caseId && (d.state === 'granted' || d.state === 'partly')) paying.push(r.caseId);
  }
  await payFirstMonth(ctx, paying);
  return opened;
}

async function seedLowIncomeThreshold(ctx: DemoContext): Promise<void> {
  const parameters = ctx.app.get(ParametersService);
  const own = (await parameters.list('LV', ctx.municipality.id)).filter(
    (p) => p.municipalityId === ctx.municipality.id,
  );
  for (const { key, value } of DEMO_LOW_INCOME) {
    if (own.some((p) => p.key === key && p.validFrom === '2024-01-01')) continue;
    await parameters.define({
      country: 'LV',
      municipalityId: ctx.municipality.id,
      key,
      value,
      unit: 'EUR/month',
      validFrom: '2024-01-01',
      note: 'Demo: Tukums novads 2024 low-income threshold 411 / 288 (DOMAIN.md). From 2026 it is below the needy threshold (425 / 298), so the needy threshold applies until the municipality sets a new one.',
      createdBy: 'seed:demo',
    });
    ctx.log(`social-assistance: ${key} = ${value} from 2024-01-01`);
  }
}

async function seedPaymentAccount(ctx: DemoContext): Promise<void> {
  const payments = ctx.app.get(PaymentsService);
  if (await payments.settingsOrNull(ctx.municipality.id)) return;
  await payments.saveSettings(ctx.municipality.id, {
    debtorIban: DEMO_DEBTOR_IBAN,
    ekkCode: '6240',
  });
  ctx.log(`${ctx.municipality.code}: payment runs pay from ${DEMO_DEBTOR_IBAN}`);
}

async function accountOf(ctx: DemoContext, p: DemoPerson): Promise<string> {
  const a = await ctx.app
    .get(DataSource)
    .getRepository(Account)
    .findOneByOrFail({ personalCode: p.code });
  return a.id;
}

async function seedApplication(
  ctx: DemoContext,
  d: ApplicationDemo,
): Promise<{ caseId: string | null; number: string | null; created: boolean } | null> {
  const { app, municipality: m } = ctx;
  const applicant = d.members[0].person;
  const service = app.get(SocialAssistanceApplicationService);
  const channel = d.channel ?? 'online';
  const caseworker = await demoStaff(ctx, 'caseworker');
  // At the counter the caseworker enters it (the resident has no account).
  const accountId = channel === 'counter' ? caseworker.accountId : await accountOf(ctx, applicant);
  const existing = await app.get(TenantDb).run(m.id, (em) =>
    em.findOne(SocialAssistanceApplication, {
      where: { applicantCode: applicant.code },
      order: { createdAt: 'ASC' },
    }),
  );
  let application = existing;
  const created = !existing || existing.status === 'draft';
  if (!application || application.status === 'draft') {
    application ??= await service.startDraft({
      municipalityId: m.id,
      applicantCode: applicant.code,
      applicantName: `${applicant.givenName} ${applicant.familyName}`,
      channel,
      enteredBy: accountId,
      lang: 'lv',
    });
    for (const [step, body] of stepBodies(d))
      if (!application.stepsDone.includes(step))
        application = await service.saveStep(application, step, body, 'lv');
    if (d.state === 'draft') {
      if (created && !existing)
        ctx.log(
          `${m.code}: social assistance draft of ${applicant.givenName} ${applicant.familyName} (household and incomes saved)`,
        );
      return null;
    }
    if (d.housing.length && (await service.bills(application)).length === 0)
      await service.addBills(
        application,
        [
          {
            originalname: `rekins-${d.housing[0].kind}.pdf`,
            mimetype: 'application/pdf',
            size: BILL.length,
            buffer: BILL,
          },
        ],
        d.housing.find((h) => h.reference)?.kind ?? d.housing[0].kind,
        accountId,
      );
    const actor: ApplicationActor = { municipalityId: m.id, accountId, channel };
    application = await service.submit(actor, application);
  }
  const caseId = application.caseId!;
  if (d.state === 'submitted') {
    const c = await caseReaches(ctx, caseId, 'opened', () => true);
    if (created)
      ctx.log(`${m.code}: ${c.number} social assistance submitted (registers and assessment run)`);
    return { caseId, number: c.number, created };
  }
  const c = await caseReaches(
    ctx,
    caseId,
    'past its register checks and assessment',
    (x) =>
      x.status !== 'open' ||
      ['review', 'visit', 'awaiting-information', 'deciding', 'paying'].includes(x.stage ?? ''),
  );
  const tasks = app.get(TaskService);
  const decide = async (decision: Record<string, unknown>): Promise<void> => {
    const task = await openTask(ctx, caseId);
    if (task.status === 'open') await tasks.claim(caseworker, task.id);
    await tasks.complete(caseworker, task.id, decision);
  };
  const atReview = c.status === 'open' && c.stage === 'review';
  let what = '';
  switch (d.state) {
    case 'draft':
      break;
    case 'review':
      what = 'waits for the caseworker';
      break;
    case 'visit':
      // At review the caseworker arranges a home visit: its task waits in the inbox.
      if (atReview) await decide({ outcome: 'arrange-visit' });
      await caseReaches(ctx, caseId, 'at the interview / home visit', (x) => x.stage === 'visit');
      what = 'waits for the interview / home visit';
      break;
    case 'awaiting-information':
      if (atReview)
        await decide({
          outcome: 'request-information',
          question: d.note,
          answerBy: addDaysIso(ctx.today.toISOString().slice(0, 10), 14),
        });
      await caseReaches(
        ctx,
        caseId,
        'awaiting information',
        (x) => x.stage === 'awaiting-information',
      );
      what = 'waits for the information asked';
      break;
    case 'granted':
    case 'partly':
      if (atReview)
        await decide(
          d.state === 'granted'
            ? { outcome: 'approve' }
            : { outcome: 'partly', benefits: ['gmi'], reason: d.note },
        );
      // GMI to a household with members of working age: the co-operation duties agreement first.
      if (
        (
          await caseReaches(
            ctx,
            caseId,
            'at the co-operation agreement or paying',
            (x) => x.stage === 'cooperation' || x.stage === 'paying' || x.status !== 'open',
          )
        ).stage === 'cooperation'
      )
        await decide({ outcome: 'agreed', note: COOPERATION_NOTE });
      await caseReaches(ctx, caseId, 'paying', (x) => x.stage === 'paying' || x.status !== 'open');
      what = d.state === 'granted' ? 'granted' : 'partly granted';
      break;
    case 'refused':
      if (atReview) await decide({ outcome: 'refuse', reason: d.note });
      await caseReaches(ctx, caseId, 'closed', (x) => x.status !== 'open');
      what = 'refused';
      break;
  }
  // The decision and notices wait in the outbox for the app's delivery poller: sending them from
  // here through the DIV adapter (deliverNow) left the seed process unable to exit.
  if (created)
    ctx.log(
      `${m.code}: ${c.number} social assistance of ${applicant.givenName} ${applicant.familyName} ${what}`,
    );
  return { caseId, number: c.number, created };
}

interface LineRow {
  id: string;
  case_id: string;
  status: string;
  run_id: string | null;
}

/**
 * The manager makes this month's payment run, which takes the granted awards' first month, and the
 * bank's pain.002 (as it answers the run's pain.001) marks each line paid. Again: the run is found,
 * and the same report changes nothing.
 */
async function payFirstMonth(ctx: DemoContext, caseIds: string[]): Promise<void> {
  if (caseIds.length === 0) return;
  const { app, municipality: m } = ctx;
  const lines = (): Promise<LineRow[]> =>
    app
      .get(TenantDb)
      .run(m.id, (em) =>
        em.query(
          `SELECT id, case_id, status, run_id FROM payment_lines WHERE case_id = ANY($1::uuid[]) ORDER BY created_at`,
          [caseIds],
        ),
      ) as Promise<LineRow[]>;
  await until(
    `the first month's payments of ${caseIds.length} awards`,
    async () => new Set((await lines()).map((l) => l.case_id)).size >= caseIds.length,
    ctx.waitMs,
  );
  const due = await lines();
  if (due.every((l) => l.status === 'paid')) return;
  const manager = await demoStaff(ctx, 'manager');
  // This month in Latvia (the awards' months are the municipality's local dates).
  const month = ctx.today.toLocaleDateString('sv-SE', { timeZone: 'Europe/Riga' }).slice(0, 7);
  const payments = app.get(PaymentsService);
  const { run, created } = await payments.startRun(m.id, manager.accountId, { month });
  const inRun = (await lines()).filter((l) => l.run_id === run.id);
  if (inRun.length === 0) return;
  const report = pain002(run.msgId, run.createdAt, run.lineCount, run.totalCents, inRun);
  const r = await app
    .get(PaymentStatusService)
    .importReport(
      m.id,
      { accountId: manager.accountId, display: 'seed:demo' },
      Buffer.from(report),
    );
  ctx.log(
    `${m.code}: payment run ${run.month} ${created ? 'made' : 'found'} (${run.lineCount} lines, ${centsText(run.totalCents)} EUR); bank report ${r.duplicate ? 'already imported' : 'imported'}: ${JSON.stringify(r.summary)}`,
  );
}

const centsText = (cents: string | number): string => (Number(cents) / 100).toFixed(2);

/** The bank's status report: every transaction of the run settled (ACSC). */
function pain002(
  runMsgId: string,
  runCreated: Date,
  count: number,
  totalCents: string | number,
  lines: { id: string }[],
): string {
  const tx = lines
    .map(
      (l) =>
        `<TxInfAndSts><OrgnlEndToEndId>${endToEndIdOf(l.id)}</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts>`,
    )
    .join('');
  const at = new Date(runCreated.getTime() + 86_400_000).toISOString().slice(0, 19);
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>STS-${runMsgId.slice(4)}</MsgId><CreDtTm>${at}</CreDtTm><DbtrAgt><FinInstnId><BIC>TRELLV22</BIC></FinInstnId></DbtrAgt></GrpHdr><OrgnlGrpInfAndSts><OrgnlMsgId>${runMsgId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.03</OrgnlMsgNmId><OrgnlNbOfTxs>${count}</OrgnlNbOfTxs><OrgnlCtrlSum>${centsText(totalCents)}</OrgnlCtrlSum><GrpSts>ACSC</GrpSts></OrgnlGrpInfAndSts><OrgnlPmtInfAndSts><OrgnlPmtInfId>${runMsgId}-1</OrgnlPmtInfId><PmtInfSts>ACSC</PmtInfSts>${tx}</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>
`;
}
