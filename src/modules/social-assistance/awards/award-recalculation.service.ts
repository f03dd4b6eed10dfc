import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { TimelineEvent } from '../../../cases/timeline-event.entity';
import { CalendarService } from '../../../deadlines/calendar/calendar.service';
import { addDays } from '../../../deadlines/calendar/working-days';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { calculate } from '../calculation/calculate';
import { formatCents } from '../calculation/exact';
import type { CalculationInput, CalculationResult } from '../calculation/types';
import { SocialAssistanceRulesService } from '../social-assistance-rules.service';
import { amountFields, calculationRecord, parametersUsed } from './award-amount-record';
import { SocialAssistanceAwardAmount } from './award.entity';

interface Plan {
  row: SocialAssistanceAwardAmount;
  input: CalculationInput;
  result: CalculationResult;
  used: Record<string, string>;
}

/** The timeline entry of a recalculation (declared in the manifest's timelineKinds). */
export const AWARD_RECALCULATED = 'social-assistance.award-recalculated';

/** One benefit's change in a recalculation, as the timeline entry keeps it. */
export interface AmountChange {
  benefit: string;
  from: string;
  to: string;
  fromCents: number;
  toCents: number;
}

/** One parameter whose version changed: key, the version the amount had and the one now in force. */
export interface ParameterChange {
  key: string;
  from: string | null;
  to: string | null;
}

/**
 * Recalculates awards in force when a social-assistance parameter gets a version with an effective
 * date inside them (issue 15 item 6). Driven by the data, not by an event: for every active award
 * and each amount row, the dates inside the row where some social-assistance parameter version
 * starts (or a temporary one ends) are candidates; at the first candidate where the versions the
 * row's calculation would use differ from those it recorded (`parameters`), the amounts in force
 * that day are recalculated from the recorded input under the rules of that day: a new row
 * (reason `recalculation`) from that date to the old row's end, the old row cut to the day before,
 * and one timeline entry on the case with old → new amounts and the parameters that changed.
 *
 * Exactly once: each award is worked on under its row lock (FOR UPDATE) and re-read inside it, so
 * two instances cannot both split a row; once split, the new row records the versions in force
 * from its first day, so running again finds nothing (idempotent and restart-safe: one transaction
 * per award, a crash leaves it untouched). The timeline key (award + date) is unique per case.
 */
@Injectable()
export class AwardRecalculationService {
  private readonly log = new Logger(AwardRecalculationService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly rules: SocialAssistanceRulesService,
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Every municipality offering social assistance; returns the number of awards recalculated. */
  async recalculateAll(): Promise<number> {
    const ms = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities ORDER BY id`);
    let n = 0;
    for (const { id } of ms) n += await this.recalculateMunicipality(id);
    return n;
  }

  async recalculateMunicipality(municipalityId: string): Promise<number> {
    if (!(await this.rules.offered(municipalityId))) return 0;
    const dates = await this.candidateDates(municipalityId);
    if (!dates.length) return 0;
    const awards = await this.tenantDb.run(municipalityId, (em) =>
      em.query<{ id: string }[]>(
        `SELECT a.id FROM social_assistance_awards a
          WHERE a.state = 'active' AND EXISTS (
            SELECT 1 FROM social_assistance_award_amounts r
             WHERE r.award_id = a.id AND r.valid_until > r.valid_from
               AND EXISTS (SELECT 1 FROM unnest($1::date[]) d WHERE d > r.valid_from AND d <= r.valid_until))
          ORDER BY a.id`,
        [dates],
      ),
    );
    let n = 0;
    for (const { id } of awards) {
      try {
        if (await this.recalculateAward(municipalityId, id, dates)) n++;
      } catch (e) {
        this.log.error(
          `award ${id}: recalculation failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return n;
  }

  /** Recalculates one award as often as its rows need; true when something was written. */
  async recalculateAward(
    municipalityId: string,
    awardId: string,
    dates?: string[],
  ): Promise<boolean> {
    const candidates = dates ?? (await this.candidateDates(municipalityId));
    return this.tenantDb.run(municipalityId, async (em) => {
      const [award] = await em.query<{ id: string }[]>(
        `SELECT id FROM social_assistance_awards WHERE id = $1 AND state = 'active' FOR UPDATE`,
        [awardId],
      );
      if (!award) return false;
      let changed = false;
      // Each pass splits at the earliest date that needs it; the next pass sees the new rows.
      for (let pass = 0; pass < candidates.length; pass++) {
        if (!(await this.splitFirst(em, municipalityId, awardId, candidates))) break;
        changed = true;
      }
      return changed;
    });
  }

  private async splitFirst(
    em: EntityManager,
    municipalityId: string,
    awardId: string,
    candidates: string[],
  ): Promise<boolean> {
    const rows = await em.find(SocialAssistanceAwardAmount, {
      where: { awardId },
      order: { validFrom: 'ASC', benefit: 'ASC' },
    });
    for (const date of candidates) {
      const inForce = rows.filter(
        (r) => r.validFrom < date && date <= r.validUntil && calculationRecord(r.calculation),
      );
      if (!inForce.length) continue;
      const params = await this.rules.inForce(municipalityId, date, {}, em);
      const plans = inForce.map((r): Plan => {
        const record = calculationRecord(r.calculation)!;
        const input = { ...record.input, asOf: date };
        const result = calculate(input, params);
        return { row: r, input, result, used: parametersUsed(result) };
      });
      const differing = plans.filter((p) => !sameVersions(p.row.parameters, p.used));
      if (!differing.length) continue;
      await this.split(em, awardId, date, differing);
      return true;
    }
    return false;
  }

  private async split(
    em: EntityManager,
    awardId: string,
    date: string,
    plans: Plan[],
  ): Promise<void> {
    const changes: AmountChange[] = [];
    const parameterChanges = new Map<string, ParameterChange>();
    for (const p of plans) {
      const fields = amountFields(p.input, p.result, p.row.benefit);
      await em.update(SocialAssistanceAwardAmount, p.row.id, {
        validUntil: addDays(date, -1),
      });
      await em.insert(SocialAssistanceAwardAmount, {
        municipalityId: p.row.municipalityId,
        awardId,
        caseId: p.row.caseId,
        benefit: p.row.benefit,
        monthlyCents: fields.monthlyCents,
        validFrom: date,
        validUntil: p.row.validUntil,
        reason: 'recalculation',
        payeeKind: p.row.payeeKind,
        payeeName: p.row.payeeName,
        payeeIban: p.row.payeeIban,
        payeeReference: p.row.payeeReference,
        calculation: fields.calculation,
        parameters: fields.parameters,
      });
      changes.push({
        benefit: p.row.benefit,
        from: formatCents(p.row.monthlyCents),
        to: formatCents(fields.monthlyCents),
        fromCents: p.row.monthlyCents,
        toCents: fields.monthlyCents,
      });
      for (const key of new Set([...Object.keys(p.row.parameters ?? {}), ...Object.keys(p.used)])) {
        const from = p.row.parameters?.[key] ?? null;
        const to = p.used[key] ?? null;
        if (from !== to) parameterChanges.set(key, { key, from, to });
      }
    }
    const first = plans[0].row;
    await em
      .createQueryBuilder()
      .insert()
      .into(TimelineEvent)
      .values({
        municipalityId: first.municipalityId,
        caseId: first.caseId,
        at: this.clock.now(),
        kind: AWARD_RECALCULATED,
        actor: 'system',
        key: `sa-recalculation:${awardId}:${date}`,
        data: {
          awardId,
          validFrom: date,
          changes,
          parameters: [...parameterChanges.values()].sort((a, b) => a.key.localeCompare(b.key)),
        },
      })
      .orIgnore()
      .execute();
  }

  /**
   * The dates a social-assistance parameter version of this municipality (or the national one)
   * starts, and the day after a version with an end date ends: where the rules in force can change.
   */
  private async candidateDates(municipalityId: string): Promise<string[]> {
    const country = await this.calendars.countryOf(municipalityId);
    const rows = await this.ds.query<{ d: string }[]>(
      `SELECT DISTINCT d::text AS d FROM (
         SELECT valid_from AS d FROM parameters
          WHERE country = $1 AND key LIKE 'social-assistance.%' AND (municipality_id IS NULL OR municipality_id = $2)
         UNION
         SELECT valid_to + 1 FROM parameters
          WHERE country = $1 AND key LIKE 'social-assistance.%' AND valid_to IS NOT NULL
            AND (municipality_id IS NULL OR municipality_id = $2)) x
        ORDER BY d`,
      [country, municipalityId],
    );
    return rows.map((r) => r.d);
  }
}

function sameVersions(a: Record<string, string> | null, b: Record<string, string>): boolean {
  const ka = Object.keys(a ?? {});
  return ka.length === Object.keys(b).length && ka.every((k) => a?.[k] === b[k]);
}
