import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { ExternalEventService } from '../cases/external-events';
import { Task } from '../cases/task.entity';
import { CalendarService, workingDayDueDates } from '../deadlines/calendar/calendar.service';
import { AuditService } from '../platform/audit/audit.service';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { bicErrors, bicFromLatvianIban, ibanErrors, normalizeIban } from './iban';
import { lineOutcome, parsePain002, type Pain002Report, type StatusWithReason } from './pain002';
import { lineIdOf } from './payment-files.service';
import { PAIN002_XSD, validateXml } from './payment-schema';
import { PaymentLine, type LineStatus } from './payment-line.entity';
import { PaymentRun } from './payment-run.entity';
import { PaymentStatusReport } from './payment-status-report.entity';
import { PaymentsService } from './payments.service';

export const MAX_REPORT_BYTES = 20 * 1024 * 1024;
/** The event a case's run may wait for (kit waitForEvent): one of its payments came back rejected. */
export const PAYMENT_REJECTED_EVENT = 'payment.rejected';
export const REISSUE_FORM = 'payments.reissue';

type Outcome = 'paid' | 'accepted' | 'rejected';
/** From which states a bank status may move a line: never backwards, never twice. */
const FROM: Record<Outcome, LineStatus[]> = {
  accepted: ['in_run'],
  paid: ['in_run', 'accepted'],
  rejected: ['in_run', 'accepted'],
};

export interface ImportResult {
  reportId: string;
  runId: string;
  duplicate: boolean;
  summary: Record<string, number>;
}

/**
 * Bank status reports (pain.002.001.03) in, and the way back from a rejection: a rejected line
 * opens a task for the case's caseworkers ("payment rejected: fix the account and re-issue") and
 * is signalled to the case's run; re-issuing makes a new line with the corrected account.
 */
@Injectable()
export class PaymentStatusService {
  private readonly log = new Logger(PaymentStatusService.name);

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly payments: PaymentsService,
    private readonly events: ExternalEventService,
    private readonly calendars: CalendarService,
    private readonly audit: AuditService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Imports a pain.002 that passed the schema (PaymentSchemaCheck). The same report again changes nothing. */
  async importReport(
    municipalityId: string,
    actor: { accountId: string; display: string },
    xml: Buffer,
  ): Promise<ImportResult> {
    if (xml.length === 0 || xml.length > MAX_REPORT_BYTES)
      throw DomainError.validation([{ field: 'file', message: 'payments:errors.fileSize' }]);
    const check = await validateXml(PAIN002_XSD, { data: xml });
    if (!check.valid)
      throw DomainError.validation([
        {
          field: 'file',
          message: 'payments:errors.pain002Invalid',
          params: { detail: check.errors[0] ?? '' },
        },
      ]);
    let report: Pain002Report;
    try {
      report = parsePain002(xml.toString('utf8'));
    } catch {
      throw DomainError.validation([{ field: 'file', message: 'payments:errors.pain002Invalid' }]);
    }
    const sha256 = createHash('sha256').update(xml).digest('hex');
    const settings = await this.payments.settings(municipalityId);
    const dueDates = workingDayDueDates(this.calendars);
    const rejected: { line: PaymentLine; reason: string | null }[] = [];
    const result = await this.tenantDb.run(municipalityId, async (em) => {
      const run = await em.findOne(PaymentRun, { where: { msgId: report.originalMsgId } });
      if (!run)
        throw DomainError.validation([{ field: 'file', message: 'payments:errors.unknownRun' }]);
      const ins = (await em.query(
        `INSERT INTO payment_status_reports (municipality_id, msg_id, run_id, sha256, summary, imported_by)
         VALUES ($1, $2, $3, $4, '{}'::jsonb, $5) ON CONFLICT (municipality_id, msg_id) DO NOTHING RETURNING id`,
        [municipalityId, report.msgId, run.id, sha256, actor.accountId],
      )) as { id: string }[];
      if (ins.length === 0) {
        const prior = await em.findOneOrFail(PaymentStatusReport, {
          where: { msgId: report.msgId },
        });
        if (prior.sha256 !== sha256)
          throw DomainError.validation([
            { field: 'file', message: 'payments:errors.reportReused' },
          ]);
        return { reportId: prior.id, runId: run.id, duplicate: true, summary: prior.summary };
      }
      const summary: Record<string, number> = { accepted: 0, paid: 0, rejected: 0, unchanged: 0 };
      for (const [lineId, status] of this.statuses(report)) {
        const outcome = lineOutcome(status.status);
        const changed = outcome
          ? await this.mark(em, run.id, lineId, outcome, status.reason, status.text)
          : [];
        if (!outcome || changed.length === 0) summary.unchanged += lineId === ALL ? 0 : 1;
        else {
          summary[outcome] += changed.length;
          if (outcome === 'rejected')
            for (const line of await em.findBy(PaymentLine, { id: In(changed) }))
              rejected.push({ line, reason: status.reason });
        }
      }
      for (const r of rejected)
        await this.openRejectionTask(em, r.line, r.reason, settings.rejectionTaskDays, dueDates);
      await em.update(PaymentStatusReport, { id: ins[0].id }, { summary });
      return { reportId: ins[0].id, runId: run.id, duplicate: false, summary };
    });
    await this.audit.record({
      municipalityId,
      actor: { accountId: actor.accountId, display: actor.display },
      action: 'payments.status_report.import',
      subject: { type: 'payment_run', id: result.runId },
      details: { msgId: report.msgId, duplicate: result.duplicate, ...result.summary },
    });
    // The run may wait for it (kit waitForEvent); a case whose run is gone still has its task.
    for (const r of rejected)
      await this.events
        .deliver({
          municipalityId,
          caseId: r.line.caseId,
          event: PAYMENT_REJECTED_EVENT,
          eventId: r.line.id,
          payload: { lineId: r.line.id, key: r.line.key, reason: r.reason },
          source: 'payments',
        })
        .catch((e: unknown) =>
          this.log.warn(
            { lineId: r.line.id, err: String(e) },
            'rejection not signalled to the run',
          ),
        );
    return result;
  }

  /**
   * Re-issues a rejected line with a corrected account: a new line (key `<key>/r<n>`) for the
   * next run, the old one marked reissued, its rejection task completed. Twice: the second refuses.
   */
  async reissue(
    municipalityId: string,
    actor: { accountId: string; display: string },
    lineId: string,
    input: { iban?: unknown; bic?: unknown; name?: unknown },
  ): Promise<PaymentLine> {
    const old = await this.payments.line(municipalityId, lineId);
    const f = [...ibanErrors('iban', input.iban), ...bicErrors('bic', input.bic)];
    const name =
      typeof input.name === 'string' && input.name.trim() ? input.name.trim() : old.payeeName;
    if (name.length > 140) f.push({ field: 'name', message: 'payments:errors.payeeName' });
    if (f.length) throw DomainError.validation(f);
    if (old.status !== 'rejected')
      throw new DomainError(ErrorCode.Conflict, `payment line is ${old.status}, not rejected`);
    const iban = normalizeIban(input.iban as string);
    const bic =
      typeof input.bic === 'string' && input.bic.trim()
        ? input.bic.trim().toUpperCase()
        : (bicFromLatvianIban(iban) ?? null);
    const month = this.clock.now().toISOString().slice(0, 7);
    const n = (old.key.match(/\/r(\d+)$/)?.[1] ?? '0') as string;
    const key = `${old.key.replace(/\/r\d+$/, '')}/r${Number(n) + 1}`;
    const line = await this.tenantDb.run(municipalityId, async (em) => {
      const moved = await em.update(
        PaymentLine,
        { id: old.id, status: 'rejected' },
        { status: 'reissued' },
      );
      if (!moved.affected)
        throw new DomainError(ErrorCode.Conflict, 'payment line already re-issued');
      const created = em.create(PaymentLine, {
        municipalityId,
        caseId: old.caseId,
        key,
        payeeKind: old.payeeKind,
        payeeName: name,
        payeeIban: iban,
        payeeBic: bic,
        amountCents: old.amountCents,
        dueMonth: old.dueMonth > month ? old.dueMonth : month,
        remittance: old.remittance,
        purposeCode: old.purposeCode,
        amkCode: old.amkCode,
        ekkCode: old.ekkCode,
        ultimateDebtorName: old.ultimateDebtorName,
        reissueOf: old.id,
        createdBy: actor.accountId,
      });
      await em.save(created);
      const now = this.clock.now();
      await em.update(
        Task,
        { caseId: old.caseId, step: taskStep(old.id), status: In(['open', 'claimed']) },
        {
          status: 'completed',
          completedBy: actor.accountId,
          completedAt: now,
          decision: { outcome: 'reissued', lineId: created.id, iban },
        },
      );
      return created;
    });
    await this.audit.record({
      municipalityId,
      actor: { accountId: actor.accountId, display: actor.display },
      action: 'payments.line.reissue',
      subject: { type: 'payment_line', id: old.id },
      details: { newLineId: line.id, caseId: old.caseId },
    });
    return line;
  }

  /** Which lines each status of the report is about: a transaction's own, else its block's, else the group's. */
  private statuses(report: Pain002Report): [string, StatusWithReason][] {
    const out: [string, StatusWithReason][] = [];
    for (const p of report.payments)
      for (const t of p.transactions) {
        const id = lineIdOf(t.endToEndId);
        const status = t.status ?? p.status ?? report.group.status;
        const reason = t.reason ?? p.reason ?? report.group.reason;
        if (id) out.push([id, { status, reason, text: t.text ?? p.text ?? report.group.text }]);
      }
    // A whole-file or whole-block status without transaction detail applies to every line of the run.
    const blockOnly = report.payments.find((p) => p.transactions.length === 0 && p.status);
    const whole =
      blockOnly ?? (report.payments.length === 0 && report.group.status ? report.group : null);
    if (whole) out.push([ALL, whole]);
    return out;
  }

  /** Moves the line (or, for ALL, every line of the run) forward to `outcome`; returns the ids it moved. */
  private async mark(
    em: EntityManager,
    runId: string,
    lineId: string,
    outcome: Outcome,
    reason: string | null,
    text: string | null,
  ): Promise<string[]> {
    const rows = (await em.query(
      `WITH u AS (
         UPDATE payment_lines SET status = $3, status_reason = $4, status_text = $5, updated_at = now()
          WHERE run_id = $1 AND ($2 = '*' OR id::text = $2) AND status = ANY($6::text[])
          RETURNING id)
       SELECT id FROM u`,
      [runId, lineId, outcome, reason, text?.slice(0, 500) ?? null, FROM[outcome]],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  private async openRejectionTask(
    em: EntityManager,
    line: PaymentLine,
    reason: string | null,
    days: number,
    dueDates: ReturnType<typeof workingDayDueDates>,
  ): Promise<void> {
    const c = await em.findOneOrFail(Case, { where: { id: line.caseId } });
    const dueAt = await dueDates.addWorkingDays(line.municipalityId, this.clock.now(), days);
    await em
      .createQueryBuilder()
      .insert()
      .into(Task)
      .values({
        municipalityId: line.municipalityId,
        caseId: line.caseId,
        step: taskStep(line.id),
        processKey: c.processKey,
        role: 'caseworker',
        formKey: REISSUE_FORM,
        title: 'payments:task.rejected',
        dueAt,
        remindAt: null,
      })
      .orIgnore()
      .execute();
    await em.query(
      `INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data)
       VALUES ($1, $2, $3, 'payment.rejected', 'payments', $4::jsonb) ON CONFLICT (case_id, key) DO NOTHING`,
      [
        line.municipalityId,
        line.caseId,
        `payment.rejected:${line.id}`,
        JSON.stringify({ lineId: line.id, key: line.key, reason, amountCents: line.amountCents }),
      ],
    );
  }
}

const ALL = '*';
export const taskStep = (lineId: string): string => `payment-rejected:${lineId}`;
