import { Injectable } from '@nestjs/common';
import { isIsoDate } from '../../deadlines/calendar/working-days';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import { I18nService, LANGUAGES, type Lang } from '../../platform/i18n/i18n.service';
import { calculate } from './calculation/calculate';
import type { CalcLine, CalculationResult, FigureSource } from './calculation/types';
import type { CalculationRequestDto } from './social-assistance.dto';
import { SocialAssistanceRulesService } from './social-assistance-rules.service';

/** A breakdown line as the API and the page give it: the label in every language. */
export interface BreakdownLine extends Omit<CalcLine, 'labelKey' | 'labelParams'> {
  label: Record<Lang, string>;
}

export interface Breakdown extends Omit<CalculationResult, 'lines'> {
  lines: BreakdownLine[];
  /** Whether any figure used is marked unverified in its source. */
  usesUnverified: boolean;
}

/** The earliest date the calculator accepts (the 2021 table is the oldest the module ships). */
const EARLIEST = '2000-01-01';

/**
 * The what-if calculator: checks what class-validator cannot (real dates, member references),
 * reads the figures in force on the date (or takes the request's), runs the pure calculation and
 * labels each line in lv, en and el. Stores nothing: the request holds no names or personal codes.
 */
@Injectable()
export class SocialAssistanceCalculatorService {
  constructor(
    private readonly rules: SocialAssistanceRulesService,
    private readonly i18n: I18nService,
  ) {}

  /** Refuses (404, in the user's language) where the country has no social-assistance rules (e.g. Greece). */
  async assertOffered(municipalityId: string): Promise<void> {
    if (!(await this.rules.offered(municipalityId)))
      throw new DomainError(ErrorCode.NotFound, 'social assistance is not offered here', [
        { field: 'municipality', message: 'social-assistance:notOffered' },
      ]);
  }

  async calculate(municipalityId: string, req: CalculationRequestDto): Promise<Breakdown> {
    await this.assertOffered(municipalityId);
    checkReferences(req);
    const params = await this.rules.inForce(municipalityId, req.asOf, req.rules ?? {});
    const result = calculate(
      {
        asOf: req.asOf,
        members: req.members,
        incomes: req.incomes,
        assets: req.assets,
        housingCosts: req.housingCosts,
      },
      params,
    );
    const lines = result.lines.map(({ labelKey, labelParams, ...l }) => ({
      ...l,
      label: Object.fromEntries(
        LANGUAGES.map((lang) => [lang, this.i18n.t(lang, labelKey, labelParams ?? {})]),
      ) as Record<Lang, string>,
    }));
    const sources: FigureSource[] = lines.flatMap((l) => l.sources);
    return { ...result, lines, usesUnverified: sources.some((s) => s.unverified) };
  }
}

/** Field errors class-validator cannot see: impossible dates, a member born after the date, unknown or repeated member ids. */
function checkReferences(req: CalculationRequestDto): void {
  const errors: FieldError[] = [];
  if (!isIsoDate(req.asOf) || req.asOf < EARLIEST)
    errors.push({ field: 'asOf', message: 'social-assistance:validation.date' });
  const ids = new Set<string>();
  req.members.forEach((m, i) => {
    if (!isIsoDate(m.birthDate))
      errors.push({
        field: `members.${i}.birthDate`,
        message: 'social-assistance:validation.date',
      });
    else if (isIsoDate(req.asOf) && m.birthDate > req.asOf)
      errors.push({
        field: `members.${i}.birthDate`,
        message: 'social-assistance:validation.bornAfter',
      });
    if (ids.has(m.id))
      errors.push({
        field: `members.${i}.id`,
        message: 'social-assistance:validation.memberTwice',
      });
    ids.add(m.id);
  });
  req.incomes.forEach((l, i) => {
    if (!ids.has(l.memberId))
      errors.push({
        field: `incomes.${i}.memberId`,
        message: 'social-assistance:validation.incomeMember',
      });
  });
  if (errors.length) throw DomainError.validation(errors);
}
