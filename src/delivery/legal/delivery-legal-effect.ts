import type { EntityManager } from 'typeorm';
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CalendarService } from '../../deadlines/calendar/calendar.service';
import { localDate } from '../../deadlines/calendar/time-zone';
import type { IsoDate } from '../../deadlines/calendar/working-days';
import { ParametersService } from '../../parameters/parameters.service';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { Channel } from '../outbox-message.entity';
import { DELIVERY_PARAMETERS, DELIVERY_PARAMETER_DEFAULTS } from './delivery.parameters';
import { periodEnd } from './legal-period';

/** Which parameter decided a date, as the case file shows it. */
export interface AppliedRule {
  key: string;
  value: number;
  unit: string;
  validFrom: string;
}

const DEEMED_KEY: Partial<Record<Channel, string>> = {
  e_address: DELIVERY_PARAMETERS.deemedEAddress,
  email: DELIVERY_PARAMETERS.deemedEmail,
  post: DELIVERY_PARAMETERS.deemedPost,
};

/**
 * The legal effect of a delivery: the day a sent document is deemed notified (per channel) and,
 * for a decision, the last day of its appeal period counted from then. Periods are the
 * effective-dated parameters in force on the day of sending, on the municipality's calendar.
 */
@Injectable()
export class DeliveryLegalEffect implements OnApplicationBootstrap {
  private readonly log = new Logger(DeliveryLegalEffect.name);

  constructor(
    private readonly calendars: CalendarService,
    private readonly parameters: ParametersService,
  ) {}

  /** Ships the national defaults once; administrators add later versions. */
  async onApplicationBootstrap(): Promise<void> {
    for (const p of DELIVERY_PARAMETER_DEFAULTS) {
      try {
        await this.parameters.seedDefaults([p]);
      } catch (e) {
        // Another instance starting at the same time seeded it first.
        if (!(e instanceof DomainError && e.code === ErrorCode.ValidationFailed)) throw e;
      }
    }
  }

  /** The day a document sent at `sentAt` on `channel` is deemed notified; null for channels without legal effect or without a rule. */
  async deemedNotified(
    municipalityId: string,
    channel: Channel,
    sentAt: Date,
    em?: EntityManager,
  ): Promise<{ on: IsoDate; rule: AppliedRule } | null> {
    const key = DEEMED_KEY[channel];
    if (!key) return null;
    const { calendar, timeZone } = await this.calendars.forMunicipality(municipalityId);
    const sentOn = localDate(sentAt, timeZone);
    const rule = await this.rule(municipalityId, key, sentOn, em);
    if (!rule) return null;
    return { on: periodEnd(calendar, sentOn, rule.value, rule.unit, false), rule };
  }

  /** The last day to contest a decision deemed notified on `notifiedOn`. */
  async appealUntil(
    municipalityId: string,
    notifiedOn: IsoDate,
    em?: EntityManager,
  ): Promise<{ until: IsoDate; rule: AppliedRule } | null> {
    const rule = await this.rule(municipalityId, DELIVERY_PARAMETERS.appealPeriod, notifiedOn, em);
    if (!rule) return null;
    const { calendar } = await this.calendars.forMunicipality(municipalityId);
    return { until: periodEnd(calendar, notifiedOn, rule.value, rule.unit, true), rule };
  }

  /** A term a person must act within (e.g. an answer), from `from`, in the unit its parameter says. */
  async termEnd(
    municipalityId: string,
    from: IsoDate,
    value: number,
    unit: string,
  ): Promise<IsoDate> {
    const { calendar } = await this.calendars.forMunicipality(municipalityId);
    return periodEnd(calendar, from, value, unit, true);
  }

  private async rule(
    municipalityId: string,
    key: string,
    on: IsoDate,
    em?: EntityManager,
  ): Promise<AppliedRule | null> {
    try {
      const p = await this.parameters.effective(municipalityId, key, on, em);
      return { key, value: Number(p.value), unit: p.unit, validFrom: p.validFrom };
    } catch (e) {
      // No rule for this country (e.g. Greece has none seeded): the date stays unknown, the send stands.
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) {
        this.log.warn({ key, municipalityId }, `no parameter ${key} in force on ${on}`);
        return null;
      }
      throw e;
    }
  }
}
