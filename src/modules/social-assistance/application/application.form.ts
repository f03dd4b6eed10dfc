import { isEmail } from 'class-validator';
import type { FieldError } from '../../../platform/errors/domain-error';
import type { Lang } from '../../../platform/i18n/i18n.service';
import { parsePersonalCode } from '../../../persons/personal-code';
import { formTexts } from '../../../web/form-values';
import { ibanErrors, normalizeIban } from '../../../payments/iban';
import { parseEuros } from './application.money';
import {
  BENEFITS,
  HOUSING_COST_KINDS,
  INCOME_TYPE_CODES,
  IRREGULAR_INCOME_TYPES,
  MAX_ROWS,
  MEMBER_FLAGS,
  PROPERTY_KINDS,
  RELATIONS,
  SAVINGS_KINDS,
  type ApplicationData,
  type ApplicationStep,
  type Benefit,
  type HouseholdMember,
  type HousingPaidTo,
  type IncomeType,
  type IrregularIncomeType,
  type Relation,
} from './application.types';

/**
 * The posted fields of one step into the part of the application it declares, or field-level
 * errors (i18n keys). Field names are the data paths (`members[1].personalCode`), so the service's
 * completeness errors and the form's own name the same inputs. Rows left wholly empty are dropped.
 */
export interface StepContext {
  lang: Lang;
  applicantCode: string;
  /** Personal codes of the household as saved (the members other lists may name). */
  memberCodes: string[];
  incomeMonths: string[];
  /** YYYY-MM of the 12 months before the application, newest first (irregular income). */
  irregularMonths: string[];
  today: string;
}

export type StepPatch = Partial<ApplicationData> & { truthDeclared?: boolean };

const NS = 'social-assistance-application:errors';
const TEXT_MAX = 200;
/** 34 characters at most (ISO 13616), as people type them in groups of four with spaces. */
const IBAN_INPUT_MAX = 60;

class Reader {
  readonly errors: FieldError[] = [];
  constructor(
    private readonly body: Record<string, unknown>,
    readonly ctx: StepContext,
  ) {}

  text(name: string, max = TEXT_MAX): string {
    const v = this.body[name];
    const s = typeof v === 'string' ? v.trim() : '';
    if (s.length > max) {
      this.fail(name, 'errors:fieldTooLong', { max });
      return s.slice(0, max);
    }
    return s;
  }

  /**
   * An optional IBAN (the resident's account, a provider's): in electronic form, checked by the
   * one IBAN check payment lines use, so an account the form takes is one a payment run can pay.
   */
  iban(name: string): string {
    const input = this.text(name, IBAN_INPUT_MAX);
    const iban = normalizeIban(input);
    if (input) for (const e of ibanErrors(name, iban)) this.fail(e.field, e.message, e.params);
    return iban;
  }

  checked(name: string): boolean {
    return formTexts(this.body[name]).length > 0;
  }

  list(name: string): string[] {
    return formTexts(this.body[name]);
  }

  /** Amount in euros to cents; empty is `null` (the caller says whether it is required). */
  amount(name: string, required = true): number | null {
    const s = this.text(name, 30);
    if (!s) {
      if (required) this.fail(name, `${NS}.amountRequired`);
      return null;
    }
    const cents = parseEuros(s, this.ctx.lang);
    if (cents === null) this.fail(name, `${NS}.amount`);
    return cents;
  }

  choice<T extends string>(name: string, allowed: readonly T[], message = 'choice'): T | null {
    const s = this.text(name, 60);
    if ((allowed as readonly string[]).includes(s)) return s as T;
    this.fail(name, `${NS}.${s ? message : `${message}Required`}`);
    return null;
  }

  member(name: string): string {
    return this.choice(name, this.ctx.memberCodes, 'member') ?? '';
  }

  /** The rows of a list whose fields are `<list>[i].<field>`, skipping the wholly empty ones. */
  rows(list: string, fields: readonly string[]): number[] {
    const out: number[] = [];
    for (let i = 0; i < MAX_ROWS; i++) {
      if (fields.some((f) => formTexts(this.body[`${list}[${i}].${f}`]).some((v) => v.trim())))
        out.push(i);
    }
    return out;
  }

  fail(field: string, message: string, params?: Record<string, string | number>): void {
    if (!this.errors.some((e) => e.field === field))
      this.errors.push({ field, message, ...(params ? { params } : {}) });
  }
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LV_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})\.?$/;

/** YYYY-MM-DD or DD.MM.YYYY to YYYY-MM-DD, a real date; else null. */
export function parseDate(s: string): string | null {
  const iso = ISO_DATE.exec(s);
  const lv = LV_DATE.exec(s);
  const [y, m, d] = iso
    ? [iso[1], iso[2], iso[3]]
    : lv
      ? [lv[3], lv[2].padStart(2, '0'), lv[1].padStart(2, '0')]
      : [];
  if (!y) return null;
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${m}-${d}`
    ? null
    : `${y}-${m}-${d}`;
}

function household(r: Reader): StepPatch {
  const members: HouseholdMember[] = [];
  const seen = new Set<string>();
  const text = ['givenName', 'familyName', 'personalCode', 'birthDate', 'relation'];
  const rows = new Set([0, ...r.rows('members', [...text, ...MEMBER_FLAGS])]);
  for (const i of rows) {
    const f = (name: string) => `members[${i}].${name}`;
    const givenName = r.text(f('givenName'), 100);
    const familyName = r.text(f('familyName'), 100);
    if (!givenName) r.fail(f('givenName'), `${NS}.required`);
    if (!familyName) r.fail(f('familyName'), `${NS}.required`);
    const codeInput = i === 0 ? r.ctx.applicantCode : r.text(f('personalCode'), 40);
    const today = new Date(`${r.ctx.today}T12:00:00Z`);
    const code = codeInput ? parsePersonalCode(codeInput, f('personalCode'), today) : null;
    if (!code) r.fail(f('personalCode'), `${NS}.required`);
    else if (!code.ok) r.fail(code.error.field, code.error.message);
    else if (seen.has(code.value.code)) r.fail(f('personalCode'), `${NS}.duplicateMember`);
    const birthInput = r.text(f('birthDate'), 20);
    const birthDate = birthInput ? parseDate(birthInput) : code?.ok ? code.value.birthDate : null;
    if (birthInput && (!birthDate || birthDate > r.ctx.today)) r.fail(f('birthDate'), `${NS}.date`);
    else if (!birthDate) r.fail(f('birthDate'), `${NS}.birthDateRequired`);
    const relation: Relation | null =
      i === 0 ? 'applicant' : r.choice(f('relation'), RELATIONS.slice(1) as Relation[]);
    if (code?.ok) seen.add(code.value.code);
    members.push({
      givenName,
      familyName,
      personalCode: code?.ok ? code.value.code : codeInput,
      birthDate: birthDate ?? '',
      relation: relation ?? 'other',
      pensioner: r.checked(f('pensioner')),
      disability: r.checked(f('disability')),
      fullTimeEducation: r.checked(f('fullTimeEducation')),
      workingAge: r.checked(f('workingAge')),
    });
  }
  return { members };
}

function incomes(r: Reader): StepPatch {
  const months = r.ctx.incomeMonths;
  const regularIncomes = r.rows('regularIncomes', ['member', 'type', 'm0', 'm1', 'm2']).map((i) => {
    const f = (name: string) => `regularIncomes[${i}].${name}`;
    const member = r.member(f('member'));
    const type = r.choice(f('type'), INCOME_TYPE_CODES) as IncomeType | null;
    const amounts = months.map((_, k) => r.amount(f(`m${k}`), false));
    if (amounts.every((a) => a === null) && !r.errors.some((e) => e.field.startsWith(f('m'))))
      r.fail(f('m0'), `${NS}.amountRequired`);
    return {
      member,
      type: type ?? 'other-income',
      months: Object.fromEntries(months.map((m, k) => [m, amounts[k] ?? 0])),
    };
  });
  const irregularIncomes = r
    .rows('irregularIncomes', ['member', 'type', 'amount', 'receivedIn', 'description'])
    .map((i) => {
      const f = (name: string) => `irregularIncomes[${i}].${name}`;
      return {
        member: r.member(f('member')),
        type:
          r.choice(f('type'), IRREGULAR_INCOME_TYPES) ?? ('other-irregular' as IrregularIncomeType),
        amountCents: r.amount(f('amount')) ?? 0,
        receivedIn: r.choice(f('receivedIn'), r.ctx.irregularMonths, 'month') ?? '',
        description: r.text(f('description')),
      };
    });
  return { regularIncomes, irregularIncomes };
}

const CADASTRE = /^(\d{11}|\d{14})$/;
const REGISTRATION = /^[A-Z]{1,3}-?\d{1,4}$/;

function assets(r: Reader): StepPatch {
  const bankAccounts = r.rows('bankAccounts', ['member', 'bank', 'opening', 'closing']).map((i) => {
    const f = (name: string) => `bankAccounts[${i}].${name}`;
    const bank = r.text(f('bank'), 100);
    if (!bank) r.fail(f('bank'), `${NS}.required`);
    return {
      member: r.member(f('member')),
      bank,
      openingCents: r.amount(f('opening')) ?? 0,
      closingCents: r.amount(f('closing')) ?? 0,
    };
  });
  const savings = r.rows('savings', ['member', 'kind', 'amount']).map((i) => {
    const f = (name: string) => `savings[${i}].${name}`;
    return {
      member: r.member(f('member')),
      kind: r.choice(f('kind'), SAVINGS_KINDS) ?? 'other',
      amountCents: r.amount(f('amount')) ?? 0,
    };
  });
  const properties = r
    .rows('properties', ['member', 'kind', 'cadastreNumber', 'description'])
    .map((i) => {
      const f = (name: string) => `properties[${i}].${name}`;
      const cadastreNumber = r.text(f('cadastreNumber'), 20).replace(/\s+/g, '');
      if (cadastreNumber && !CADASTRE.test(cadastreNumber))
        r.fail(f('cadastreNumber'), `${NS}.cadastreNumber`);
      const description = r.text(f('description'));
      if (!cadastreNumber && !description) r.fail(f('description'), `${NS}.propertyDescription`);
      return {
        member: r.member(f('member')),
        kind: r.choice(f('kind'), PROPERTY_KINDS) ?? 'other',
        cadastreNumber,
        description,
      };
    });
  const vehicles = r.rows('vehicles', ['member', 'registrationNumber', 'make']).map((i) => {
    const f = (name: string) => `vehicles[${i}].${name}`;
    const registrationNumber = r
      .text(f('registrationNumber'), 12)
      .toUpperCase()
      .replace(/\s+/g, '');
    if (!REGISTRATION.test(registrationNumber))
      r.fail(f('registrationNumber'), `${NS}.registrationNumber`);
    return { member: r.member(f('member')), registrationNumber, make: r.text(f('make'), 100) };
  });
  return { bankAccounts, savings, properties, vehicles };
}

function housing(r: Reader): StepPatch {
  const kinds = new Set<string>();
  const rows = r.rows('housingCosts', ['kind', 'amount', 'payee', 'iban', 'reference']);
  const housingCosts = rows.map((i) => {
    const f = (name: string) => `housingCosts[${i}].${name}`;
    const kind = r.choice(f('kind'), HOUSING_COST_KINDS) ?? 'rent';
    if (kinds.has(kind)) r.fail(f('kind'), `${NS}.duplicateCost`);
    kinds.add(kind);
    const iban = r.iban(f('iban'));
    return {
      kind,
      amountCents: r.amount(f('amount')) ?? 0,
      payee: r.text(f('payee'), 140),
      iban,
      reference: r.text(f('reference'), 140),
    };
  });
  // Paying the provider needs its name, account and the bill reference (the remittance it matches on).
  const paidTo = r.text('housingPaidTo', 60) || 'applicant';
  let housingPaidTo: HousingPaidTo = 'applicant';
  if (paidTo !== 'applicant') {
    const k = housingCosts.findIndex((c) => c.kind === paidTo);
    if (k < 0) r.fail('housingPaidTo', `${NS}.housingPaidTo`);
    else {
      const f = (name: string) => `housingCosts[${rows[k]}].${name}`;
      const cost = housingCosts[k];
      if (!cost.payee) r.fail(f('payee'), `${NS}.providerRequired`);
      if (!cost.iban) r.fail(f('iban'), `${NS}.providerIbanRequired`);
      if (!cost.reference) r.fail(f('reference'), `${NS}.billReferenceRequired`);
      housingPaidTo = cost.kind;
    }
  }
  return { housingCosts, housingPaidTo };
}

function benefits(r: Reader): StepPatch {
  const asked = r.list('benefits');
  if (asked.some((b) => !(BENEFITS as readonly string[]).includes(b)))
    r.fail('benefits', `${NS}.choice`);
  const paymentAccount = r.iban('paymentAccount');
  const contactEmail = r.text('contactEmail', 254);
  if (contactEmail && !isEmail(contactEmail)) r.fail('contactEmail', `${NS}.email`);
  return {
    benefits: BENEFITS.filter((b) => asked.includes(b)) as Benefit[],
    paymentAccount,
    contactEmail,
  };
}

function review(r: Reader): StepPatch {
  return { truthDeclared: r.checked('truthDeclared') };
}

const PARSERS: Record<ApplicationStep, (r: Reader) => StepPatch> = {
  household,
  incomes,
  assets,
  housing,
  benefits,
  review,
};

/** One step's posted fields: the patch to save, or the field errors (then nothing is saved). */
export function parseStep(
  step: ApplicationStep,
  body: Record<string, unknown>,
  ctx: StepContext,
): { patch: StepPatch; errors: FieldError[] } {
  const r = new Reader(body, ctx);
  const patch = PARSERS[step](r);
  return { patch, errors: r.errors };
}

/** The step a data path belongs to (for the review's links to the field to correct). */
export function stepOfField(field: string): ApplicationStep {
  const head = /^[a-zA-Z]+/.exec(field)?.[0] ?? '';
  if (head === 'members') return 'household';
  if (head === 'regularIncomes' || head === 'irregularIncomes') return 'incomes';
  if (['bankAccounts', 'savings', 'properties', 'vehicles'].includes(head)) return 'assets';
  if (head === 'housingCosts' || head === 'housingPaidTo' || head === 'bills') return 'housing';
  if (['benefits', 'paymentAccount', 'contactEmail'].includes(head)) return 'benefits';
  return 'review';
}
