import { DataSource } from 'typeorm';
import { TaskService } from '../../cases/task.service';
import { DeadlinesService } from '../../deadlines/deadlines.service';
import { RecipientRouter } from '../../delivery/recipient-router';
import { A, P, type DemoAddress, type DemoPerson } from '../../integrations/sim/demo-residents';
import { ResidenceAnnulment } from './residence-declaration.entity';
import { ResidenceFeesService } from './residence-fees.service';
import { ResidenceService } from './residence.service';
import type { LegalBasis } from './residence.types';
import { Account } from '../../platform/accounts/account.entity';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import {
  addDaysIso,
  caseReaches,
  deliverNow,
  demoStaff,
  openTask,
  type DemoContext,
} from '../../platform/seed/demo-support';

type ResidenceState = 'closed-certificate' | 'review' | 'awaiting-documents' | 'extended';

interface DeclarationDemo {
  key: string;
  state: ResidenceState;
  applicant: DemoPerson;
  /** Minor children declared with the applicant. */
  with: DemoPerson[];
  address: DemoAddress;
  basis: LegalBasis;
  channel: 'online' | 'counter';
}

/**
 * Declarations by demo residents, one per state. Jānis Bērziņš (owner, straight through) and Līga
 * Kalniņa (tenant, review) are left for the README tour and its tests.
 */
const DECLARATIONS: readonly DeclarationDemo[] = [
  {
    key: 'ozols-house',
    state: 'closed-certificate',
    applicant: P.andris,
    with: [P.karlis, P.emilija],
    address: A.ozolsHouse,
    basis: 'ownership',
    channel: 'online',
  },
  {
    key: 'liepina-flat',
    state: 'review',
    applicant: P.elina,
    with: [],
    address: A.elinaFlat,
    basis: 'lease',
    channel: 'online',
  },
  {
    key: 'sproge-flat',
    state: 'awaiting-documents',
    applicant: P.zane,
    with: [],
    address: A.zaneFlat,
    basis: 'lease',
    channel: 'counter',
  },
  {
    key: 'nikitina-house',
    state: 'extended',
    applicant: P.ieva,
    with: [P.sofija],
    address: A.ievaHouse,
    basis: 'lease',
    channel: 'online',
  },
];

const DOCUMENTS_REQUESTED =
  'Lūdzu, augšupielādējiet īres līguma kopiju (visas lapas) un izīrētāja rakstisku piekrišanu dzīvesvietas deklarēšanai.';
const EXTENSION_REASON =
  'Izīrētājs jāuzklausa par īres līguma spēkā esamību (Administratīvā procesa likuma 64. panta otrā daļa).';
const ANNULMENT_GROUNDS =
  'Īres līgums beidzās 2024. gada 31. maijā; Edgars Šmits dzīvoklī vairs nedzīvo, bet deklarētā dzīvesvieta nav mainīta.';

/**
 * Residence cases of the demo municipality, each opened as its form would (ResidenceService) and
 * moved on by the demo staff through the task and deadline services. Idempotent: a declaration is
 * found again by its submission key, and each step looks at the case before acting. None where the
 * process is not offered (no parameters in force, e.g. Nafplio).
 */
export async function seedResidenceCases(ctx: DemoContext): Promise<string[]> {
  if (!(await ctx.app.get(ResidenceFeesService).offered(ctx.municipality.id))) {
    ctx.log(`${ctx.municipality.code}: residence declarations are not offered here`);
    return [];
  }
  const opened: string[] = [];
  for (const d of DECLARATIONS) {
    const number = await seedDeclaration(ctx, d);
    if (number) opened.push(number);
  }
  const annulment = await seedAnnulment(ctx);
  if (annulment) opened.push(annulment);
  return opened;
}

async function accountOf(ctx: DemoContext, p: DemoPerson): Promise<string> {
  const a = await ctx.app
    .get(DataSource)
    .getRepository(Account)
    .findOneByOrFail({ personalCode: p.code });
  return a.id;
}

async function seedDeclaration(ctx: DemoContext, d: DeclarationDemo): Promise<string | null> {
  const { app, municipality: m } = ctx;
  const caseworker = await demoStaff(ctx, 'caseworker');
  const r = await app.get(ResidenceService).submitDeclaration({
    municipalityId: m.id,
    submissionKey: `demo-seed:${d.key}`,
    channel: d.channel,
    applicantCode: d.applicant.code,
    personCodes: [d.applicant.code, ...d.with.map((p) => p.code)],
    addressCode: d.address.code,
    basis: d.basis,
    contactEmail: `${d.applicant.givenName.toLowerCase()}@example.lv`
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, ''),
    lang: 'lv',
    enteredBy: d.channel === 'counter' ? caseworker.accountId : await accountOf(ctx, d.applicant),
  });
  const c = await caseReaches(
    ctx,
    r.caseId,
    'past its registry checks',
    (x) => x.status !== 'open' || x.stage === 'review' || x.stage === 'awaiting-documents',
  );
  switch (d.state) {
    case 'closed-certificate': {
      await caseReaches(ctx, r.caseId, 'closed', (x) => x.status !== 'open');
      const delivered = await deliverNow(ctx, r.caseId);
      if (r.created)
        ctx.log(
          `${m.code}: ${c.number} registered straight through; its messages: ${delivered.join(', ') || 'none queued'}`,
        );
      break;
    }
    case 'review':
      if (c.stage === 'review') {
        const task = await openTask(ctx, r.caseId);
        if (task.status === 'open') await app.get(TaskService).claim(caseworker, task.id);
      }
      break;
    case 'awaiting-documents':
      if (c.stage === 'review') {
        const task = await openTask(ctx, r.caseId);
        await app.get(TaskService).claim(caseworker, task.id);
        await app.get(TaskService).complete(caseworker, task.id, {
          outcome: 'request-documents',
          documentsRequested: DOCUMENTS_REQUESTED,
        });
        await caseReaches(
          ctx,
          r.caseId,
          'awaiting documents',
          (x) => x.stage === 'awaiting-documents',
        );
      }
      break;
    case 'extended':
      await extendOnce(ctx, r.caseId, d.applicant);
      break;
  }
  return r.created ? c.number : null;
}

/** The manager extends the decision term by a month (once), with the notice to the applicant. */
async function extendOnce(ctx: DemoContext, caseId: string, applicant: DemoPerson): Promise<void> {
  const deadlines = ctx.app.get(DeadlinesService);
  const [dl] = await deadlines.listForCase(ctx.municipality.id, caseId);
  if (!dl || dl.extensions.length > 0 || !dl.maxDueOn) return;
  const manager = await demoStaff(ctx, 'manager');
  const wanted = addDaysIso(dl.dueOn, 30);
  // The route any extension notice takes (an e-address only where the municipality can send there).
  const account = await ctx.app
    .get(DataSource)
    .getRepository(Account)
    .findOneBy({ personalCode: applicant.code });
  const route = await ctx.app
    .get(RecipientRouter)
    .chooseFor(ctx.municipality.id, { personalCode: applicant.code, email: account?.email });
  await deadlines.extend(ctx.municipality.id, dl.id, {
    newDueOn: wanted > dl.maxDueOn ? dl.maxDueOn : wanted,
    reason: EXTENSION_REASON,
    by: manager.accountId,
    notice: { channel: route.channel, recipient: route.recipient, routeReason: route.reason },
  });
  await deliverNow(ctx, caseId);
}

/** Pēteris Kļaviņš asks to annul the declaration of his former tenant, who is invited to show a basis. */
async function seedAnnulment(ctx: DemoContext): Promise<string | null> {
  const { app, municipality: m } = ctx;
  const existing = await app.get(TenantDb).run(m.id, (em) =>
    em.findOne(ResidenceAnnulment, {
      where: { personCode: P.edgars.code, addressCode: A.klavinsFlat.code },
    }),
  );
  if (existing) return null;
  const caseworker = await demoStaff(ctx, 'caseworker');
  const r = await app.get(ResidenceService).startAnnulment({
    municipalityId: m.id,
    personCode: P.edgars.code,
    initiatedBy: 'owner',
    applicantCode: P.peteris.code,
    groundCode: 'no-legal-basis',
    grounds: ANNULMENT_GROUNDS,
    enteredBy: caseworker.accountId,
  });
  const c = await caseReaches(
    ctx,
    r.caseId,
    'awaiting the answer',
    (x) => x.stage === 'awaiting-response',
  );
  await deliverNow(ctx, r.caseId);
  ctx.log(
    `${m.code}: ${c.number} annulment waits for ${P.edgars.givenName} ${P.edgars.familyName}'s answer`,
  );
  return c.number;
}
