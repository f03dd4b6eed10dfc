import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  HOUSING_COST_KINDS,
  INCOME_TYPES,
  MEMBER_ROLES,
  type HousingCostKind,
  type IncomePeriod,
  type IncomeType,
  type MemberRole,
} from './calculation/types';

/** Every message is an i18n key in the social-assistance namespace (lv, en, el); `context` gives its values. */
const m = (key: string, context?: Record<string, string | number>) => ({
  message: `social-assistance:validation.${key}`,
  ...(context ? { context } : {}),
});
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** Up to 10 million euro in cents: beyond any household's monthly figures, within exact integer range. */
const MAX_CENTS = 1_000_000_000;

export class MemberDto {
  @IsString(m('memberId'))
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, m('memberId'))
  id: string;

  @IsString(m('date'))
  @Matches(DATE, m('date'))
  birthDate: string;

  @IsArray(m('roles'))
  @ArrayMaxSize(MEMBER_ROLES.length, m('roles'))
  @IsIn(MEMBER_ROLES, { each: true, ...m('roles') })
  roles: MemberRole[];
}

export class IncomeDto {
  @IsString(m('incomeMember'))
  @Matches(/^[A-Za-z0-9_-]{1,20}$/, m('incomeMember'))
  memberId: string;

  @IsIn(INCOME_TYPES, m('incomeType'))
  type: IncomeType;

  @IsIn(['regular', 'irregular'], m('incomePeriod'))
  period: IncomePeriod;

  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  amountCents: number;
}

export class AssetsDto {
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  savingsCents: number;

  @IsInt(m('count', { max: 50 }))
  @Min(0, m('count', { max: 50 }))
  @Max(50, m('count', { max: 50 }))
  cars: number;

  @IsInt(m('count', { max: 50 }))
  @Min(0, m('count', { max: 50 }))
  @Max(50, m('count', { max: 50 }))
  otherRealEstate: number;
}

export class HousingCostDto {
  @IsIn(HOUSING_COST_KINDS, m('costKind'))
  kind: HousingCostKind;

  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  amountCents: number;
}

/** What-if figures instead of the parameters in force (all optional). */
export class ExplicitRulesDto {
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  gmiFirstCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  gmiOtherCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  needyFirstCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  needyOtherCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  lowIncomeFirstCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  lowIncomeOtherCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  lowIncomeCapFirstCents?: number;
  @IsOptional()
  @IsInt(m('cents'))
  @Min(0, m('cents'))
  @Max(MAX_CENTS, m('cents'))
  lowIncomeCapOtherCents?: number;

  @IsOptional()
  @IsString(m('coefficient'))
  @Matches(/^\d{1,2}(\.\d{1,4})?$/, m('coefficient'))
  k?: string;
}

/** POST /api/social-assistance/calculations: the household, incomes, assets, housing costs and the date whose rules apply. */
export class CalculationRequestDto {
  @IsString(m('date'))
  @Matches(DATE, m('date'))
  asOf: string;

  @IsArray(m('members'))
  @ArrayMinSize(1, m('members'))
  @ArrayMaxSize(20, m('members'))
  @ValidateNested({ each: true, ...m('object') })
  @Type(() => MemberDto)
  members: MemberDto[];

  @IsArray(m('list', { max: 200 }))
  @ArrayMaxSize(200, m('list', { max: 200 }))
  @ValidateNested({ each: true, ...m('object') })
  @Type(() => IncomeDto)
  incomes: IncomeDto[];

  @IsObject(m('object'))
  @ValidateNested(m('object'))
  @Type(() => AssetsDto)
  assets: AssetsDto;

  @IsArray(m('list', { max: 100 }))
  @ArrayMaxSize(100, m('list', { max: 100 }))
  @ValidateNested({ each: true, ...m('object') })
  @Type(() => HousingCostDto)
  housingCosts: HousingCostDto[];

  @IsOptional()
  @IsObject(m('object'))
  @ValidateNested(m('object'))
  @Type(() => ExplicitRulesDto)
  rules?: ExplicitRulesDto;
}
