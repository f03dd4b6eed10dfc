import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { isSupportedCountry } from './calendar/holiday-calendar';
import { addDays, isIsoDate, type IsoDate } from './calendar/working-days';
import { DeadlineRule } from './deadline-rule.entity';
import { ProcessRegistry } from '../processes/process-registry';
import { DEFAULT_RULES, type RuleSeed } from './default-rules';

/** Effective-dated deadline rules; national law, so not tenant data. */
@Injectable()
export class DeadlineRulesService implements OnApplicationBootstrap {
  constructor(
    private readonly ds: DataSource,
    private readonly processes: ProcessRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensureDefaults();
  }

  /** Inserts the defaults (the platform's and the process modules') that are missing; returns how many were added. */
  async ensureDefaults(): Promise<number> {
    const rules = [...DEFAULT_RULES, ...this.processes.deadlineRules()];
    const res = await this.ds
      .createQueryBuilder()
      .insert()
      .into(DeadlineRule)
      .values(rules)
      .orIgnore()
      .returning('id')
      .execute();
    return res.raw.length;
  }

  /** The rule in force on `on` (a local date). */
  async effective(country: string, ruleKey: string, on: IsoDate): Promise<DeadlineRule> {
    const rule = await this.ds
      .getRepository(DeadlineRule)
      .createQueryBuilder('r')
      .where('r.country = :country AND r.rule_key = :ruleKey AND r.valid_from <= :on', {
        country,
        ruleKey,
        on,
      })
      .andWhere('(r.valid_to IS NULL OR r.valid_to >= :on)', { on })
      .orderBy('r.valid_from', 'DESC')
      .getOne();
    if (!rule) {
      throw new DomainError(
        ErrorCode.NotFound,
        `no deadline rule ${ruleKey} for ${country} on ${on}`,
        [
          {
            field: 'ruleKey',
            message: 'deadlines:errors.ruleNotFound',
            params: { ruleKey, country, date: on },
          },
        ],
      );
    }
    return rule;
  }

  list(country: string): Promise<DeadlineRule[]> {
    return this.ds
      .getRepository(DeadlineRule)
      .find({ where: { country }, order: { ruleKey: 'ASC', validFrom: 'ASC' } });
  }

  /** A new version of a rule from `validFrom`; the version in force until then gets its validTo. */
  async define(input: RuleSeed): Promise<DeadlineRule> {
    const errors: FieldError[] = [];
    if (!isSupportedCountry(input.country))
      errors.push({ field: 'country', message: 'deadlines:errors.countryInvalid' });
    if (input.unit !== 'months' && input.unit !== 'working_days')
      errors.push({ field: 'unit', message: 'deadlines:errors.unitInvalid' });
    if (!Number.isInteger(input.amount) || input.amount < 1)
      errors.push({ field: 'amount', message: 'deadlines:errors.amountInvalid' });
    if (
      input.maxExtension !== null &&
      (!Number.isInteger(input.maxExtension) || input.maxExtension < input.amount)
    ) {
      errors.push({ field: 'maxExtension', message: 'deadlines:errors.amountInvalid' });
    }
    if (!Number.isInteger(input.warnBefore) || input.warnBefore < 0)
      errors.push({ field: 'warnBefore', message: 'deadlines:errors.amountInvalid' });
    if (!isIsoDate(input.validFrom))
      errors.push({ field: 'validFrom', message: 'deadlines:errors.dueDateInvalid' });
    if (errors.length) throw DomainError.validation(errors);
    return this.ds.transaction(async (em) => {
      await em
        .createQueryBuilder()
        .update(DeadlineRule)
        .set({ validTo: addDays(input.validFrom, -1) })
        .where('country = :country AND rule_key = :ruleKey AND valid_from < :from', {
          country: input.country,
          ruleKey: input.ruleKey,
          from: input.validFrom,
        })
        .andWhere('(valid_to IS NULL OR valid_to >= :from)', { from: input.validFrom })
        .execute();
      return em.getRepository(DeadlineRule).save(em.getRepository(DeadlineRule).create(input));
    });
  }
}
