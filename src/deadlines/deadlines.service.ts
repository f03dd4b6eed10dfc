import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { AlertService } from '../delivery/alerts/alert.service';
import { OutboxMessage } from '../delivery/outbox-message.entity';
import { OutboxService } from '../delivery/outbox.service';
import { sendingMunicipality } from '../delivery/recipient-router';
import { officialLanguageOf } from '../documents/document.service';
import { TRANSLATOR, type Translator } from '../delivery/translator';
import { CalendarService } from './calendar/calendar.service';
import type { CountryCode } from './calendar/holiday-calendar';
import { TIME_ZONES, localDate } from './calendar/time-zone';
import { isIsoDate, type IsoDate } from './calendar/working-days';
import { Deadline } from './deadline.entity';
import { computeDue } from './deadline-math';
import { DeadlineRulesService } from './deadline-rules.service';
import { toView, type DeadlineView } from './deadline-view';
import { isUuid } from '../platform/ids';
import { CASE_STATUS_REPORTER, type CaseStatusReporter } from '../cases/service-status/case-status';

export interface StartDeadline {
  municipalityId: string;
  caseId: string;
  /** The step, unique per case: starting the same key again returns the existing deadline. */
  key: string;
  ruleKey: string;
  startedAt: Date;
}

export interface ExtendDeadline {
  newDueOn: string;
  reason: string;
  by: string;
  /** The applicant is told of every extension (APL art. 64). */
  notice: {
    channel: string;
    recipient: string;
    /** Default: the municipality's official language. */
    lang?: string;
    /** Why the recipient router chose the channel (kept with the message for the case file). */
    routeReason?: string;
  };
}

export interface DueDateChange {
  municipalityId: string;
  deadlineId: string;
  caseId: string;
  from: IsoDate;
  to: IsoDate;
}

/** Told about due dates moved by a calendar change, inside the tenant transaction that moved them (the case core records them). */
export interface DeadlineChangeListener {
  dueDatesChanged(em: EntityManager, changes: DueDateChange[], at: Date): Promise<void>;
}
export const DEADLINE_CHANGE_LISTENER = Symbol('DEADLINE_CHANGE_LISTENER');

/** Legal clocks on cases: start, pause while waiting for the citizen, resume, extend with notice, recompute. */
@Injectable()
export class DeadlinesService implements OnModuleInit {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly ds: DataSource,
    private readonly calendars: CalendarService,
    private readonly rules: DeadlineRulesService,
    private readonly outbox: OutboxService,
    private readonly alerts: AlertService,
    @Inject(TRANSLATOR) private readonly i18n: Translator,
    @Inject(DEADLINE_CHANGE_LISTENER) private readonly changeListener: DeadlineChangeListener,
    @Inject(CASE_STATUS_REPORTER) private readonly statusReports: CaseStatusReporter,
  ) {}

  onModuleInit(): void {
    this.calendars.onChange((country, municipalityId) =>
      this.recomputeForCalendar(country, municipalityId),
    );
  }

  async start(s: StartDeadline): Promise<DeadlineView> {
    const { country, timeZone, calendar } = await this.calendars.forMunicipality(s.municipalityId);
    const startedOn = localDate(s.startedAt, timeZone);
    // The rule is read before the transaction opens: read inside it, every concurrent start held
    // one pooled connection while waiting for a second, and as many starts as the pool has
    // connections stalled the engine for good (bench/social-assistance.ts at 50/s).
    const rule = await this.rules.effective(country, s.ruleKey, startedOn);
    return this.tenantDb.run(s.municipalityId, async (em) => {
      const repo = em.getRepository(Deadline);
      const existing = await repo.findOneBy({ caseId: s.caseId, key: s.key });
      if (existing) return toView(existing);
      const terms = {
        unit: rule.unit,
        amount: rule.amount,
        maxExtension: rule.maxExtension,
        warnBefore: rule.warnBefore,
        onResume: rule.onResume,
      };
      const due = computeDue(calendar, terms, startedOn, [], []);
      await em
        .createQueryBuilder()
        .insert()
        .into(Deadline)
        .values({
          municipalityId: s.municipalityId,
          caseId: s.caseId,
          key: s.key,
          processKey: rule.processKey,
          ruleId: rule.id,
          ruleKey: rule.ruleKey,
          basis: rule.basis,
          country,
          ...terms,
          startedAt: s.startedAt,
          startedOn,
          dueOn: due.dueOn,
          maxDueOn: due.maxDueOn,
          warnOn: due.warnOn,
          status: 'running',
          pauses: [],
          extensions: [],
          version: 1,
        })
        .orIgnore()
        .execute();
      return toView(await repo.findOneByOrFail({ caseId: s.caseId, key: s.key }));
    });
  }

  get(municipalityId: string, id: string): Promise<DeadlineView> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const d = await this.load(em, id, false);
      return toView(d, await this.noticesSent(em, [d]));
    });
  }

  /** The case's legal clocks; inside the caller's tenant transaction when `em` is given. */
  listForCase(municipalityId: string, caseId: string, em?: EntityManager): Promise<DeadlineView[]> {
    const read = async (m: EntityManager) => {
      const rows = await m
        .getRepository(Deadline)
        .find({ where: { caseId }, order: { createdAt: 'ASC' } });
      const sent = await this.noticesSent(m, rows);
      return rows.map((d) => toView(d, sent));
    };
    return em ? read(em) : this.tenantDb.run(municipalityId, read);
  }

  private async noticesSent(
    em: EntityManager,
    rows: Deadline[],
  ): Promise<Map<string, Date | null>> {
    const ids = rows.flatMap((d) =>
      d.extensions.map((x) => x.noticeMessageId).filter((x): x is string => !!x),
    );
    if (ids.length === 0) return new Map();
    const msgs = await em
      .getRepository(OutboxMessage)
      .find({ where: { id: In(ids) }, select: { id: true, sentAt: true } });
    return new Map(msgs.map((m) => [m.id, m.sentAt]));
  }

  /**
   * Stops the clock while the citizen is asked for something, and reports "more information
   * requested" to the services platform (one report per pause instant, however many of the case's
   * clocks it pauses). Pausing a paused deadline changes nothing.
   */
  pause(municipalityId: string, id: string, at: Date, reason: string): Promise<DeadlineView> {
    return this.mutate(municipalityId, id, async (d, tz, em) => {
      if (d.status === 'paused') return false;
      this.requireStatus(d, 'running');
      d.pauses = [...d.pauses, { from: localDate(at, tz), to: null, reason }];
      d.status = 'paused';
      await this.statusReports.record(em, {
        municipalityId,
        caseId: d.caseId,
        status: 'info_requested',
        step: at.toISOString(),
        at,
      });
      return true;
    });
  }

  /** Restarts the clock; the due date moves by the paused time (or the term restarts, per rule). */
  resume(municipalityId: string, id: string, at: Date): Promise<DeadlineView> {
    return this.mutate(municipalityId, id, async (d, tz) => {
      if (d.status === 'running') return false;
      if (d.status !== 'paused')
        throw DomainError.validation([{ field: 'status', message: 'deadlines:errors.notPaused' }]);
      const open = d.pauses.at(-1)!;
      const to = localDate(at, tz);
      d.pauses = [...d.pauses.slice(0, -1), { ...open, to: to < open.from ? open.from : to }];
      d.status = 'running';
      return true;
    });
  }

  /** Extends up to the rule's maximum, with a reason, and writes the notice to the applicant in the same transaction. */
  extend(municipalityId: string, id: string, x: ExtendDeadline): Promise<DeadlineView> {
    return this.mutate(municipalityId, id, async (d, _tz, em) => {
      const errors: FieldError[] = [];
      if (!x.reason?.trim())
        errors.push({ field: 'reason', message: 'deadlines:errors.reasonRequired' });
      if (!isIsoDate(x.newDueOn))
        errors.push({ field: 'newDueOn', message: 'deadlines:errors.dueDateInvalid' });
      else if (d.maxDueOn === null)
        errors.push({ field: 'newDueOn', message: 'deadlines:errors.noExtension' });
      else if (x.newDueOn <= d.dueOn)
        errors.push({
          field: 'newDueOn',
          message: 'deadlines:errors.dueNotLater',
          params: { dueOn: d.dueOn },
        });
      else if (x.newDueOn > d.maxDueOn)
        errors.push({
          field: 'newDueOn',
          message: 'deadlines:errors.beyondMaximum',
          params: { maxDueOn: d.maxDueOn },
        });
      if (errors.length) throw DomainError.validation(errors);
      if (d.status !== 'running' && d.status !== 'paused') this.requireStatus(d, 'running');
      const lang =
        x.notice.lang ??
        officialLanguageOf((await sendingMunicipality(em, municipalityId)).country);
      const vars = {
        caseNumber: await this.caseNumber(em, d.caseId),
        dueOn: x.newDueOn,
        reason: x.reason.trim(),
        basis: d.basis,
      };
      const { message } = await this.outbox.enqueue(em, {
        municipalityId,
        caseId: d.caseId,
        channel: x.notice.channel,
        purpose: 'notice',
        recipient: x.notice.recipient,
        lang,
        subject: this.i18n.t(lang, 'deadlines:notice.extension.subject', vars),
        body: this.i18n.t(lang, 'deadlines:notice.extension.body', vars),
        idempotencyKey: `deadline:${d.id}:extension:${d.extensions.length + 1}`,
        routeReason: x.notice.routeReason ?? null,
      });
      d.extensions = [
        ...d.extensions,
        {
          dueOn: x.newDueOn,
          reason: x.reason.trim(),
          at: new Date().toISOString(),
          noticeMessageId: message.id,
        },
      ];
      return true;
    });
  }

  markMet(municipalityId: string, id: string, at: Date): Promise<DeadlineView> {
    return this.mutate(municipalityId, id, async (d) => {
      if (d.status === 'met') return false;
      d.status = 'met';
      d.metAt = at;
      return true;
    });
  }

  /** Raises the "deadline approaching" alert once per due date. */
  async warn(
    municipalityId: string,
    id: string,
  ): Promise<{ warned: boolean; deadline: DeadlineView }> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const d = await this.load(em, id, true);
      if (d.status !== 'running' || d.warnedAt) return { warned: false, deadline: toView(d) };
      d.warnedAt = new Date();
      await em.getRepository(Deadline).save(d);
      await this.alertFor(em, d, 'deadline.warning', 'warning');
      return { warned: true, deadline: toView(d) };
    });
  }

  /** When the due day has passed and the deadline is still running: marks it missed and alerts managers. */
  async escalate(
    municipalityId: string,
    id: string,
    now: Date,
  ): Promise<{ escalated: boolean; deadline: DeadlineView }> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const d = await this.load(em, id, true);
      const today = localDate(now, TIME_ZONES[d.country as CountryCode]);
      if (d.status !== 'running' || today <= d.dueOn)
        return { escalated: false, deadline: toView(d) };
      d.status = 'missed';
      d.escalatedAt = now;
      await em.getRepository(Deadline).save(d);
      await this.alertFor(em, d, 'deadline.missed', 'critical');
      return { escalated: true, deadline: toView(d) };
    });
  }

  /** After calendar exceptions change: recomputes running and paused deadlines of the affected municipalities. */
  async recomputeForCalendar(
    country: CountryCode,
    municipalityId: string | null,
  ): Promise<DueDateChange[]> {
    const ids = municipalityId
      ? [municipalityId]
      : (
          await this.ds.query<{ id: string }[]>(
            `SELECT id FROM municipalities WHERE country = $1`,
            [country],
          )
        ).map((r) => r.id);
    const changes: DueDateChange[] = [];
    const at = new Date();
    for (const mid of ids) {
      const calendar = await this.calendars.forCountry(country, mid);
      await this.tenantDb.run(mid, async (em) => {
        const repo = em.getRepository(Deadline);
        const rows = await repo
          .createQueryBuilder('d')
          .where(`d.status IN ('running', 'paused')`)
          .setLock('pessimistic_write')
          .getMany();
        const moved: DueDateChange[] = [];
        for (const d of rows) {
          const before = d.dueOn;
          if (!this.applyDue(d, calendar)) continue;
          await repo.save(d);
          if (d.dueOn !== before)
            moved.push({
              municipalityId: mid,
              deadlineId: d.id,
              caseId: d.caseId,
              from: before,
              to: d.dueOn,
            });
        }
        if (moved.length) await this.changeListener.dueDatesChanged(em, moved, at);
        changes.push(...moved);
      });
    }
    return changes;
  }

  private applyDue(d: Deadline, calendar: Parameters<typeof computeDue>[0]): boolean {
    const due = computeDue(calendar, d, d.startedOn, d.pauses, d.extensions);
    if (due.dueOn === d.dueOn && due.warnOn === d.warnOn && due.maxDueOn === d.maxDueOn)
      return false;
    if (due.dueOn !== d.dueOn) d.warnedAt = null;
    d.dueOn = due.dueOn;
    d.warnOn = due.warnOn;
    d.maxDueOn = due.maxDueOn;
    return true;
  }

  private async mutate(
    municipalityId: string,
    id: string,
    change: (d: Deadline, timeZone: string, em: EntityManager) => Promise<boolean>,
  ): Promise<DeadlineView> {
    const { timeZone, calendar } = await this.calendars.forMunicipality(municipalityId);
    return this.tenantDb.run(municipalityId, async (em) => {
      const d = await this.load(em, id, true);
      if (await change(d, timeZone, em)) {
        this.applyDue(d, calendar);
        await em.getRepository(Deadline).save(d);
      }
      return toView(d);
    });
  }

  private async load(em: EntityManager, id: string, lock: boolean): Promise<Deadline> {
    const d = await em.getRepository(Deadline).findOne({
      where: { id },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!d) throw new DomainError(ErrorCode.NotFound, `deadline ${id} not found`);
    return d;
  }

  private requireStatus(d: Deadline, status: Deadline['status']): void {
    if (d.status !== status)
      throw DomainError.validation([
        { field: 'status', message: 'deadlines:errors.notRunning', params: { status: d.status } },
      ]);
  }

  /** The case's number as people read it (e.g. REF-2026-000123), never its id. */
  private async caseNumber(em: EntityManager, caseId: string): Promise<string> {
    if (!isUuid(caseId)) return caseId;
    const [row] = (await em.query(`SELECT number FROM cases WHERE id = $1`, [caseId])) as {
      number: string;
    }[];
    return row?.number ?? caseId;
  }

  private async alertFor(
    em: EntityManager,
    d: Deadline,
    kind: 'deadline.warning' | 'deadline.missed',
    severity: 'warning' | 'critical',
  ) {
    const caseNumber = await this.caseNumber(em, d.caseId);
    return this.alerts.raise(em, {
      municipalityId: d.municipalityId,
      kind,
      severity,
      caseId: d.caseId,
      subjectType: 'deadline',
      subjectId: d.id,
      messageKey:
        kind === 'deadline.warning' ? 'deadlines:alert.warning' : 'deadlines:alert.missed',
      params: { caseId: d.caseId, caseNumber, dueOn: d.dueOn, basis: d.basis },
      dedupeKey: `${kind}:${d.id}:${d.dueOn}`,
    });
  }
}
