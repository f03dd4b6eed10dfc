import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Case } from '../../../cases/case.entity';
import { Task } from '../../../cases/task.entity';
import { CalendarService, workingDayDueDates } from '../../../deadlines/calendar/calendar.service';
import { TIME_ZONES, localDate } from '../../../deadlines/calendar/time-zone';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../../../integrations/address/address-register.port';
import {
  ASSISTANCE_REGISTER,
  type AssistanceRegister,
} from '../../../integrations/assistance/assistance-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../../integrations/population/population-register.port';
import { CLOCK, type Clock } from '../../../platform/clock/clock';
import { TenantDb } from '../../../platform/tenancy/tenant-db';
import { SocialAssistanceRulesService } from '../social-assistance-rules.service';
import { SocialAssistanceAward } from './award.entity';
import {
  SocialAssistanceAwardFinding,
  SocialAssistanceMonitorRun,
  type FindingKind,
} from './award-finding.entity';

/** The timeline entry of a finding (declared in the manifest's timelineKinds). */
export const INTEGRITY_FINDING = 'social-assistance.integrity-finding';
/** The task's form key and step: the finding page (/workspace/social-assistance/findings/:id) works it. */
export const INTEGRITY_FORM = 'social-assistance.integrity';
export const integrityStep = (kind: FindingKind, place?: number | null): string =>
  place === undefined || place === null ? `integrity:${kind}` : `integrity:${kind}:${place}`;
const memberPlace = (f: Found): number | null =>
  typeof f.details.place === 'number' ? f.details.place : null;
/** Working days the caseworker has to look at a finding. */
const TASK_DAYS = 5;
/** A run claimed this long ago and not finished died: another instance takes it over. */
const RUN_LEASE_MS = 30 * 60_000;

interface Found {
  kind: FindingKind;
  /** The holder, or the household member the finding is about. */
  personCode: string;
  details: Record<string, string | number | null>;
}

/**
 * The data-integrity monitor (issue 15 item 9): once a day per municipality, every award in force
 * is checked against the registers for its holder and every other member of the household it was
 * computed for — the person died (population register), their declared residence moved to another
 * municipality (population + address register), or the same benefit is granted to them elsewhere
 * for a time inside the award (national assistance register, SPOLIS) — and each new finding opens
 * a task for the caseworkers with a timeline entry on the case.
 *
 * Exactly once per municipality and day: the day's run row (unique) is the claim, so a second app
 * instance skips it; a run that died (claimed, unfinished, older than the lease) is taken over.
 * Idempotent: at most one finding (and task) per award and kind, whatever the number of runs; an
 * award a register could not answer for is simply checked again on the next run.
 */
@Injectable()
export class IntegrityMonitorService {
  private readonly log = new Logger(IntegrityMonitorService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly rules: SocialAssistanceRulesService,
    private readonly calendars: CalendarService,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
    @Inject(ADDRESS_REGISTER) private readonly addresses: AddressRegister,
    @Inject(ASSISTANCE_REGISTER) private readonly assistance: AssistanceRegister,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Runs today's check in every municipality that has not had it yet; returns the runs made. */
  async runDue(): Promise<number> {
    const ms = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities ORDER BY id`);
    let runs = 0;
    for (const { id } of ms) {
      try {
        if (await this.runMunicipality(id)) runs++;
      } catch (e) {
        this.log.error(
          `integrity monitor of ${id} failed: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    return runs;
  }

  /** Today's run of one municipality, unless it was made (or is being made) already. */
  async runMunicipality(municipalityId: string): Promise<SocialAssistanceMonitorRun | null> {
    if (!(await this.rules.offered(municipalityId))) return null;
    const country = await this.calendars.countryOf(municipalityId);
    const now = this.clock.now();
    const today = localDate(now, TIME_ZONES[country]);
    const claimed = await this.tenantDb.run(municipalityId, (em) =>
      em.query<{ id: string }[]>(
        `INSERT INTO social_assistance_monitor_runs (municipality_id, run_date, claimed_at)
         VALUES ($1, $2, $3)
         ON CONFLICT (municipality_id, run_date) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
           WHERE social_assistance_monitor_runs.finished_at IS NULL
             AND social_assistance_monitor_runs.claimed_at < $4
         RETURNING id`,
        [municipalityId, today, now, new Date(now.getTime() - RUN_LEASE_MS)],
      ),
    );
    if (!claimed.length) return null;
    const runId = claimed[0].id;
    const awards = await this.tenantDb.run(municipalityId, (em) =>
      em
        .createQueryBuilder(SocialAssistanceAward, 'a')
        .where(`a.state = 'active' AND a.valid_until >= :today`, { today })
        .orderBy('a.id')
        .getMany(),
    );
    let found = 0;
    let unavailable = 0;
    for (const award of awards) {
      let findings: Found[];
      try {
        findings = await this.check(award, today);
      } catch (e) {
        unavailable++;
        this.log.warn(
          `award ${award.id}: registers unavailable (${e instanceof Error ? e.message : String(e)})`,
        );
        continue;
      }
      for (const f of findings) if (await this.record(municipalityId, award, f, today)) found++;
    }
    return this.tenantDb.run(municipalityId, async (em) => {
      await em.update(SocialAssistanceMonitorRun, runId, {
        finishedAt: this.clock.now(),
        checked: awards.length,
        found,
        unavailable,
      });
      return em.findOneByOrFail(SocialAssistanceMonitorRun, { id: runId });
    });
  }

  /**
   * What the registers say about one award today: about its holder, and about every other member
   * of the household the award was computed for (`householdCodes`, the holder first).
   */
  private async check(award: SocialAssistanceAward, today: string): Promise<Found[]> {
    const home = award.addressCode ? await this.addresses.getByCode(award.addressCode) : null;
    const out: Found[] = [];
    const members = [...new Set(award.householdCodes ?? [])].filter((c) => c !== award.holderCode);
    for (const [i, code] of [award.holderCode, ...members].entries()) {
      const place = i === 0 ? null : award.householdCodes.indexOf(code);
      out.push(...(await this.checkPerson(award, code, place, home?.municipality ?? null, today)));
    }
    return out;
  }

  /** One person of the award (`place` null: the holder; else their place in the household). */
  private async checkPerson(
    award: SocialAssistanceAward,
    code: string,
    place: number | null,
    homeMunicipality: string | null,
    today: string,
  ): Promise<Found[]> {
    const out: Found[] = [];
    const kind = (holder: FindingKind, member: FindingKind) => (place === null ? holder : member);
    const person = await this.population.getPerson(code);
    // A member's finding names them (the holder is named by the award itself).
    const who: Record<string, string | number> =
      place === null
        ? {}
        : { member: person ? `${person.givenName} ${person.familyName}` : code, place };
    if (person?.deceasedOn)
      out.push({
        kind: kind('holder-died', 'member-died'),
        personCode: code,
        details: { ...who, deceasedOn: person.deceasedOn },
      });
    if (homeMunicipality === null) return out;
    const residence = await this.population.getDeclaredResidence(code);
    if (residence && residence.addressCode !== award.addressCode) {
      const now = await this.addresses.getByCode(residence.addressCode);
      if (now && now.municipality !== homeMunicipality)
        out.push({
          kind: kind('moved-away', 'member-moved-away'),
          personCode: code,
          details: {
            ...who,
            municipality: now.municipality,
            addressCode: residence.addressCode,
            since: residence.validFrom,
          },
        });
    }
    const elsewhere = (await this.assistance.listForPerson(code, today, award.validUntil)).find(
      (r) =>
        r.status === 'granted' &&
        (r.benefit === 'gmi' || r.benefit === 'housing') &&
        r.municipality !== homeMunicipality,
    );
    if (elsewhere)
      out.push({
        kind: kind('duplicate', 'member-duplicate'),
        personCode: code,
        details: {
          ...who,
          municipality: elsewhere.municipality,
          benefit: elsewhere.benefit,
          periodFrom: elsewhere.periodFrom,
          periodTo: elsewhere.periodTo,
        },
      });
    return out;
  }

  /** The finding, its task and timeline entry, once per award and kind; true when new. */
  private async record(
    municipalityId: string,
    award: SocialAssistanceAward,
    f: Found,
    today: string,
  ): Promise<boolean> {
    const dueAt = await workingDayDueDates(this.calendars).addWorkingDays(
      municipalityId,
      this.clock.now(),
      TASK_DAYS,
    );
    return this.tenantDb.run(municipalityId, async (em) => {
      const inserted = await em
        .createQueryBuilder()
        .insert()
        .into(SocialAssistanceAwardFinding)
        .values({
          municipalityId,
          awardId: award.id,
          caseId: award.caseId,
          kind: f.kind,
          personCode: f.personCode,
          details: f.details,
          foundOn: today,
          status: 'open',
        })
        .orIgnore()
        .returning(['id'])
        .execute();
      const findingId = (inserted.raw as { id: string }[])[0]?.id;
      if (!findingId) return false;
      const step = integrityStep(f.kind, memberPlace(f));
      const taskId = await this.openTask(em, award, step, f.kind, dueAt);
      await em.update(SocialAssistanceAwardFinding, findingId, { taskId });
      await em.query(
        `INSERT INTO timeline_events (municipality_id, case_id, key, kind, actor, data, at)
         VALUES ($1, $2, $3, $4, 'system', $5::jsonb, $6) ON CONFLICT (case_id, key) DO NOTHING`,
        [
          municipalityId,
          award.caseId,
          `integrity:${award.id}:${step.slice('integrity:'.length)}`,
          INTEGRITY_FINDING,
          JSON.stringify({ findingId, finding: f.kind, ...f.details }),
          this.clock.now(),
        ],
      );
      return true;
    });
  }

  private async openTask(
    em: EntityManager,
    award: SocialAssistanceAward,
    step: string,
    kind: FindingKind,
    dueAt: Date,
  ): Promise<string | null> {
    const c = await em.findOne(Case, { where: { id: award.caseId } });
    await em
      .createQueryBuilder()
      .insert()
      .into(Task)
      .values({
        municipalityId: award.municipalityId,
        caseId: award.caseId,
        step,
        processKey: c?.processKey ?? 'social-assistance',
        role: 'caseworker',
        formKey: INTEGRITY_FORM,
        title: `social-assistance:monitor.task.${kind}`,
        dueAt,
        remindAt: null,
      })
      .orIgnore()
      .execute();
    const t = await em.findOne(Task, {
      where: { caseId: award.caseId, step },
    });
    return t?.id ?? null;
  }
}
