import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import { DomainError, type FieldError } from '../../platform/errors/domain-error';
import { isI18nKey } from '../../platform/i18n/i18n.service';
import { formTexts } from '../../web/form-values';
import { parseDecimal } from './calculation/exact';
import { HOUSING_COST_KINDS, type HousingCostKind } from './calculation/types';
import { CalculationRequestDto } from './social-assistance.dto';

export const PAGE_MEMBERS = 6;
export const PAGE_INCOMES = 8;

/** The calculator page's fields, as posted (flat names: the body parser is not "extended"). */
export type CalculatorForm = Record<string, string | string[]>;

/** The request built from the page, and which page input each request field came from. */
export interface MappedForm {
  request: Record<string, unknown>;
  fieldOf: (requestField: string) => string;
  errors: FieldError[];
}

const text = (f: CalculatorForm, k: string): string => {
  const v = f[k];
  return (typeof v === 'string' ? v : '').trim();
};

/** "12,50" or "12.50" euro → cents; blank → undefined; anything else → an error on the input. */
function euros(f: CalculatorForm, k: string, errors: FieldError[]): number | undefined {
  const v = text(f, k).replace(/\s/g, '').replace(',', '.');
  if (!v) return undefined;
  try {
    if (!/^\d{1,8}(\.\d{1,2})?$/.test(v)) throw new RangeError(v);
    return Number(parseDecimal(v, 2));
  } catch {
    errors.push({ field: k, message: 'social-assistance:validation.euros' });
    return undefined;
  }
}

function whole(f: CalculatorForm, k: string, errors: FieldError[]): number {
  const v = text(f, k);
  if (!v) return 0;
  if (!/^\d{1,2}$/.test(v)) {
    errors.push({ field: k, message: 'social-assistance:validation.count', params: { max: 50 } });
    return 0;
  }
  return Number(v);
}

/**
 * The page form as an API request: blank member rows, income rows and costs are left out; amounts
 * in euro become cents. `fieldOf` names the page input of a request field, so the API's field
 * errors land on the right input.
 */
export function mapCalculatorForm(f: CalculatorForm): MappedForm {
  const errors: FieldError[] = [];
  const memberRows: number[] = [];
  const members = [];
  for (let i = 0; i < PAGE_MEMBERS; i++) {
    const birthDate = text(f, `member-${i}-birthDate`);
    const roles = formTexts(f[`member-${i}-roles`]);
    if (!birthDate && !roles.length) continue;
    memberRows.push(i);
    members.push({ id: String(i + 1), birthDate, roles });
  }
  const incomeRows: number[] = [];
  const incomes = [];
  for (let j = 0; j < PAGE_INCOMES; j++) {
    const amountCents = euros(f, `income-${j}-amount`, errors);
    if (amountCents === undefined) continue;
    incomeRows.push(j);
    incomes.push({
      memberId: text(f, `income-${j}-member`),
      type: text(f, `income-${j}-type`),
      period: text(f, `income-${j}-period`),
      amountCents,
    });
  }
  const costKinds: HousingCostKind[] = [];
  const housingCosts = [];
  for (const kind of HOUSING_COST_KINDS) {
    const amountCents = euros(f, `cost-${kind}`, errors);
    if (amountCents === undefined) continue;
    costKinds.push(kind);
    housingCosts.push({ kind, amountCents });
  }
  const rules: Record<string, unknown> = {};
  for (const k of [
    'gmiFirst',
    'gmiOther',
    'needyFirst',
    'needyOther',
    'lowIncomeFirst',
    'lowIncomeOther',
  ] as const) {
    const c = euros(f, `rules-${k}`, errors);
    if (c !== undefined) rules[`${k}Cents`] = c;
  }
  const k = text(f, 'rules-k').replace(',', '.');
  if (k) rules.k = k;
  const request = {
    asOf: text(f, 'asOf'),
    members,
    incomes,
    assets: {
      savingsCents: euros(f, 'savings', errors) ?? 0,
      cars: whole(f, 'cars', errors),
      otherRealEstate: whole(f, 'otherRealEstate', errors),
    },
    housingCosts,
    ...(Object.keys(rules).length ? { rules } : {}),
  };
  const fieldOf = (field: string): string => {
    const [head, idx, leaf] = field.split('.');
    const i = Number(idx);
    if (head === 'members' && leaf)
      return `member-${memberRows[i]}-${leaf === 'id' ? 'birthDate' : leaf}`;
    if (head === 'members') return 'member-0-birthDate';
    if (head === 'incomes' && leaf)
      return `income-${incomeRows[i]}-${leaf === 'memberId' ? 'member' : leaf === 'amountCents' ? 'amount' : leaf}`;
    if (head === 'housingCosts' && leaf) return `cost-${costKinds[i]}`;
    if (head === 'assets') return idx === 'savingsCents' ? 'savings' : (idx ?? 'savings');
    if (head === 'rules')
      return idx === 'k' ? 'rules-k' : `rules-${(idx ?? '').replace(/Cents$/, '')}`;
    return field;
  };
  return { request, fieldOf, errors };
}

const toFields = (errors: ValidationError[], prefix = ''): FieldError[] =>
  errors.flatMap((e) => {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    const own = Object.entries(e.constraints ?? {})
      .slice(-1)
      .map(([c, t]) => ({ field, message: isI18nKey(t) ? t : `tasks:validation.${c}` }));
    return [...own, ...toFields(e.children ?? [], field)];
  });

/** The same checks the API's validation pipe makes, for a request built from the page. */
export async function validateRequest(
  plain: Record<string, unknown>,
): Promise<CalculationRequestDto> {
  const dto = plainToInstance(CalculationRequestDto, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw DomainError.validation(toFields(errors));
  return dto;
}
