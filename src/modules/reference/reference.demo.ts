import { DataSource } from 'typeorm';
import { CaseService } from '../../cases/case.service';
import { TaskService } from '../../cases/task.service';
import { DeadlineRulesService } from '../../deadlines/deadline-rules.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { RecipientRouter } from '../../delivery/recipient-router';
import { Account } from '../../platform/accounts/account.entity';
import { DEMO_CITIZENS } from '../../platform/accounts/demo-identities';
import {
  addDaysIso,
  caseReaches,
  DAY,
  deliverNow,
  demoStaff,
  openTask,
  type DemoContext,
} from '../../platform/seed/demo-support';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { InfoRequestService } from '../../workspace/info-requests/info-request.service';

const DEMO_RULE = 'reference.decision';

type RefState =
  'review' | 'claimed' | 'overdue' | 'awaiting-documents' | 'extended' | 'closed' | 'not-found';

interface RefDemo {
  state: RefState;
  subject: string;
  startedDaysAgo: number;
  title: { LV: string; GR: string };
  /** The applicant (a dev-IdP resident) by index in DEMO_CITIZENS. */
  applicant: number;
}

/** Reference-process cases in every state a manager should see on the first visit. */
const REFERENCE_DEMO: readonly RefDemo[] = [
  {
    state: 'review',
    subject: 'REF-1001',
    startedDaysAgo: 2,
    applicant: 0,
    title: { LV: 'Izziņa par deklarēto dzīvesvietu', GR: 'Βεβαίωση μόνιμης κατοικίας' },
  },
  {
    state: 'claimed',
    subject: 'flagged-REF-1002',
    startedDaysAgo: 9,
    applicant: 1,
    title: { LV: 'Izziņa par īpašumu', GR: 'Βεβαίωση ιδιοκτησίας' },
  },
  {
    state: 'overdue',
    subject: 'REF-1003',
    startedDaysAgo: 40,
    applicant: 2,
    title: { LV: 'Izziņa pēc iesnieguma (nokavēta)', GR: 'Βεβαίωση κατόπιν αίτησης (εκπρόθεσμη)' },
  },
  {
    state: 'awaiting-documents',
    subject: 'REF-1004',
    startedDaysAgo: 5,
    applicant: 3,
    title: {
      LV: 'Izziņa ar informācijas pieprasījumu',
      GR: 'Βεβαίωση με αίτημα συμπληρωματικών στοιχείων',
    },
  },
  {
    state: 'not-found',
    subject: 'unknown-REF-1005',
    startedDaysAgo: 1,
    applicant: 4,
    title: { LV: 'Izziņa, subjekts nav atrasts', GR: 'Βεβαίωση, το πρόσωπο δεν βρέθηκε' },
  },
  {
    state: 'extended',
    subject: 'REF-1006',
    startedDaysAgo: 12,
    applicant: 5,
    title: { LV: 'Izziņa ar pagarinātu termiņu', GR: 'Βεβαίωση με παράταση προθεσμίας' },
  },
  {
    state: 'closed',
    subject: 'REF-1007',
    startedDaysAgo: 6,
    applicant: 6,
    title: { LV: 'Izziņa, izsniegta', GR: 'Βεβαίωση, εκδόθηκε' },
  },
];

const QUESTION = {
  LV: 'Lūdzu, iesniedziet īres līguma kopiju (visas lapas) un izīrētāja piekrišanu.',
  GR: 'Παρακαλούμε υποβάλετε αντίγραφο του μισθωτηρίου συμβολαίου (όλες τις σελίδες).',
};
const EXTENSION_REASON = {
  LV: 'Nepieciešama papildu informācija no citas iestādes.',
  GR: 'Απαιτούνται πρόσθετα στοιχεία από άλλη υπηρεσία.',
};

/** The demo deadline rule of the reference process, once per country. */
export async function ensureReferenceRule(
  rules: DeadlineRulesService,
  country: string,
): Promise<void> {
  if ((await rules.list(country)).some((r) => r.ruleKey === DEMO_RULE)) return;
  await rules.define({
    country,
    processKey: 'reference',
    ruleKey: DEMO_RULE,
    basis:
      country === 'LV'
        ? 'Administratīvā procesa likums 64. pants'
        : 'Ν. 2690/1999 (Κώδικας Διοικητικής Διαδικασίας), άρθρο 4',
    unit: 'working_days',
    amount: 10,
    maxExtension: 20,
    warnBefore: 2,
    onResume: 'shift',
    validFrom: '2000-01-01',
    note: 'Demo rule for the reference process.',
  });
}

/**
 * Reference-process cases in every state, opened and moved on through the services a user's
 * clicks reach (the legal clock backdated from `today`). Idempotent: a case of the same title is
 * left as it is. Returns the numbers of the cases it opened.
 */
export async function seedReferenceCases(ctx: DemoContext): Promise<string[]> {
  const { app, municipality: m } = ctx;
  await ensureReferenceRule(app.get(DeadlineRulesService), m.country);
  const lang = m.country === 'GR' ? 'GR' : 'LV';
  const opened: string[] = [];
  for (const d of REFERENCE_DEMO) {
    const title = d.title[lang];
    const exists = (await app
      .get(TenantDb)
      .run(m.id, (em) =>
        em.query(`SELECT 1 FROM cases WHERE process_key = 'reference' AND title = $1`, [title]),
      )) as unknown[];
    if (exists.length) continue;
    const citizen = await app
      .get(DataSource)
      .getRepository(Account)
      .findOneBy({ personalCode: DEMO_CITIZENS[d.applicant].personalCode });
    const c = await app.get(CaseService).open({
      municipalityId: m.id,
      processKey: 'reference',
      title,
      applicantRef: citizen?.id ?? null,
      actor: 'system',
      input: { subjectRef: d.subject },
    });
    await moveReferenceCase(ctx, c.id, d, lang);
    ctx.log(`${m.code}: opened ${c.number} (${title}) — ${d.state}`);
    opened.push(c.number);
  }
  return opened;
}

async function moveReferenceCase(
  ctx: DemoContext,
  caseId: string,
  d: RefDemo,
  lang: 'LV' | 'GR',
): Promise<void> {
  const { app, municipality: m } = ctx;
  // A subject the register does not know closes at once: no legal clock to keep.
  if (d.state === 'not-found')
    return void (await caseReaches(ctx, caseId, 'closed', (c) => c.status !== 'open'));
  const deadline =
    d.state === 'closed'
      ? null
      : await app.get(DeadlinesService).start({
          municipalityId: m.id,
          caseId,
          key: 'decision',
          ruleKey: DEMO_RULE,
          startedAt: new Date(ctx.today.getTime() - d.startedDaysAgo * DAY),
        });
  const task = await openTask(ctx, caseId);
  const caseworker = await demoStaff(ctx, 'caseworker');
  switch (d.state) {
    case 'review':
      return;
    case 'claimed':
    case 'overdue':
      await app.get(TaskService).claim(caseworker, task.id);
      return;
    case 'awaiting-documents':
      await app.get(InfoRequestService).ask(m.id, caseId, caseworker.accountId, QUESTION[lang], 10);
      return;
    case 'extended': {
      const dl = deadline!;
      const manager = await demoStaff(ctx, 'manager');
      // The notice takes the route any extension takes: an e-address only where the municipality
      // can send there (a Greek one cannot), else the applicant's e-mail.
      const applicant = DEMO_CITIZENS[d.applicant];
      const route = await app
        .get(RecipientRouter)
        .chooseFor(m.id, { personalCode: applicant.personalCode, email: applicant.email });
      const newDueOn =
        dl.maxDueOn && addDaysIso(dl.dueOn, 14) > dl.maxDueOn
          ? dl.maxDueOn
          : addDaysIso(dl.dueOn, 14);
      await app.get(DeadlinesService).extend(m.id, dl.id, {
        newDueOn,
        reason: EXTENSION_REASON[lang],
        by: manager.accountId,
        notice: { channel: route.channel, recipient: route.recipient, routeReason: route.reason },
      });
      await app.get(TaskService).claim(caseworker, task.id);
      await deliverNow(ctx, caseId);
      return;
    }
    case 'closed':
      await app.get(TaskService).claim(caseworker, task.id);
      await app.get(TaskService).complete(caseworker, task.id, { outcome: 'approve' });
      await caseReaches(ctx, caseId, 'closed', (c) => c.status !== 'open');
      await deliverNow(ctx, caseId);
      return;
  }
}
