import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { IsoDate } from '../../deadlines/calendar/working-days';
import { Parameter } from '../../parameters/parameter.entity';
import { ParametersService } from '../../parameters/parameters.service';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { TIME_ZONES, localDate } from '../../deadlines/calendar/time-zone';
import { MunicipalDates } from './municipal-dates';
import { feeKey } from './residence.parameters';
import type { SubmissionChannel } from './residence.types';

/**
 * The declaration fee is an effective-dated parameter (administration → parameters), with a
 * municipal override where the council sets one: the version in force on the date applies.
 */
@Injectable()
export class ResidenceFeesService {
  constructor(
    private readonly db: DataSource,
    private readonly parameters: ParametersService,
    private readonly dates: MunicipalDates,
  ) {}

  /** The catalogue's fee text values: the counter fee in force for the visitor's municipality, else the national one (the online channel is free). */
  async counterFeeVars(municipalityId: string | null): Promise<Record<string, string | number>> {
    const cents = municipalityId
      ? await this.feeCents(municipalityId, 'counter', await this.dates.today(municipalityId))
      : await this.nationalFeeCents('counter', localDate(new Date(), TIME_ZONES.LV));
    return { counter: cents === null ? '—' : cents / 100 };
  }

  /**
   * Whether the municipality offers residence declarations: the process has its parameters (the
   * fee) in force there today. A Greek municipality has none, so its staff and residents are told
   * the service is not offered rather than shown a form that cannot be submitted.
   */
  async offered(municipalityId: string): Promise<boolean> {
    try {
      await this.parameters.effective(
        municipalityId,
        feeKey('counter'),
        await this.dates.today(municipalityId),
      );
      return true;
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) return false;
      throw e;
    }
  }

  async feeCents(municipalityId: string, channel: SubmissionChannel, on: IsoDate): Promise<number> {
    const p = await this.parameters.effective(municipalityId, feeKey(channel), on);
    return Math.round(Number(p.value) * 100);
  }

  /** The national value in force on `on` (Latvia), for visitors whose municipality is not known. */
  async nationalFeeCents(channel: SubmissionChannel, on: IsoDate): Promise<number | null> {
    const p = await this.db
      .getRepository(Parameter)
      .createQueryBuilder('p')
      .where(
        'p.country = :country AND p.key = :key AND p.municipality_id IS NULL AND p.valid_from <= :on AND (p.valid_to IS NULL OR p.valid_to >= :on)',
        { country: 'LV', key: feeKey(channel), on },
      )
      .orderBy('p.valid_from', 'DESC')
      .getOne();
    return p ? Math.round(Number(p.value) * 100) : null;
  }
}
