import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { Municipality } from '../../platform/tenancy/municipality.entity';
import { CalendarException } from './calendar-exception.entity';
import {
  HolidayCalendar,
  isSupportedCountry,
  type CountryCode,
  type ExceptionKind,
} from './holiday-calendar';
import { TIME_ZONES, endOfLocalDay, localDate } from './time-zone';
import { addWorkingDays, isIsoDate, type IsoDate } from './working-days';

export interface JurisdictionCalendar {
  country: CountryCode;
  timeZone: string;
  calendar: HolidayCalendar;
}

export interface NewCalendarException {
  country: string;
  municipalityId?: string | null;
  date: string;
  kind: string;
  note?: string;
  createdBy?: string;
}

/** Called after exceptions change, e.g. to recompute running deadlines. */
export type CalendarChangeListener = (
  country: CountryCode,
  municipalityId: string | null,
) => Promise<unknown>;

const KINDS: readonly ExceptionKind[] = ['extra_working_day', 'extra_holiday'];

/**
 * Working-day calendars per country (and per municipality when it has its own exceptions), cached.
 * Changes made here invalidate the cache at once; changes made by another instance are picked up
 * after CALENDAR_CACHE_SECONDS.
 */
@Injectable()
export class CalendarService {
  private readonly cache = new Map<string, { cal: HolidayCalendar; loadedAt: number }>();
  private readonly countries = new Map<string, CountryCode>();
  private readonly listeners: CalendarChangeListener[] = [];

  constructor(
    private readonly ds: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onChange(listener: CalendarChangeListener): void {
    this.listeners.push(listener);
  }

  async forCountry(
    country: CountryCode,
    municipalityId: string | null = null,
  ): Promise<HolidayCalendar> {
    const key = `${country}:${municipalityId ?? '*'}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.loadedAt < this.config.CALENDAR_CACHE_SECONDS * 1000)
      return hit.cal;
    const rows = await this.ds.query<
      { date: string; kind: ExceptionKind; municipality_id: string | null }[]
    >(
      `SELECT to_char(date, 'YYYY-MM-DD') AS date, kind, municipality_id FROM calendar_exceptions
        WHERE country = $1 AND (municipality_id IS NULL OR municipality_id = $2)
        ORDER BY (municipality_id IS NOT NULL), created_at`,
      [country, municipalityId],
    );
    // Municipal rows come last so they override a country row for the same date.
    const cal = new HolidayCalendar(
      country,
      rows.map((r) => ({ date: r.date, kind: r.kind })),
    );
    this.cache.set(key, { cal, loadedAt: Date.now() });
    return cal;
  }

  /** The municipality's country (cached); `em`: the caller's transaction, if it holds one. */
  async countryOf(municipalityId: string, em?: EntityManager): Promise<CountryCode> {
    let c = this.countries.get(municipalityId);
    if (!c) {
      const m = await (em ?? this.ds.manager)
        .getRepository(Municipality)
        .findOneBy({ id: municipalityId });
      if (!m) throw new DomainError(ErrorCode.NotFound, `municipality ${municipalityId} not found`);
      if (!isSupportedCountry(m.country))
        throw new DomainError(
          ErrorCode.Misconfigured,
          `no working-day calendar for country ${m.country}`,
        );
      c = m.country;
      this.countries.set(municipalityId, c);
    }
    return c;
  }

  async forMunicipality(municipalityId: string): Promise<JurisdictionCalendar> {
    const country = await this.countryOf(municipalityId);
    return {
      country,
      timeZone: TIME_ZONES[country],
      calendar: await this.forCountry(country, municipalityId),
    };
  }

  invalidate(country?: string): void {
    for (const k of [...this.cache.keys()])
      if (!country || k.startsWith(`${country}:`)) this.cache.delete(k);
  }

  async listExceptions(
    country: CountryCode,
    municipalityId: string | null = null,
  ): Promise<CalendarException[]> {
    const qb = this.ds
      .getRepository(CalendarException)
      .createQueryBuilder('e')
      .where('e.country = :country', { country });
    if (municipalityId)
      qb.andWhere('(e.municipality_id IS NULL OR e.municipality_id = :m)', { m: municipalityId });
    else qb.andWhere('e.municipality_id IS NULL');
    return qb.orderBy('e.date').getMany();
  }

  /** Adds an exception, invalidates the cache and tells listeners (deadlines are recomputed). */
  async addException(input: NewCalendarException): Promise<CalendarException> {
    const errors: FieldError[] = [];
    if (!isSupportedCountry(input.country))
      errors.push({ field: 'country', message: 'deadlines:errors.countryInvalid' });
    if (!isIsoDate(input.date))
      errors.push({ field: 'date', message: 'deadlines:errors.dueDateInvalid' });
    if (!(KINDS as readonly string[]).includes(input.kind))
      errors.push({ field: 'kind', message: 'deadlines:errors.kindInvalid' });
    if (errors.length) throw DomainError.validation(errors);
    const country = input.country as CountryCode;
    const municipalityId = input.municipalityId ?? null;
    if (municipalityId && (await this.countryOf(municipalityId)) !== country) {
      throw DomainError.validation([
        {
          field: 'municipalityId',
          message: 'deadlines:errors.municipalityCountry',
          params: { country },
        },
      ]);
    }
    const repo = this.ds.getRepository(CalendarException);
    const clash = await repo
      .createQueryBuilder('e')
      .where('e.country = :country AND e.date = :date', { country, date: input.date })
      .andWhere(municipalityId ? 'e.municipality_id = :m' : 'e.municipality_id IS NULL', {
        m: municipalityId,
      })
      .getExists();
    if (clash)
      throw DomainError.validation([
        { field: 'date', message: 'deadlines:errors.exceptionExists' },
      ]);
    const row = await repo.save(
      repo.create({
        country,
        municipalityId,
        date: input.date as IsoDate,
        kind: input.kind as ExceptionKind,
        note: input.note ?? '',
        createdBy: input.createdBy ?? '',
      }),
    );
    await this.changed(country, municipalityId);
    return row;
  }

  async removeException(id: string): Promise<void> {
    const repo = this.ds.getRepository(CalendarException);
    const row = await repo.findOneBy({ id });
    if (!row) throw new DomainError(ErrorCode.NotFound, `calendar exception ${id} not found`);
    await repo.delete({ id });
    await this.changed(row.country as CountryCode, row.municipalityId);
  }

  private async changed(country: CountryCode, municipalityId: string | null): Promise<void> {
    this.invalidate(country);
    for (const l of this.listeners) await l(country, municipalityId);
  }
}

/**
 * Task due dates in working days of the municipality's calendar (holidays and admin exceptions):
 * the end of the local day `days` working days after `from`.
 */
export function workingDayDueDates(calendars: CalendarService) {
  return {
    async addWorkingDays(municipalityId: string, from: Date, days: number): Promise<Date> {
      const j = await calendars.forMunicipality(municipalityId);
      const due = addWorkingDays(j.calendar, localDate(from, j.timeZone), days);
      return endOfLocalDay(due, j.timeZone);
    },
  };
}
