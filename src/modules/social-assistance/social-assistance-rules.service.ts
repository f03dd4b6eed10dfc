import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CalendarService } from '../../deadlines/calendar/calendar.service';
import type { Parameter } from '../../parameters/parameter.entity';
import { ParametersService } from '../../parameters/parameters.service';
import { resolveParameters, type ExplicitRules } from './calculation/resolve';
import type { CalculationParameters } from './calculation/types';
import { SA_KEYS } from './social-assistance.parameters';

export type { ExplicitRules };

const PREFIX = 'social-assistance.';

/**
 * The social-assistance figures in force on a date for a municipality (its own version of a key
 * first, else the national one), read in one query, or the values a what-if request gives.
 */
@Injectable()
export class SocialAssistanceRulesService {
  constructor(
    private readonly parameters: ParametersService,
    private readonly calendars: CalendarService,
  ) {}

  /** Whether the municipality's country has social-assistance rules at all (a Greek one does not). */
  async offered(municipalityId: string): Promise<boolean> {
    const rows = await this.rows(municipalityId);
    return rows.some((r) => r.key === SA_KEYS.gmiFirst);
  }

  /** `em`: read in the caller's open transaction, never on a second connection beside it. */
  async inForce(
    municipalityId: string,
    on: string,
    explicit: ExplicitRules = {},
    em?: EntityManager,
  ): Promise<CalculationParameters> {
    return resolveParameters(await this.rows(municipalityId, em), on, explicit);
  }

  private async rows(municipalityId: string, em?: EntityManager): Promise<Parameter[]> {
    const country = await this.calendars.countryOf(municipalityId, em);
    return (await this.parameters.list(country, municipalityId, em)).filter((r) =>
      r.key.startsWith(PREFIX),
    );
  }
}
