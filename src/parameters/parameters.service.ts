import { Injectable } from '@nestjs/common';
import { DataSource, IsNull, type EntityManager } from 'typeorm';
import { CalendarService } from '../deadlines/calendar/calendar.service';
import { addDays, isIsoDate, type IsoDate } from '../deadlines/calendar/working-days';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { Parameter, type ParameterListItem } from './parameter.entity';

export interface NewParameterVersion {
  country: string;
  municipalityId: string | null;
  key: string;
  value: string;
  unit: string;
  validFrom: string;
  note?: string;
  createdBy?: string;
}

/**
 * A default a process ships (national, per country): seeded when the key has no national row yet,
 * so an administrator's later versions are never overwritten. Either an amount or a list.
 */
export interface ParameterDefault {
  country: string;
  key: string;
  unit: string;
  validFrom: string;
  /** The legal source of the value (or "unverified: …"). */
  note: string;
  value?: string;
  items?: readonly ParameterListItem[];
}

/** Defaults grouped per (country, key), each group's versions oldest first. */
export function byCountryAndKey(defaults: readonly ParameterDefault[]): ParameterDefault[][] {
  const groups = new Map<string, ParameterDefault[]>();
  for (const d of defaults) {
    const k = `${d.country}:${d.key}`;
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  return [...groups.values()].map((g) =>
    [...g].sort((a, b) => a.validFrom.localeCompare(b.validFrom)),
  );
}

const KEY = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const NUMBER = /^-?\d{1,10}(\.\d{1,4})?$/;

/** Effective-dated amounts (fees, thresholds, coefficients): national values with municipal overrides. */
@Injectable()
export class ParametersService {
  constructor(
    private readonly ds: DataSource,
    private readonly calendars: CalendarService,
  ) {}

  /**
   * The value in force on `on` for this municipality: its own version if it has one, else the
   * national one. A caller inside a transaction passes its manager (`em`): a read on a second pooled
   * connection while the first is held stalls every caller once as many do it as the pool is large.
   */
  async effective(
    municipalityId: string,
    key: string,
    on: IsoDate,
    em?: EntityManager,
  ): Promise<Parameter> {
    const country = await this.calendars.countryOf(municipalityId, em);
    const row = await (em ?? this.ds.manager)
      .getRepository(Parameter)
      .createQueryBuilder('p')
      .where(
        'p.country = :country AND p.key = :key AND p.valid_from <= :on AND (p.valid_to IS NULL OR p.valid_to >= :on)',
        { country, key, on },
      )
      .andWhere('(p.municipality_id IS NULL OR p.municipality_id = :m)', { m: municipalityId })
      .orderBy('p.municipality_id IS NULL', 'ASC')
      .addOrderBy('p.valid_from', 'DESC')
      .getOne();
    if (!row)
      throw new DomainError(ErrorCode.NotFound, `no parameter ${key} in force on ${on}`, [
        { field: 'key', message: 'admin:errors.parameterMissing', params: { key, date: on } },
      ]);
    return row;
  }

  /** The items of a list parameter in force on `on` (municipal version first, else national). */
  async effectiveList(
    municipalityId: string,
    key: string,
    on: IsoDate,
  ): Promise<{ parameter: Parameter; items: ParameterListItem[] }> {
    const parameter = await this.effective(municipalityId, key, on);
    return { parameter, items: parameter.items ?? [] };
  }

  /**
   * Seeds shipped defaults once per (country, key): idempotent at every start-up. A key may ship
   * its history (several versions, e.g. the thresholds of 2021–2026): all of them are seeded, oldest
   * first, when the key has no national row yet; a key that has one is left to its administrators.
   */
  async seedDefaults(defaults: readonly ParameterDefault[]): Promise<void> {
    for (const versions of byCountryAndKey(defaults)) {
      const { country, key } = versions[0];
      const exists = await this.ds
        .getRepository(Parameter)
        .existsBy({ country, key, municipalityId: IsNull() });
      if (exists) continue;
      for (const d of versions) {
        if (d.items)
          await this.defineList({
            country: d.country,
            municipalityId: null,
            key: d.key,
            items: d.items,
            validFrom: d.validFrom,
            note: d.note,
          });
        else
          await this.define({
            country: d.country,
            municipalityId: null,
            key: d.key,
            value: d.value ?? '',
            unit: d.unit,
            validFrom: d.validFrom,
            note: d.note,
          });
      }
    }
  }

  /** A new version of a list parameter from `validFrom` (an item left out is no longer in force then). */
  async defineList(
    input: Omit<NewParameterVersion, 'value' | 'unit'> & { items: readonly ParameterListItem[] },
  ): Promise<Parameter> {
    const codes = input.items.map((i) => i.code);
    if (
      !input.items.length ||
      codes.some((c) => !/^[a-z][a-z0-9-]{0,60}$/.test(c)) ||
      new Set(codes).size !== codes.length
    )
      throw DomainError.validation([{ field: 'items', message: 'admin:errors.parameterValue' }]);
    return this.define({ ...input, value: String(input.items.length), unit: 'list' }, [
      ...input.items,
    ]);
  }

  /** `em`: read in the caller's transaction (a read on a second pooled connection inside it can starve the pool). */
  list(country: string, municipalityId: string, em?: EntityManager): Promise<Parameter[]> {
    return (em ?? this.ds.manager)
      .getRepository(Parameter)
      .createQueryBuilder('p')
      .where('p.country = :country AND (p.municipality_id IS NULL OR p.municipality_id = :m)', {
        country,
        m: municipalityId,
      })
      .orderBy('p.key')
      .addOrderBy('p.municipality_id IS NULL', 'DESC')
      .addOrderBy('p.valid_from')
      .getMany();
  }

  /** A new version from `validFrom`; the version of the same scope in force until then gets its validTo. */
  async define(
    input: NewParameterVersion,
    items: ParameterListItem[] | null = null,
  ): Promise<Parameter> {
    const errors: FieldError[] = [];
    const value = input.value.trim().replace(',', '.');
    if (!KEY.test(input.key)) errors.push({ field: 'key', message: 'admin:errors.parameterKey' });
    if (!NUMBER.test(value))
      errors.push({ field: 'value', message: 'admin:errors.parameterValue' });
    if (!input.unit.trim() || input.unit.length > 40)
      errors.push({ field: 'unit', message: 'admin:errors.parameterUnit' });
    if (!isIsoDate(input.validFrom))
      errors.push({ field: 'validFrom', message: 'deadlines:errors.dueDateInvalid' });
    if (errors.length) throw DomainError.validation(errors);
    return this.ds.transaction(async (em) => {
      // One writer per key at a time, so two versions cannot both close the same predecessor.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [
        `parameter:${input.country}:${input.key}`,
      ]);
      const scope = input.municipalityId ? 'p.municipality_id = :m' : 'p.municipality_id IS NULL';
      const repo = em.getRepository(Parameter);
      const clash = await repo
        .createQueryBuilder('p')
        .where(`p.country = :c AND p.key = :k AND p.valid_from = :from AND ${scope}`, {
          c: input.country,
          k: input.key,
          from: input.validFrom,
          m: input.municipalityId,
        })
        .getExists();
      if (clash)
        throw DomainError.validation([
          { field: 'validFrom', message: 'admin:errors.parameterExists' },
        ]);
      // A list (grounds) keeps its items: a plain number for its key would empty the list in force.
      const isList = await repo
        .createQueryBuilder('p')
        .where('p.country = :c AND p.key = :k AND p.items IS NOT NULL', {
          c: input.country,
          k: input.key,
        })
        .getExists();
      if (isList && items === null)
        throw DomainError.validation([{ field: 'key', message: 'admin:errors.parameterIsList' }]);
      await repo
        .createQueryBuilder()
        .update(Parameter)
        .set({ validTo: addDays(input.validFrom as IsoDate, -1) })
        .where(
          `country = :c AND key = :k AND valid_from < :from AND (valid_to IS NULL OR valid_to >= :from) AND ${scope.replace('p.', '')}`,
          {
            c: input.country,
            k: input.key,
            from: input.validFrom,
            m: input.municipalityId,
          },
        )
        .execute();
      return repo.save(
        repo.create({
          country: input.country,
          municipalityId: input.municipalityId,
          key: input.key,
          value,
          items,
          unit: input.unit.trim(),
          validFrom: input.validFrom,
          note: input.note ?? '',
          createdBy: input.createdBy ?? '',
        }),
      );
    });
  }
}
