import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CLOCK, type Clock } from '../../platform/clock/clock';
import { CalendarService } from '../../deadlines/calendar/calendar.service';
import { TIME_ZONES, localDate } from '../../deadlines/calendar/time-zone';
import type { Request, Response } from 'express';
import { Roles } from '../../platform/auth/access.decorators';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { I18nService, type Lang } from '../../platform/i18n/i18n.service';
import { textFields } from '../../web/form-values';
import { formatMoney } from '../../web/money';
import { staffOf } from '../../workspace/page-support';
import { viewErrors, type ViewErrors } from '../residence/residence.view-errors';
import { HOUSING_COST_KINDS, INCOME_TYPES, MEMBER_ROLES } from './calculation/types';
import { SOCIAL_ASSISTANCE_STAFF } from './social-assistance.access';
import {
  SocialAssistanceCalculatorService,
  type Breakdown,
} from './social-assistance-calculator.service';
import {
  mapCalculatorForm,
  PAGE_INCOMES,
  PAGE_MEMBERS,
  validateRequest,
  type CalculatorForm,
} from './social-assistance.page-form';

const ROLE_FIELDS = Array.from({ length: PAGE_MEMBERS }, (_, i) => `member-${i}-roles`);

/** The staff what-if calculator page: the form and the line-by-line breakdown ("how this was computed"). */
@Controller('workspace/social-assistance')
@Roles(...SOCIAL_ASSISTANCE_STAFF)
export class SocialAssistancePagesController {
  constructor(
    private readonly calculator: SocialAssistanceCalculatorService,
    private readonly i18n: I18nService,
    private readonly calendars: CalendarService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The empty form, dated today in the municipality's time zone. */
  @Get('calculator')
  async form(@Req() req: Request, @Res() res: Response): Promise<void> {
    const { municipalityId } = staffOf(req);
    await this.calculator.assertOffered(municipalityId);
    const country = await this.calendars.countryOf(municipalityId);
    const asOf = localDate(this.clock.now(), TIME_ZONES[country]);
    this.render(req, res, { asOf }, null, {
      errors: [],
      fieldErrors: {},
    });
  }

  @Post('calculator')
  @HttpCode(200)
  async calculate(@Req() req: Request, @Res() res: Response, @Body() body: unknown): Promise<void> {
    const form = textFields<CalculatorForm>(body, ROLE_FIELDS);
    const mapped = mapCalculatorForm(form);
    try {
      if (mapped.errors.length) throw DomainError.validation(mapped.errors);
      const request = await validateRequest(mapped.request);
      const breakdown = await this.calculator.calculate(staffOf(req).municipalityId, request);
      this.render(req, res, form, breakdown, { errors: [], fieldErrors: {} });
    } catch (e) {
      if (e instanceof DomainError && e.code === ErrorCode.NotFound) throw e;
      const errs = viewErrors(this.i18n, req.lang, e, mapped.fieldOf);
      res.status(422);
      this.render(req, res, form, null, errs);
    }
  }

  private render(
    req: Request,
    res: Response,
    form: CalculatorForm,
    breakdown: Breakdown | null,
    errs: ViewErrors,
  ): void {
    const lang: Lang = req.lang;
    const t = (k: string) => this.i18n.t(lang, k);
    const value = (k: string) => (typeof form[k] === 'string' ? form[k] : '');
    const members = Array.from({ length: PAGE_MEMBERS }, (_, i) => {
      const roles = form[`member-${i}-roles`];
      const chosen = Array.isArray(roles) ? roles : roles ? [roles] : [];
      return {
        index: i,
        number: i + 1,
        birthDate: value(`member-${i}-birthDate`),
        error: errs.fieldErrors[`member-${i}-birthDate`] ?? errs.fieldErrors[`member-${i}-roles`],
        roles: MEMBER_ROLES.map((r) => ({
          value: r,
          label: t(`social-assistance:role.${r}`),
          checked: chosen.includes(r),
        })),
      };
    });
    const incomes = Array.from({ length: PAGE_INCOMES }, (_, j) => ({
      index: j,
      amount: value(`income-${j}-amount`),
      error: ['member', 'type', 'period', 'amount']
        .map((f) => errs.fieldErrors[`income-${j}-${f}`])
        .find(Boolean),
      members: members.map((m) => ({
        value: String(m.number),
        selected: value(`income-${j}-member`) === String(m.number),
      })),
      types: INCOME_TYPES.map((it) => ({
        value: it,
        label: t(`social-assistance:incomeTypeName.${it}`),
        selected: value(`income-${j}-type`) === it,
      })),
      periods: ['regular', 'irregular'].map((p) => ({
        value: p,
        label: t(`social-assistance:period.${p}`),
        selected: value(`income-${j}-period`) === p,
      })),
    }));
    const costs = HOUSING_COST_KINDS.map((k) => ({
      name: `cost-${k}`,
      label: t(`social-assistance:costKind.${k}`),
      value: value(`cost-${k}`),
      error: errs.fieldErrors[`cost-${k}`],
    }));
    const rules = [
      'gmiFirst',
      'gmiOther',
      'needyFirst',
      'needyOther',
      'lowIncomeFirst',
      'lowIncomeOther',
      'k',
    ].map((k) => ({
      name: `rules-${k}`,
      label: t(`social-assistance:calculator.rules.${k}`),
      value: value(`rules-${k}`),
      error: errs.fieldErrors[`rules-${k}`],
    }));
    const money = (c: number | null) => (c === null ? '' : formatMoney(c, lang));
    res.render('modules/social-assistance/views/calculator', {
      title: t('social-assistance:calculator.title'),
      form: {
        asOf: value('asOf'),
        savings: value('savings'),
        cars: value('cars'),
        otherRealEstate: value('otherRealEstate'),
      },
      members,
      incomes,
      costs,
      rules,
      ...errs,
      result: breakdown && {
        status: t(`social-assistance:status.${breakdown.status}`),
        gmiBenefit: money(breakdown.gmiBenefitCents),
        housingBenefit: money(breakdown.housingBenefitCents),
        income: money(breakdown.monthlyIncomeCents),
        period: breakdown.gmiPeriodMonths,
        usesUnverified: breakdown.usesUnverified,
        lines: breakdown.lines.map((l) => ({
          key: l.key,
          label: l.label[lang],
          amount: money(l.amountCents),
          value: l.value ?? '',
          formula: l.formula,
          legalReference: l.legalReference,
          excluded: l.excluded ?? false,
          sources: l.sources.map((s) => ({
            key: s.parameterKey,
            validFrom: s.validFrom ?? '',
            note: s.note,
            unverified: s.unverified,
            given: s.given,
          })),
        })),
      },
    });
  }
}
