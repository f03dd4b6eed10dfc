import { Injectable } from '@nestjs/common';
import { DomainError, type FieldError } from '../../../platform/errors/domain-error';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { MunicipalDates } from '../municipal-dates';

export type StatsPeriod = 'month' | 'year';

export interface StatsRow {
  period: string;
  territory: string;
  registered: number;
  annulled: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Declarations registered and annulled (persons) per period and territory of the address. */
@Injectable()
export class ResidenceStatsService {
  constructor(
    private readonly tenantDb: TenantDb,
    private readonly dates: MunicipalDates,
  ) {}

  /** `year` is the municipality's current year (default range: last year and this one). */
  parse(
    q: Record<string, unknown>,
    year: number,
  ): { period: StatsPeriod; from: string; to: string } {
    const errors: FieldError[] = [];
    const period = q.period === undefined || q.period === '' ? 'month' : q.period;
    if (period !== 'month' && period !== 'year')
      errors.push({ field: 'period', message: 'residence:stats.errors.period' });
    const from = typeof q.from === 'string' && q.from ? q.from : `${year - 1}-01-01`;
    const to = typeof q.to === 'string' && q.to ? q.to : `${year}-12-31`;
    for (const [k, v] of [
      ['from', from],
      ['to', to],
    ] as const) {
      if (
        !DATE.test(v) ||
        Number.isNaN(Date.parse(v)) ||
        !new Date(`${v}T00:00:00Z`).toISOString().startsWith(v)
      )
        errors.push({ field: k, message: 'residence:lists.errors.date' });
    }
    if (!errors.length && from > to)
      errors.push({ field: 'to', message: 'residence:stats.errors.range' });
    if (errors.length) throw DomainError.validation(errors);
    return { period: period as StatsPeriod, from, to };
  }

  async currentYear(municipalityId: string): Promise<number> {
    return Number((await this.dates.today(municipalityId)).slice(0, 4));
  }

  /** Periods and the from/to range are local to the municipality's time zone. */
  async table(
    municipalityId: string,
    period: StatsPeriod,
    from: string,
    to: string,
  ): Promise<StatsRow[]> {
    const fmt = period === 'month' ? 'YYYY-MM' : 'YYYY';
    const timeZone = await this.dates.timeZone(municipalityId);
    const rows: { period: string; territory: string; registered: string; annulled: string }[] =
      await this.tenantDb.run(municipalityId, (em) =>
        em.query(
          `WITH events AS (
           SELECT to_char(d.registered_at AT TIME ZONE $3, '${fmt}') AS period, d.address_code, jsonb_array_length(d.person_codes) AS registered, 0 AS annulled
             FROM residence_declarations d
            WHERE d.status = 'registered' AND d.registered_at >= ($1::date)::timestamp AT TIME ZONE $3 AND d.registered_at < ($2::date + 1)::timestamp AT TIME ZONE $3
           UNION ALL
           SELECT to_char(c.closed_at AT TIME ZONE $3, '${fmt}'), an.address_code, 0, jsonb_array_length(an.annulled_codes)
             FROM residence_annulments an JOIN cases c ON c.id = an.case_id
            WHERE an.status = 'annulled' AND c.closed_at >= ($1::date)::timestamp AT TIME ZONE $3 AND c.closed_at < ($2::date + 1)::timestamp AT TIME ZONE $3
         )
         SELECT e.period, COALESCE(a.territory, '-') AS territory, sum(e.registered) AS registered, sum(e.annulled) AS annulled
           FROM events e LEFT JOIN sim_addresses a ON a.code = e.address_code
          GROUP BY 1, 2 ORDER BY 1, 2`,
          [from, to, timeZone],
        ),
      );
    return rows.map((r) => ({
      period: r.period,
      territory: r.territory,
      registered: Number(r.registered),
      annulled: Number(r.annulled),
    }));
  }

  /** Totals per period, for the chart. */
  static chart(rows: StatsRow[]): { labels: string[]; registered: number[]; annulled: number[] } {
    const by = new Map<string, { registered: number; annulled: number }>();
    for (const r of rows) {
      const t = by.get(r.period) ?? { registered: 0, annulled: 0 };
      t.registered += r.registered;
      t.annulled += r.annulled;
      by.set(r.period, t);
    }
    const labels = [...by.keys()].sort();
    return {
      labels,
      registered: labels.map((l) => by.get(l)!.registered),
      annulled: labels.map((l) => by.get(l)!.annulled),
    };
  }
}
