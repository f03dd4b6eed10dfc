import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Case } from '../cases/case.entity';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { isUuid } from '../platform/ids';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { bicErrors, bicFromLatvianIban, ibanErrors, normalizeIban } from './iban';
import {
  cleanPayment,
  MONTH,
  type CleanPayment,
  type SchedulePaymentRequest,
} from './payment-input';
import { PaymentLine } from './payment-line.entity';
import { PaymentRun } from './payment-run.entity';
import { PaymentSettings } from './payment-settings.entity';

export interface ScheduledPayment {
  lineId: string;
  status: PaymentLine['status'];
  /** False when the line already existed (a retried activity). */
  created: boolean;
}

const SAME: (keyof CleanPayment)[] = ['payeeIban', 'amountCents', 'dueMonth', 'payeeName'];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Payable lines of cases and the monthly payment runs that collect them, per municipality.
 *
 * The run is a transactional service, not an engine workflow: collecting the due lines is one
 * SQL transaction (insert the run under its unique (municipality, month) index, then claim every
 * unclaimed due line with one UPDATE), so there is no intermediate state to resume; the files are
 * a pure function of the committed rows, so every download of a run is the same file.
 */
@Injectable()
export class PaymentsService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records a payable line for a case; the same (case, key) again returns the first line. */
  async schedule(req: SchedulePaymentRequest): Promise<ScheduledPayment> {
    const p = cleanPayment(req);
    return this.tenantDb.run(req.municipalityId, async (em) => {
      await this.requireCase(em, req.caseId);
      const inserted = (await em
        .createQueryBuilder()
        .insert()
        .into(PaymentLine)
        .values({
          municipalityId: req.municipalityId,
          caseId: req.caseId,
          ...p,
          createdBy: req.createdBy ?? 'system',
        })
        .orIgnore()
        .returning(['id'])
        .execute()) as { raw: { id: string }[] };
      const line = await em.findOneOrFail(PaymentLine, {
        where: { caseId: req.caseId, key: p.key },
      });
      const created = inserted.raw.length > 0;
      // A retry repeats the same request; a different payment under a used key is a caller's bug.
      if (!created && SAME.some((k) => line[k] !== p[k]))
        throw new DomainError(
          ErrorCode.Conflict,
          `payment ${p.key} of case ${req.caseId} was scheduled with other details`,
        );
      return { lineId: line.id, status: line.status, created };
    });
  }

  /** Withdraws a line no run has taken yet. Cancelling again is a no-op; a line in a run cannot be cancelled. */
  async cancel(req: {
    municipalityId: string;
    caseId: string;
    key: string;
  }): Promise<{ cancelled: boolean; status: PaymentLine['status'] | null }> {
    return this.tenantDb.run(req.municipalityId, async (em) => {
      const line = await em.findOne(PaymentLine, {
        where: { caseId: req.caseId, key: req.key },
        lock: { mode: 'pessimistic_write' },
      });
      if (!line) return { cancelled: false, status: null };
      if (line.status === 'cancelled') return { cancelled: true, status: line.status };
      if (line.status !== 'scheduled')
        throw new DomainError(
          ErrorCode.Conflict,
          `payment ${req.key} is ${line.status} and can no longer be cancelled`,
        );
      await em.update(PaymentLine, { id: line.id }, { status: 'cancelled' });
      return { cancelled: true, status: 'cancelled' };
    });
  }

  /**
   * The run of `month`: made once, collecting every line due by then that no run holds. Started
   * again (a second click, a second instance at the same moment) it returns the same run.
   */
  async startRun(
    municipalityId: string,
    actor: string,
    input: { month: unknown; executionDate?: unknown },
  ): Promise<{ run: PaymentRun; created: boolean }> {
    const month = typeof input.month === 'string' ? input.month.trim() : '';
    const today = this.clock.now().toISOString().slice(0, 10);
    const date =
      typeof input.executionDate === 'string' && input.executionDate.trim() !== ''
        ? input.executionDate.trim()
        : today;
    const f: FieldError[] = [];
    if (!MONTH.test(month)) f.push({ field: 'month', message: 'payments:errors.month' });
    if (!ISO_DATE.test(date) || Number.isNaN(Date.parse(date)) || date < today)
      f.push({ field: 'executionDate', message: 'payments:errors.executionDate' });
    if (f.length) throw DomainError.validation(f);
    await this.settings(municipalityId);
    const id = randomUUID();
    const msgId = `PAY-${month.replace('-', '')}-${id.replace(/-/g, '').slice(0, 20).toUpperCase()}`;
    return this.tenantDb.run(municipalityId, async (em) => {
      const ins = (await em.query(
        `INSERT INTO payment_runs (id, municipality_id, month, msg_id, requested_execution_date, line_count, total_cents, created_by)
         VALUES ($1, $2, $3, $4, $5, 0, 0, $6)
         ON CONFLICT (municipality_id, month) DO NOTHING RETURNING id`,
        [id, municipalityId, month, msgId, date, actor],
      )) as { id: string }[];
      if (ins.length === 0) {
        const run = await em.findOneOrFail(PaymentRun, { where: { month } });
        return { run, created: false };
      }
      // Row locks make a line join one run only, even with runs of two months started together.
      await em.query(
        `UPDATE payment_lines SET run_id = $1, status = 'in_run', updated_at = now()
         WHERE status = 'scheduled' AND run_id IS NULL AND due_month <= $2`,
        [id, month],
      );
      const [t] = (await em.query(
        `SELECT count(*)::int AS n, coalesce(sum(amount_cents), 0)::text AS total FROM payment_lines WHERE run_id = $1`,
        [id],
      )) as { n: number; total: string }[];
      if (t.n === 0)
        throw DomainError.validation([{ field: 'month', message: 'payments:errors.nothingDue' }]);
      await em.update(PaymentRun, { id }, { lineCount: t.n, totalCents: t.total });
      return { run: await em.findOneOrFail(PaymentRun, { where: { id } }), created: true };
    });
  }

  async runs(municipalityId: string): Promise<PaymentRun[]> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.find(PaymentRun, { order: { month: 'DESC' }, take: 120 }),
    );
  }

  async run(municipalityId: string, runId: string): Promise<PaymentRun> {
    const run = isUuid(runId)
      ? await this.tenantDb.run(municipalityId, (em) =>
          em.findOne(PaymentRun, { where: { id: runId } }),
        )
      : null;
    if (!run) throw new DomainError(ErrorCode.NotFound, `payment run ${runId} not found`);
    return run;
  }

  /** A run's lines with their case numbers, in file order, a page at a time. */
  async lines(
    municipalityId: string,
    runId: string,
    page = { after: '', limit: 500 },
  ): Promise<(PaymentLine & { caseNumber: string })[]> {
    return this.tenantDb.run(municipalityId, (em) => linesPage(em, runId, page.after, page.limit));
  }

  /** Lines the bank rejected that are not re-issued yet (the caseworkers' work list). */
  async rejected(municipalityId: string): Promise<(PaymentLine & { caseNumber: string })[]> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const rows = await em
        .createQueryBuilder(PaymentLine, 'l')
        .innerJoin(Case, 'c', 'c.id = l.case_id')
        .addSelect('c.number', 'case_number')
        .where(`l.status = 'rejected'`)
        .orderBy('l.updated_at', 'DESC')
        .limit(200)
        .getRawAndEntities();
      return rows.entities.map((e, i) => ({
        ...e,
        caseNumber: (rows.raw[i] as { case_number: string }).case_number,
      }));
    });
  }

  async line(
    municipalityId: string,
    lineId: string,
  ): Promise<PaymentLine & { caseNumber: string }> {
    const row = isUuid(lineId)
      ? await this.tenantDb.run(municipalityId, async (em) => {
          const l = await em.findOne(PaymentLine, { where: { id: lineId } });
          const c = l ? await em.findOne(Case, { where: { id: l.caseId } }) : null;
          return l && c ? { ...l, caseNumber: c.number } : null;
        })
      : null;
    if (!row) throw new DomainError(ErrorCode.NotFound, `payment line ${lineId} not found`);
    return row;
  }

  /** The municipality's paying account; refuses (field `settings`) when none is set. */
  async settings(municipalityId: string): Promise<PaymentSettings> {
    const s = await this.settingsOrNull(municipalityId);
    if (!s)
      throw DomainError.validation([{ field: 'settings', message: 'payments:errors.noAccount' }]);
    return s;
  }

  async settingsOrNull(municipalityId: string): Promise<PaymentSettings | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOne(PaymentSettings, { where: { municipalityId } }),
    );
  }

  /** Sets the paying account (an administrator's or the seed's step); the IBAN is checked like a payee's. */
  async saveSettings(
    municipalityId: string,
    input: Partial<Omit<PaymentSettings, 'municipalityId'>> & { debtorIban: string },
  ): Promise<PaymentSettings> {
    const f = [
      ...ibanErrors('debtorIban', input.debtorIban),
      ...bicErrors('debtorBic', input.debtorBic),
    ];
    if (input.latvianLetters !== undefined && !['domestic', 'never'].includes(input.latvianLetters))
      f.push({ field: 'latvianLetters', message: 'payments:errors.latvianLetters' });
    if (f.length) throw DomainError.validation(f);
    const iban = normalizeIban(input.debtorIban);
    const row = {
      municipalityId,
      debtorName: input.debtorName ?? '',
      debtorIban: iban,
      debtorBic: input.debtorBic ?? bicFromLatvianIban(iban) ?? null,
      amkCode: input.amkCode ?? null,
      ekkCode: input.ekkCode ?? null,
      latvianLetters: input.latvianLetters ?? 'domestic',
      rejectionTaskDays: input.rejectionTaskDays ?? 5,
    };
    await this.tenantDb.run(municipalityId, (em) => em.save(PaymentSettings, row));
    return row;
  }

  private async requireCase(em: EntityManager, caseId: string): Promise<void> {
    const c = isUuid(caseId) ? await em.findOne(Case, { where: { id: caseId } }) : null;
    if (!c) throw new DomainError(ErrorCode.NotFound, `case ${caseId} not found`);
  }
}

/** Keyset page of a run's lines by id (the file's order), with the case number. */
export async function linesPage(
  em: EntityManager,
  runId: string,
  after: string,
  limit: number,
): Promise<(PaymentLine & { caseNumber: string })[]> {
  const q = em
    .createQueryBuilder(PaymentLine, 'l')
    .innerJoin(Case, 'c', 'c.id = l.case_id')
    .addSelect('c.number', 'case_number')
    .where('l.run_id = :runId', { runId })
    .orderBy('l.id', 'ASC')
    .limit(limit);
  if (after) q.andWhere('l.id > :after', { after });
  const rows = await q.getRawAndEntities();
  return rows.entities.map((e, i) => ({
    ...e,
    caseNumber: (rows.raw[i] as { case_number: string }).case_number,
  }));
}
