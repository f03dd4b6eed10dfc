import { Inject, Injectable } from '@nestjs/common';
import { CalendarService } from '../../../deadlines/calendar/calendar.service';
import { TIME_ZONES, localDate } from '../../../deadlines/calendar/time-zone';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { DomainError, type FieldError } from '../../../platform/errors/domain-error';
import { Municipality } from '../../../platform/tenancy/municipality.entity';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import type { AwardBenefit, AwardStatus, AwardStatusOrNone } from '../awards/award.entity';

/** A month as YYYY-MM (1900–2099). */
const MONTH = /^(19|20)\d{2}-(0[1-9]|1[0-2])$/;
/** The longest range the page answers (ten years of months). */
export const MAX_MONTHS = 120;

export interface StatsRange {
  from: string;
  to: string;
}

/**
 * Households and persons holding a status in a month (one row per grouping: `status` and/or
 * `territory` null = all). A household is its holder; a person counts once however many awards.
 */
export interface RecipientsRow {
  month: string;
  status: AwardStatus | null;
  territory: string | null;
  households: number;
  persons: number;
}

/**
 * One benefit in a month: households and persons with an amount above zero in force (award
 * amounts), and the money of its payment lines for that month: `scheduledCents` every line still
 * owed or paid (not cancelled, rejected or replaced), `paidCents` the lines the bank settled.
 */
export interface BenefitRow {
  month: string;
  benefit: AwardBenefit;
  /** `none`: housing benefit granted without a status. */
  status: AwardStatusOrNone | null;
  territory: string | null;
  households: number;
  persons: number;
  scheduledCents: number;
  paidCents: number;
}

/** The ministry report's period: a month, a quarter or a year (first and last day, inclusive). */
export interface ReportPeriod {
  key: string;
  kind: 'month' | 'quarter' | 'year';
  first: string;
  last: string;
}

/** The figures of the ministry report for one period. */
export interface ReportFigures {
  status: Record<AwardStatus, { households: number; persons: number }>;
  granted: Record<AwardStatus, { households: number; persons: number }>;
  benefits: Record<
    AwardBenefit,
    { households: number; persons: number; scheduledCents: number; paidCents: number }
  >;
}

const lastDayOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

const monthsBetween = (from: string, to: string): number => {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
};

/**
 * The awards in force in a period, each with the last day it holds (a stopped award ends the day
 * before `stopped_on`). Parameters: $1 first day, $2 last day of the period.
 */
const AWARDS_IN_FORCE = `
  SELECT a.case_id, a.holder_code, a.household_codes, a.status, a.territory, a.valid_from, a.decided_on,
         CASE WHEN a.state = 'stopped' AND a.stopped_on IS NOT NULL
              THEN LEAST(a.valid_until, a.stopped_on - 1) ELSE a.valid_until END AS until
    FROM social_assistance_awards a
   WHERE a.valid_from <= $2::date AND a.valid_until >= $1::date
     AND (a.state <> 'stopped' OR a.stopped_on IS NULL OR (a.stopped_on > $1::date AND a.stopped_on > a.valid_from))`;

const MONTHS = `
  SELECT m::date AS first, (m + interval '1 month' - interval '1 day')::date AS last
    FROM generate_series($1::date, $2::date, interval '1 month') m`;

/**
 * A payment line's benefit and the month it pays for, from its key (`gmi:2026-03`, a re-issue
 * `gmi:2026-03:…`); the due month when the key names none. Lines of other processes have other keys.
 */
const LINE_BENEFIT = `split_part(pl.key, ':', 1)`;
const LINE_MONTH = `COALESCE(NULLIF(split_part(pl.key, ':', 2), ''), pl.due_month)`;
/** Owed or paid: not withdrawn, not refused by the bank, not replaced by a re-issue. */
const SCHEDULED = `pl.status NOT IN ('cancelled', 'rejected', 'reissued')`;

/**
 * Social-assistance statistics: recipients (households, persons) from the awards in force in each
 * month, amounts from the payment lines of each benefit month, by status, benefit and territory;
 * and the figures of the ministry's periodic report. Aggregates only (no personal codes leave
 * the database); one query per figure set, under the municipality's row-level security.
 */
@Injectable()
export class SocialAssistanceStatsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * One aggregate query in the municipality's transaction. Row-level security hides the table
   * statistics from the planner (it estimates a row or two), which then joins award to amount to
   * line row by row; for these whole-period aggregates hash joins are right, and their sorts get
   * memory enough not to spill (both SET LOCAL: this transaction only). JIT is off: the penalty
   * cost of the forbidden plans would make PostgreSQL compile the query, which costs seconds.
   */
  private aggregate<T>(municipalityId: string, sql: string, params: unknown[]): Promise<T[]> {
    return this.tenantDb.run(
      municipalityId,
      async (em) => {
        await em.query(`SET LOCAL enable_nestloop = off`);
        await em.query(`SET LOCAL work_mem = '64MB'`);
        return (await em.query(sql, params)) as T[];
      },
      { jit: false },
    );
  }

  /** The respondent's name on the report. */
  async municipalityName(municipalityId: string): Promise<string> {
    const m = await this.tenantDb.run(municipalityId, (em) =>
      em.findOne(Municipality, { where: { id: municipalityId } }),
    );
    return m?.name ?? '';
  }

  /** The month today is in, in the municipality's time zone. */
  async currentMonth(municipalityId: string): Promise<string> {
    const country = await this.calendars.countryOf(municipalityId);
    return localDate(this.clock.now(), TIME_ZONES[country]).slice(0, 7);
  }

  /** from / to months (default: the last 12 months to this one); field errors for the form. */
  static parseRange(q: Record<string, unknown>, currentMonth: string): StatsRange {
    const errors: FieldError[] = [];
    const [y, m] = currentMonth.split('-').map(Number);
    const yearAgo = new Date(Date.UTC(y, m - 12, 1)).toISOString().slice(0, 7);
    const from = typeof q.from === 'string' && q.from.trim() ? q.from.trim() : yearAgo;
    const to = typeof q.to === 'string' && q.to.trim() ? q.to.trim() : currentMonth;
    if (!MONTH.test(from))
      errors.push({ field: 'from', message: 'social-assistance:statistics.errors.month' });
    if (!MONTH.test(to))
      errors.push({ field: 'to', message: 'social-assistance:statistics.errors.month' });
    if (!errors.length && from > to)
      errors.push({ field: 'to', message: 'social-assistance:statistics.errors.range' });
    if (!errors.length && monthsBetween(from, to) > MAX_MONTHS)
      errors.push({
        field: 'to',
        message: 'social-assistance:statistics.errors.span',
        params: { max: MAX_MONTHS },
      });
    if (errors.length) throw DomainError.validation(errors);
    return { from, to };
  }

  /** `2026` (year), `2026-Q1` (quarter) or `2026-03` (month). */
  static parseReportPeriod(q: Record<string, unknown>, field = 'report'): ReportPeriod {
    const v = typeof q[field] === 'string' ? (q[field] as string).trim().toUpperCase() : '';
    const year = /^((?:19|20)\d{2})$/.exec(v);
    if (year) return { key: v, kind: 'year', first: `${v}-01-01`, last: `${v}-12-31` };
    const quarter = /^((?:19|20)\d{2})-Q([1-4])$/.exec(v);
    if (quarter) {
      const start = (Number(quarter[2]) - 1) * 3 + 1;
      const pad = (n: number) => String(n).padStart(2, '0');
      return {
        key: v,
        kind: 'quarter',
        first: `${quarter[1]}-${pad(start)}-01`,
        last: lastDayOf(`${quarter[1]}-${pad(start + 2)}`),
      };
    }
    if (MONTH.test(v)) return { key: v, kind: 'month', first: `${v}-01`, last: lastDayOf(v) };
    throw DomainError.validation([
      { field, message: 'social-assistance:statistics.errors.reportPeriod' },
    ]);
  }

  /** Households and persons with a status, per month, by status and territory (with subtotals). */
  async recipients(municipalityId: string, range: StatsRange): Promise<RecipientsRow[]> {
    const rows: {
      month: string;
      status: AwardStatus | null;
      territory: string | null;
      g_status: number;
      g_territory: number;
      households: string;
      persons: string;
    }[] = await this.aggregate(
      municipalityId,
      `WITH months AS (${MONTHS}), aw AS (${AWARDS_IN_FORCE}),
       held AS (
         SELECT to_char(m.first, 'YYYY-MM') AS month, aw.status, COALESCE(aw.territory, '') AS territory,
                aw.holder_code, p.code AS person
           FROM months m
           JOIN aw ON aw.valid_from <= m.last AND aw.until >= m.first
           CROSS JOIN LATERAL jsonb_array_elements_text(aw.household_codes) AS p(code)
          WHERE aw.status <> 'none'
       )
       SELECT month, status, territory, GROUPING(status) AS g_status, GROUPING(territory) AS g_territory,
              count(DISTINCT holder_code) AS households, count(DISTINCT person) AS persons
         FROM held
        GROUP BY GROUPING SETS ((month), (month, status), (month, territory), (month, status, territory))
        ORDER BY month, g_status DESC, status, g_territory DESC, territory`,
      [`${range.from}-01`, lastDayOf(range.to)],
    );
    return rows.map((r) => ({
      month: r.month,
      status: Number(r.g_status) ? null : r.status,
      territory: Number(r.g_territory) ? null : r.territory,
      households: Number(r.households),
      persons: Number(r.persons),
    }));
  }

  /**
   * Per month and benefit (GMI, housing): recipients from the award amounts in force (above zero)
   * and money from the payment lines, in total, by status and by territory.
   */
  async benefits(municipalityId: string, range: StatsRange): Promise<BenefitRow[]> {
    const rows: {
      month: string;
      benefit: AwardBenefit;
      status: AwardStatusOrNone | null;
      territory: string | null;
      g_status: number;
      g_territory: number;
      households: string;
      persons: string;
      scheduled: string;
      paid: string;
    }[] = await this.aggregate(
      municipalityId,
      `WITH months AS (${MONTHS}), aw AS (${AWARDS_IN_FORCE}),
       rec AS (
         SELECT to_char(m.first, 'YYYY-MM') AS month, am.benefit, aw.status, COALESCE(aw.territory, '') AS territory,
                aw.holder_code, p.code AS person, 0::bigint AS scheduled, 0::bigint AS paid
           FROM months m
           JOIN social_assistance_award_amounts am
             ON am.valid_from <= m.last AND am.valid_until >= m.first AND am.monthly_cents > 0
           JOIN aw ON aw.case_id = am.case_id
            AND GREATEST(am.valid_from, aw.valid_from, m.first) <= LEAST(am.valid_until, aw.until, m.last)
           CROSS JOIN LATERAL jsonb_array_elements_text(aw.household_codes) AS p(code)
          WHERE am.benefit IN ('gmi', 'housing')
       ),
       money AS (
         SELECT ${LINE_MONTH} AS month, ${LINE_BENEFIT} AS benefit, a.status, COALESCE(a.territory, '') AS territory,
                NULL::text AS holder_code, NULL::text AS person,
                CASE WHEN ${SCHEDULED} THEN pl.amount_cents ELSE 0 END::bigint AS scheduled,
                CASE WHEN pl.status = 'paid' THEN pl.amount_cents ELSE 0 END::bigint AS paid
           FROM payment_lines pl
           JOIN social_assistance_awards a ON a.case_id = pl.case_id
          WHERE ${LINE_BENEFIT} IN ('gmi', 'housing')
            AND ${LINE_MONTH} BETWEEN $3 AND $4
       ),
       u AS (SELECT * FROM rec UNION ALL SELECT * FROM money)
       SELECT month, benefit, status, territory,
              GROUPING(status) AS g_status, GROUPING(territory) AS g_territory,
              count(DISTINCT holder_code) AS households, count(DISTINCT person) AS persons,
              sum(scheduled) AS scheduled, sum(paid) AS paid
         FROM u
        GROUP BY GROUPING SETS ((month, benefit), (month, benefit, status), (month, benefit, territory))
        ORDER BY month, benefit, g_status DESC, status, g_territory DESC, territory`,
      [`${range.from}-01`, lastDayOf(range.to), range.from, range.to],
    );
    return rows.map((r) => ({
      month: r.month,
      benefit: r.benefit,
      status: Number(r.g_status) ? null : r.status,
      territory: Number(r.g_territory) ? null : r.territory,
      households: Number(r.households),
      persons: Number(r.persons),
      scheduledCents: Number(r.scheduled),
      paidCents: Number(r.paid),
    }));
  }

  /**
   * The ministry report's figures for a period: households and persons with each status at any
   * time in it and those granted it by a decision in it; per benefit, its recipients and the money
   * of the lines for its months (scheduled and paid). One query.
   */
  async report(municipalityId: string, period: ReportPeriod): Promise<ReportFigures> {
    const rows: {
      figure: string;
      key: string;
      households: string;
      persons: string;
      scheduled: string;
      paid: string;
    }[] = await this.aggregate(
      municipalityId,
      `WITH aw AS (${AWARDS_IN_FORCE}),
       people AS (SELECT aw.*, p.code AS person FROM aw CROSS JOIN LATERAL jsonb_array_elements_text(aw.household_codes) AS p(code))
       SELECT 'status' AS figure, status AS key, count(DISTINCT holder_code) AS households, count(DISTINCT person) AS persons, 0 AS scheduled, 0 AS paid
         FROM people GROUP BY status
       UNION ALL
       SELECT 'granted', status, count(DISTINCT holder_code), count(DISTINCT person), 0, 0
         FROM people WHERE decided_on BETWEEN $1::date AND $2::date GROUP BY status
       UNION ALL
       SELECT 'benefit', am.benefit, count(DISTINCT pe.holder_code), count(DISTINCT pe.person), 0, 0
         FROM social_assistance_award_amounts am
         JOIN people pe ON pe.case_id = am.case_id
        WHERE am.monthly_cents > 0
          AND GREATEST(am.valid_from, pe.valid_from, $1::date) <= LEAST(am.valid_until, pe.until, $2::date)
        GROUP BY am.benefit
       UNION ALL
       SELECT 'money', ${LINE_BENEFIT}, 0, 0,
              sum(CASE WHEN ${SCHEDULED} THEN pl.amount_cents ELSE 0 END),
              sum(CASE WHEN pl.status = 'paid' THEN pl.amount_cents ELSE 0 END)
         FROM payment_lines pl
        WHERE ${LINE_BENEFIT} IN ('gmi', 'housing')
          AND ${LINE_MONTH} BETWEEN $3 AND $4
          AND EXISTS (SELECT 1 FROM social_assistance_awards a WHERE a.case_id = pl.case_id)
        GROUP BY 2`,
      [period.first, period.last, period.first.slice(0, 7), period.last.slice(0, 7)],
    );
    const zero = () => ({ households: 0, persons: 0 });
    const out: ReportFigures = {
      status: { needy: zero(), 'low-income': zero() },
      granted: { needy: zero(), 'low-income': zero() },
      benefits: {
        gmi: { ...zero(), scheduledCents: 0, paidCents: 0 },
        housing: { ...zero(), scheduledCents: 0, paidCents: 0 },
      },
    };
    for (const r of rows) {
      if (r.figure === 'status' || r.figure === 'granted') {
        const slot = out[r.figure][r.key as AwardStatus];
        if (slot) Object.assign(slot, { households: +r.households, persons: +r.persons });
      } else {
        const slot = out.benefits[r.key as AwardBenefit];
        if (!slot) continue;
        if (r.figure === 'benefit')
          Object.assign(slot, { households: +r.households, persons: +r.persons });
        else Object.assign(slot, { scheduledCents: +r.scheduled, paidCents: +r.paid });
      }
    }
    return out;
  }
}
