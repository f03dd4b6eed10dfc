import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { CaseService } from '../../../cases/case.service';
import { CalendarService } from '../../../deadlines/calendar/calendar.service';
import { localDate, TIME_ZONES } from '../../../deadlines/calendar/time-zone';
import { PersonDataReads, type PersonalDataRead } from '../../../persons/person-data-reads';
import { parsePersonalCode } from '../../../persons/personal-code';
import type { AuditActor } from '../../../platform/audit/audit.service';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { DomainError, ErrorCode, type FieldError } from '../../../platform/errors/domain-error';
import { isUuid } from '../../../platform/ids';
import type { Lang } from '../../../platform/i18n/i18n.service';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { SocialAssistanceApplication, SocialAssistanceBill } from './application.entity';
import { parseStep, type StepContext } from './application.form';
import {
  APPLICATION_STEPS,
  BILL_MAX_BYTES,
  BILL_MIME_TYPES,
  BILLS_MAX_FILES,
  emptyApplicationData,
  HOUSING_COST_KINDS,
  type ApplicationChannel,
  type ApplicationData,
  type ApplicationStep,
} from './application.types';

const NS = 'social-assistance-application:errors';

export interface StartDraft {
  municipalityId: string;
  /** Canonical personal code. */
  applicantCode: string;
  applicantName: string;
  channel: ApplicationChannel;
  enteredBy: string;
  lang: Lang;
}

export interface UploadedBill {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** Who acts on an application, and for whom the read is audited when it is not the applicant. */
export interface ApplicationActor {
  municipalityId: string;
  accountId: string;
  channel: ApplicationChannel;
  /** Set for staff: the read of the household's data is audited with this actor. */
  audit?: AuditActor & { requestId?: string | null; ip?: string | null };
}

export type BillSummary = Pick<
  SocialAssistanceBill,
  'id' | 'fileName' | 'mimeType' | 'sizeBytes' | 'costKind' | 'createdAt'
>;

const BILL_COLUMNS: (keyof SocialAssistanceBill)[] = [
  'id',
  'fileName',
  'mimeType',
  'sizeBytes',
  'costKind',
  'createdAt',
];

/**
 * Social assistance applications: drafts saved step by step (one per applicant and municipality,
 * online or at the counter), bills uploaded with them, and submission of a complete application.
 */
@Injectable()
export class SocialAssistanceApplicationService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly calendars: CalendarService,
    private readonly reads: PersonDataReads,
    private readonly cases: CaseService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The applicant's draft in the municipality, resumed, or a new one (the 3 income months fixed from today). */
  async startDraft(req: StartDraft): Promise<SocialAssistanceApplication> {
    const today = await this.today(req.municipalityId);
    return this.tenantDb.run(req.municipalityId, async (em) => {
      await em
        .createQueryBuilder()
        .insert()
        .into(SocialAssistanceApplication)
        .values({
          municipalityId: req.municipalityId,
          status: 'draft',
          channel: req.channel,
          applicantCode: req.applicantCode,
          applicantName: req.applicantName.slice(0, 200),
          incomeMonths: incomeMonths(today),
          data: emptyApplicationData(),
          stepsDone: [],
          lang: req.lang,
          enteredBy: req.enteredBy,
        })
        .orIgnore()
        .execute();
      return em.findOneOrFail(SocialAssistanceApplication, {
        where: { applicantCode: req.applicantCode, status: 'draft' },
      });
    });
  }

  /** The applicant's draft as it would start (nothing stored: a page view writes nothing). */
  async unsavedDraft(req: StartDraft): Promise<SocialAssistanceApplication> {
    const today = await this.today(req.municipalityId);
    return Object.assign(new SocialAssistanceApplication(), {
      id: '',
      municipalityId: req.municipalityId,
      status: 'draft',
      channel: req.channel,
      applicantCode: req.applicantCode,
      applicantName: req.applicantName,
      incomeMonths: incomeMonths(today),
      data: emptyApplicationData(),
      stepsDone: [],
      truthDeclared: false,
      lang: req.lang,
      enteredBy: req.enteredBy,
    });
  }

  /** The applicant's own draft, if any. */
  findDraft(municipalityId: string, applicantCode: string) {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(SocialAssistanceApplication, { where: { applicantCode, status: 'draft' } }),
    );
  }

  /**
   * An application as its applicant (any other applicant: not found) or as staff (any of the
   * municipality's; the household's data read is audited). Another municipality's: not found (RLS).
   */
  async get(
    actor: ApplicationActor,
    id: string,
    applicantCode?: string,
  ): Promise<SocialAssistanceApplication> {
    const app = isUuid(id)
      ? await this.tenantDb.run(actor.municipalityId, (em) =>
          em.findOne(SocialAssistanceApplication, { where: { id } }),
        )
      : null;
    if (!app || (applicantCode !== undefined && app.applicantCode !== applicantCode))
      throw new DomainError(ErrorCode.NotFound, 'application not found');
    if (actor.audit) await this.auditRead(actor, app);
    return app;
  }

  /** The household starts with the applicant as named at the counter (the step itself still has to be saved). */
  async seedApplicant(
    app: SocialAssistanceApplication,
    givenName: string,
    familyName: string,
  ): Promise<void> {
    await this.tenantDb.run(app.municipalityId, async (em) => {
      const current = await this.lockDraft(em, app.id);
      if (current.data.members.length) return;
      const code = parsePersonalCode(app.applicantCode);
      current.data = {
        ...current.data,
        members: [
          {
            givenName,
            familyName,
            personalCode: app.applicantCode,
            birthDate: code.ok ? (code.value.birthDate ?? '') : '',
            relation: 'applicant',
            pensioner: false,
            disability: false,
            fullTimeEducation: false,
            workingAge: false,
          },
        ],
      };
      await em.save(current);
    });
  }

  /** The applicant's application that opened a case (the citizen's case page), else not found. */
  async findByCase(
    municipalityId: string,
    caseId: string,
    applicantCode: string,
  ): Promise<SocialAssistanceApplication> {
    const app = isUuid(caseId)
      ? await this.tenantDb.run(municipalityId, (em) =>
          em.findOne(SocialAssistanceApplication, { where: { caseId, applicantCode } }),
        )
      : null;
    if (!app) throw new DomainError(ErrorCode.NotFound, 'application not found');
    return app;
  }

  /**
   * A file of the applicant's own case: a bill of its application or a file sent with an answer
   * (another applicant's or another municipality's: not found, as if it did not exist). Its read is
   * audited with the household, as the caseworker's download is: a bill or a statement may be any
   * member's.
   */
  async caseFile(
    actor: ApplicationActor & { audit: NonNullable<ApplicationActor['audit']> },
    caseId: string,
    applicantCode: string,
    fileId: string,
  ): Promise<SocialAssistanceBill> {
    const app = await this.findByCase(actor.municipalityId, caseId, applicantCode);
    const file = await this.bill(app, fileId);
    await this.auditRead(actor, app, {
      action: 'social_assistance_file.read',
      subject: { type: 'social_assistance_file', id: file.id },
      purpose: 'applicant downloading a file of their case',
      details: { caseId, applicationId: app.id },
    });
    return file;
  }

  /** What the steps need to read and check their fields (the household codes, the months). */
  async stepContext(app: SocialAssistanceApplication, lang: Lang): Promise<StepContext> {
    const today = await this.today(app.municipalityId);
    return {
      lang,
      applicantCode: app.applicantCode,
      memberCodes: app.data.members.map((m) => m.personalCode),
      incomeMonths: app.incomeMonths,
      irregularMonths: lastMonths(today, 12),
      today,
    };
  }

  /** Saves one step of a draft; bad fields are refused field by field and nothing is saved. */
  async saveStep(
    app: SocialAssistanceApplication,
    step: ApplicationStep,
    body: Record<string, unknown>,
    lang: Lang,
  ): Promise<SocialAssistanceApplication> {
    requireDraft(app);
    const { patch, errors } = parseStep(step, body, await this.stepContext(app, lang));
    if (errors.length) throw DomainError.validation(errors);
    const { truthDeclared, ...data } = patch;
    return this.tenantDb.run(app.municipalityId, async (em) => {
      const current = await this.lockDraft(em, app.id);
      current.data = { ...current.data, ...data };
      if (truthDeclared !== undefined) current.truthDeclared = truthDeclared;
      if (!current.stepsDone.includes(step)) current.stepsDone = [...current.stepsDone, step];
      current.lang = lang;
      return em.save(current);
    });
  }

  async bills(app: SocialAssistanceApplication): Promise<BillSummary[]> {
    if (!app.id) return [];
    return this.tenantDb.run(app.municipalityId, (em) =>
      em.find(SocialAssistanceBill, {
        select: BILL_COLUMNS,
        where: { applicationId: app.id, requestId: IsNull() },
        order: { createdAt: 'ASC' },
      }),
    );
  }

  /** Stores bills with a draft: PDF, JPEG or PNG, within the per-file size and the application's count. */
  async addBills(
    app: SocialAssistanceApplication,
    files: UploadedBill[],
    costKind: string,
    uploadedBy: string,
  ): Promise<void> {
    requireDraft(app);
    const errors: FieldError[] = [];
    if (files.length === 0) errors.push({ field: 'bills', message: `${NS}.billsRequired` });
    errors.push(
      ...billFileErrors(files, 'bills', { type: `${NS}.billType`, tooLarge: `${NS}.billTooLarge` }),
    );
    const kind = (HOUSING_COST_KINDS as readonly string[]).includes(costKind) ? costKind : null;
    if (costKind && !kind) errors.push({ field: 'costKind', message: `${NS}.choice` });
    if (errors.length) throw DomainError.validation(errors);
    await this.tenantDb.run(app.municipalityId, async (em) => {
      await this.lockDraft(em, app.id);
      const held = await em.count(SocialAssistanceBill, { where: { applicationId: app.id } });
      if (held + files.length > BILLS_MAX_FILES)
        throw DomainError.validation([
          { field: 'bills', message: `${NS}.tooManyBills`, params: { max: BILLS_MAX_FILES } },
        ]);
      await em.save(
        files.map((f) =>
          billRow(em, f, {
            municipalityId: app.municipalityId,
            applicationId: app.id,
            costKind: kind,
            requestId: null,
            uploadedBy,
          }),
        ),
      );
    });
  }

  async removeBill(app: SocialAssistanceApplication, billId: string): Promise<void> {
    requireDraft(app);
    if (!isUuid(billId)) throw new DomainError(ErrorCode.NotFound, 'bill not found');
    await this.tenantDb.run(app.municipalityId, async (em) => {
      await this.lockDraft(em, app.id);
      const gone = await em.delete(SocialAssistanceBill, { id: billId, applicationId: app.id });
      if (!gone.affected) throw new DomainError(ErrorCode.NotFound, 'bill not found');
    });
  }

  async bill(app: SocialAssistanceApplication, billId: string): Promise<SocialAssistanceBill> {
    const bill = isUuid(billId)
      ? await this.tenantDb.run(app.municipalityId, (em) =>
          em.findOne(SocialAssistanceBill, { where: { id: billId, applicationId: app.id } }),
        )
      : null;
    if (!bill) throw new DomainError(ErrorCode.NotFound, 'bill not found');
    return bill;
  }

  /**
   * Submits a complete draft: every missing or inconsistent answer is a field error (nothing
   * changes); else it is stored as `submitted`, dated in the municipality's local date (the
   * parameters in force on that date apply), with the channel it was submitted through, and its
   * `social-assistance` case is opened in the same transaction (the run starts after commit).
   * Submitting again (a double click, a resent form) returns the submitted application and its case.
   */
  async submit(
    actor: ApplicationActor,
    app: SocialAssistanceApplication,
  ): Promise<SocialAssistanceApplication> {
    if (app.status !== 'draft' && app.caseId) return app;
    requireDraft(app);
    const appliedOn = await this.today(app.municipalityId);
    return this.tenantDb.run(app.municipalityId, async (em) => {
      const locked = await em.findOne(SocialAssistanceApplication, {
        where: { id: app.id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!locked) throw new DomainError(ErrorCode.NotFound, 'application not found');
      // A concurrent submit committed first: its case is the answer.
      if (locked.status !== 'draft' && locked.caseId) return locked;
      const current = await this.lockDraft(em, app.id);
      const billCount = await em.count(SocialAssistanceBill, { where: { applicationId: app.id } });
      const errors = completenessErrors(current, billCount);
      if (errors.length) throw DomainError.validation(errors);
      current.status = 'submitted';
      current.channel = actor.channel;
      current.submittedBy = actor.accountId;
      current.submittedAt = this.clock.now();
      current.appliedOn = appliedOn;
      const saved = await em.save(current);
      const c = await this.cases.open(
        {
          municipalityId: app.municipalityId,
          processKey: 'social-assistance',
          title: 'social-assistance:case.title',
          applicantRef: current.applicantCode,
          actor: actor.accountId,
          channel: actor.channel === 'online' ? 'e_service' : 'counter',
          input: {
            applicationId: current.id,
            applicantCode: current.applicantCode,
            appliedOn,
          },
        },
        em,
      );
      await em.update(SocialAssistanceApplication, { id: current.id }, { caseId: c.id });
      saved.caseId = c.id;
      return saved;
    });
  }

  private async lockDraft(em: EntityManager, id: string): Promise<SocialAssistanceApplication> {
    const current = await em.findOne(SocialAssistanceApplication, {
      where: { id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!current) throw new DomainError(ErrorCode.NotFound, 'application not found');
    requireDraft(current);
    return current;
  }

  /** Records the read of the household's data (by default: the application as staff read it). */
  private async auditRead(
    actor: ApplicationActor,
    app: SocialAssistanceApplication,
    what?: Pick<PersonalDataRead, 'action' | 'subject' | 'purpose' | 'details'>,
  ) {
    const a = actor.audit!;
    await this.reads.record(
      {
        municipalityId: actor.municipalityId,
        actor: { accountId: a.accountId, display: a.display, role: a.role ?? null },
        requestId: a.requestId ?? null,
        ip: a.ip ?? null,
        ...(what ?? {
          action: 'social_assistance_application.read',
          subject: { type: 'social_assistance_application', id: app.id },
          purpose:
            app.status === 'draft' ? 'social assistance counter' : 'social assistance application',
        }),
      },
      app.data.members.length
        ? app.data.members.map((m) => ({
            personalCode: m.personalCode,
            givenName: m.givenName,
            familyName: m.familyName,
            birthDate: m.birthDate || null,
          }))
        : [app.applicantCode],
    );
  }

  private async today(municipalityId: string): Promise<string> {
    const country = await this.calendars.countryOf(municipalityId);
    return localDate(this.clock.now(), TIME_ZONES[country]);
  }
}

function requireDraft(app: SocialAssistanceApplication): void {
  if (app.status !== 'draft')
    throw new DomainError(ErrorCode.AlreadyDone, 'the application has been submitted');
}

/** A PDF, JPEG or PNG whose content starts as its type says (a renamed executable is not a bill). */
export function isBillFile(f: UploadedBill): boolean {
  return (BILL_MIME_TYPES as readonly string[]).includes(f.mimetype) && looksLike(f);
}

/** A stored bill row for a file that passed the checks (an application's bill or an answer's file). */
export function billRow(
  em: EntityManager,
  f: UploadedBill,
  at: Pick<
    SocialAssistanceBill,
    'municipalityId' | 'applicationId' | 'costKind' | 'requestId' | 'uploadedBy'
  >,
): SocialAssistanceBill {
  return em.create(SocialAssistanceBill, {
    ...at,
    fileName: f.originalname.slice(0, 200) || 'bill',
    mimeType: f.mimetype,
    sizeBytes: f.size,
    sha256: createHash('sha256').update(f.buffer).digest('hex'),
    content: f.buffer,
  });
}

/**
 * The errors of uploaded files at `field`: one whose type or content is not a PDF, JPEG or PNG, and
 * one over BILL_MAX_BYTES (the application's bills and the answers to a request check the same).
 */
export function billFileErrors(
  files: UploadedBill[],
  field: string,
  messages: { type: string; tooLarge: string },
): FieldError[] {
  const errors: FieldError[] = [];
  for (const f of files) {
    if (!isBillFile(f))
      errors.push({ field, message: messages.type, params: { name: f.originalname } });
    if (f.size > BILL_MAX_BYTES)
      errors.push({ field, message: messages.tooLarge, params: { maxMb: 5 } });
  }
  return errors;
}

function looksLike(f: UploadedBill): boolean {
  const head = f.buffer.subarray(0, 8);
  if (f.mimetype === 'application/pdf') return head.subarray(0, 5).toString('latin1') === '%PDF-';
  if (f.mimetype === 'image/png') return head.toString('hex') === '89504e470d0a1a0a';
  return head[0] === 0xff && head[1] === 0xd8;
}

const ym = (y: number, m: number): string => {
  const d = new Date(Date.UTC(y, m - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};

/** The `n` full months before the month of `today` (YYYY-MM), newest first. */
export function lastMonths(today: string, n: number): string[] {
  const [y, m] = today.split('-').map(Number);
  return Array.from({ length: n }, (_, k) => ym(y, m - 1 - k));
}

/** The 3 full months before the application, oldest first (regular income, MK 809 p. 2.4). */
export const incomeMonths = (today: string): string[] => lastMonths(today, 3).reverse();

/** What a complete application needs, as field errors on the step that declares it. */
export function completenessErrors(
  app: Pick<SocialAssistanceApplication, 'data' | 'truthDeclared' | 'applicantCode' | 'stepsDone'>,
  billCount: number,
): FieldError[] {
  const d: ApplicationData = app.data;
  const errors: FieldError[] = [];
  const fail = (field: string, key: string) => errors.push({ field, message: `${NS}.${key}` });
  for (const step of APPLICATION_STEPS.slice(0, -1))
    if (!app.stepsDone.includes(step)) fail(`step.${step}`, `stepMissing.${step}`);
  if (d.members[0]?.personalCode !== app.applicantCode) fail('members[0].givenName', 'applicant');
  const codes = new Set(d.members.map((m) => m.personalCode));
  const lists = [
    ['regularIncomes', d.regularIncomes],
    ['irregularIncomes', d.irregularIncomes],
    ['bankAccounts', d.bankAccounts],
    ['savings', d.savings],
    ['properties', d.properties],
    ['vehicles', d.vehicles],
  ] as const;
  for (const [name, rows] of lists)
    rows.forEach((row, i) => {
      if (!codes.has(row.member)) fail(`${name}[${i}].member`, 'memberGone');
    });
  if (d.benefits.length === 0) fail('benefits', 'benefitsRequired');
  if (d.benefits.includes('housing-benefit')) {
    if (d.housingCosts.length === 0) fail('housingCosts[0].kind', 'housingCostsRequired');
    if (billCount === 0) fail('bills', 'billsForHousing');
  }
  if (!app.truthDeclared) fail('truthDeclared', 'truthRequired');
  return errors;
}
