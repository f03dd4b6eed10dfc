import type { I18nService, Lang } from '../../../platform/i18n/i18n.service';
import { formTexts } from '../../../web/form-values';
import { formatMoney } from '../../../web/money';
import type { SocialAssistanceApplication } from './application.entity';
import { stepOfField } from './application.form';
import { eurosInput } from './application.money';
import type { BillSummary } from './application.service';
import {
  APPLICATION_STEPS,
  BENEFITS,
  HOUSING_COST_KINDS,
  INCOME_TYPES,
  IRREGULAR_INCOME_TYPES,
  MAX_ROWS,
  MEMBER_FLAGS,
  PROPERTY_KINDS,
  RELATIONS,
  SAVINGS_KINDS,
  type ApplicationData,
  type ApplicationStep,
} from './application.types';
import type { FieldError } from '../../../platform/errors/domain-error';

const NS = 'social-assistance-application';
type Values = Record<string, string | string[]>;

/** The saved application as the steps' form values (amounts as the language writes them). */
export function formValues(app: SocialAssistanceApplication, lang: Lang): Values {
  const d: ApplicationData = app.data;
  const v: Values = {};
  const put = (list: string, i: number, row: Record<string, string>) => {
    for (const [k, value] of Object.entries(row)) v[`${list}[${i}].${k}`] = value;
  };
  const yes = (b: boolean) => (b ? 'yes' : '');
  const eur = (c: number) => eurosInput(c, lang);
  d.members.forEach((m, i) =>
    put('members', i, {
      givenName: m.givenName,
      familyName: m.familyName,
      personalCode: m.personalCode,
      birthDate: m.birthDate,
      relation: m.relation,
      ...Object.fromEntries(MEMBER_FLAGS.map((f) => [f, yes(m[f])])),
    }),
  );
  d.regularIncomes.forEach((r, i) =>
    put('regularIncomes', i, {
      member: r.member,
      type: r.type,
      ...Object.fromEntries(app.incomeMonths.map((m, k) => [`m${k}`, eur(r.months[m] ?? 0)])),
    }),
  );
  d.irregularIncomes.forEach((r, i) =>
    put('irregularIncomes', i, { ...r, amount: eur(r.amountCents) } as never),
  );
  d.bankAccounts.forEach((r, i) =>
    put('bankAccounts', i, {
      member: r.member,
      bank: r.bank,
      opening: eur(r.openingCents),
      closing: eur(r.closingCents),
    }),
  );
  d.savings.forEach((r, i) =>
    put('savings', i, { member: r.member, kind: r.kind, amount: eur(r.amountCents) }),
  );
  d.properties.forEach((r, i) => put('properties', i, { ...r }));
  d.vehicles.forEach((r, i) => put('vehicles', i, { ...r }));
  d.housingCosts.forEach((r, i) =>
    put('housingCosts', i, {
      kind: r.kind,
      amount: eur(r.amountCents),
      payee: r.payee,
      iban: r.iban ?? '',
      reference: r.reference,
    }),
  );
  v.housingPaidTo = d.housingPaidTo ?? 'applicant';
  v.benefits = d.benefits;
  v.paymentAccount = d.paymentAccount;
  v.contactEmail = d.contactEmail;
  v.truthDeclared = yes(app.truthDeclared);
  return v;
}

/** The posted fields of a step, to show them again as typed next to their errors. */
export function postedValues(body: unknown): Values {
  const out: Values = {};
  if (body && typeof body === 'object')
    for (const [k, val] of Object.entries(body as Record<string, unknown>)) {
      const texts = formTexts(val);
      if (texts.length) out[k] = k === 'benefits' ? texts : texts[0];
    }
  return out;
}

export const fieldDomId = (field: string): string =>
  field.replace(/\[(\d+)\]/g, '-$1').replace(/\./g, '-');

interface Option {
  value: string;
  label: string;
  selected: boolean;
}

/** Builds the step pages' view data: inputs with their values, options and messages. */
export class StepView {
  private readonly fieldErrors: Record<string, string> = {};

  constructor(
    private readonly i18n: I18nService,
    private readonly lang: Lang,
    private readonly values: Values,
    errors: FieldError[],
  ) {
    for (const e of errors) {
      const id = fieldDomId(e.field);
      if (!(id in this.fieldErrors)) this.fieldErrors[id] = i18n.t(lang, e.message, e.params ?? {});
    }
  }

  t(key: string, vars: Record<string, unknown> = {}): string {
    return this.i18n.t(this.lang, key.includes(':') ? key : `${NS}:${key}`, vars);
  }

  value(name: string): string {
    const v = this.values[name];
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  }

  list(name: string): string[] {
    const v = this.values[name];
    return Array.isArray(v) ? v : v ? [v] : [];
  }

  field(name: string, label: string, extra: Record<string, unknown> = {}) {
    const id = fieldDomId(name);
    return {
      name,
      id,
      label: this.t(label),
      value: this.value(name),
      error: this.fieldErrors[id],
      ...extra,
    };
  }

  select(name: string, label: string, options: { value: string; label: string }[]) {
    const current = this.value(name);
    return this.field(name, label, {
      select: true,
      options: [
        { value: '', label: this.t('choose'), selected: current === '' },
        ...options.map((o): Option => ({ ...o, selected: o.value === current })),
      ],
    });
  }

  checkbox(name: string, label: string) {
    return { ...this.field(name, label), checkbox: true, checked: this.value(name) !== '' };
  }

  /** Row numbers to show: those with values, then blank ones to fill in (no JavaScript needed). */
  rows(list: string, blank: number, min = 0): number[] {
    let used = -1;
    for (const k of Object.keys(this.values)) {
      const m = new RegExp(`^${list}\\[(\\d+)\\]\\.`).exec(k);
      if (m && this.value(k) !== '') used = Math.max(used, Number(m[1]));
    }
    const n = Math.min(MAX_ROWS, Math.max(min, used + 1 + blank));
    return Array.from({ length: n }, (_, i) => i);
  }

  errorOf(id: string): string | undefined {
    return this.fieldErrors[id];
  }

  errorSummary(link: (field: string) => string) {
    return Object.entries(this.fieldErrors).map(([id, text]) => ({ href: link(id), text }));
  }
}

const labelled = (v: StepView, list: string, codes: readonly string[]) =>
  codes.map((c) => ({ value: c, label: v.t(`${list}.${c}`) }));

/** The household members the other steps' rows may name. */
const memberOptions = (app: SocialAssistanceApplication) =>
  app.data.members.map((m) => ({
    value: m.personalCode,
    label: `${m.givenName} ${m.familyName} (${m.personalCode})`,
  }));

export function stepSections(
  v: StepView,
  step: ApplicationStep,
  app: SocialAssistanceApplication,
  lang: Lang,
  bills: BillSummary[],
) {
  const members = memberOptions(app);
  switch (step) {
    case 'household':
      return {
        household: v.rows('members', 2, 1).map((i) => {
          const f = (n: string) => `members[${i}].${n}`;
          return {
            n: i + 1,
            isApplicant: i === 0,
            fields: [
              v.field(f('givenName'), 'member.givenName', { width: 20 }),
              v.field(f('familyName'), 'member.familyName', { width: 20 }),
              i === 0
                ? v.field(f('personalCode'), 'member.personalCode', {
                    readonly: true,
                    value: app.applicantCode,
                    width: 10,
                  })
                : v.field(f('personalCode'), 'member.personalCode', { width: 10 }),
              v.field(f('birthDate'), 'member.birthDate', {
                width: 10,
                hint: v.t('member.birthDateHint'),
              }),
              ...(i === 0
                ? []
                : [
                    v.select(
                      f('relation'),
                      'member.relation',
                      labelled(v, 'relation', RELATIONS.slice(1)),
                    ),
                  ]),
            ],
            flags: MEMBER_FLAGS.map((flag) => v.checkbox(f(flag), `flag.${flag}`)),
          };
        }),
      };
    case 'incomes':
      return {
        months: app.incomeMonths.map((m) => monthLabel(m, lang)),
        regular: v.rows('regularIncomes', 2).map((i) => {
          const f = (n: string) => `regularIncomes[${i}].${n}`;
          return {
            n: i + 1,
            fields: [
              v.select(f('member'), 'income.member', members),
              v.select(
                f('type'),
                'income.type',
                INCOME_TYPES.map((t) => ({
                  value: t.code,
                  label: `${v.t(`incomeType.${t.code}`)}${t.counted ? '' : ` (${v.t('income.notCounted')})`}`,
                })),
              ),
              ...app.incomeMonths.map((m, k) =>
                v.field(f(`m${k}`), 'income.amountIn', {
                  label: v.t('income.amountIn', { month: monthLabel(m, lang) }),
                  width: 10,
                  euro: true,
                }),
              ),
            ],
          };
        }),
        irregular: v.rows('irregularIncomes', 1).map((i) => {
          const f = (n: string) => `irregularIncomes[${i}].${n}`;
          return {
            n: i + 1,
            fields: [
              v.select(f('member'), 'income.member', members),
              v.select(
                f('type'),
                'income.irregularType',
                labelled(v, 'irregularType', IRREGULAR_INCOME_TYPES),
              ),
              v.field(f('amount'), 'income.amount', { width: 10, euro: true }),
              v.select(
                f('receivedIn'),
                'income.receivedIn',
                lastTwelve(app, v).map((m) => ({ value: m, label: monthLabel(m, lang) })),
              ),
              v.field(f('description'), 'income.description', { width: 30 }),
            ],
          };
        }),
      };
    case 'assets':
      return {
        bankAccounts: rowsOf(v, 'bankAccounts', 1, (f) => [
          v.select(f('member'), 'income.member', members),
          v.field(f('bank'), 'asset.bank', { width: 20 }),
          v.field(f('opening'), 'asset.opening', { width: 10, euro: true }),
          v.field(f('closing'), 'asset.closing', { width: 10, euro: true }),
        ]),
        savings: rowsOf(v, 'savings', 1, (f) => [
          v.select(f('member'), 'income.member', members),
          v.select(f('kind'), 'asset.savingsKind', labelled(v, 'savingsKind', SAVINGS_KINDS)),
          v.field(f('amount'), 'income.amount', { width: 10, euro: true }),
        ]),
        properties: rowsOf(v, 'properties', 1, (f) => [
          v.select(f('member'), 'asset.owner', members),
          v.select(f('kind'), 'asset.propertyKind', labelled(v, 'propertyKind', PROPERTY_KINDS)),
          v.field(f('cadastreNumber'), 'asset.cadastreNumber', { width: 20 }),
          v.field(f('description'), 'asset.description', { width: 30 }),
        ]),
        vehicles: rowsOf(v, 'vehicles', 1, (f) => [
          v.select(f('member'), 'asset.owner', members),
          v.field(f('registrationNumber'), 'asset.registrationNumber', { width: 10 }),
          v.field(f('make'), 'asset.make', { width: 20 }),
        ]),
      };
    case 'housing':
      return {
        housingCosts: rowsOf(v, 'housingCosts', 2, (f) => [
          v.select(f('kind'), 'housing.kind', labelled(v, 'housingCost', HOUSING_COST_KINDS)),
          v.field(f('amount'), 'housing.amount', { width: 10, euro: true }),
          v.field(f('payee'), 'housing.payee', { width: 20 }),
          v.field(f('iban'), 'housing.iban', { width: 30, hint: v.t('housing.ibanHint') }),
          v.field(f('reference'), 'housing.reference', { width: 20 }),
        ]),
        housingPaidTo: v.field('housingPaidTo', 'housing.paidTo', {
          hint: v.t('housing.paidToHint'),
          select: true,
          options: [
            { value: 'applicant', label: v.t('housing.paidToApplicant') },
            ...HOUSING_COST_KINDS.map((k) => ({
              value: k,
              label: v.t('housing.paidToProvider', { kind: v.t(`housingCost.${k}`) }),
            })),
          ].map((o) => ({ ...o, selected: o.value === (v.value('housingPaidTo') || 'applicant') })),
        }),
        billKinds: labelled(v, 'housingCost', HOUSING_COST_KINDS),
        bills: bills.map((b) => ({
          ...b,
          kind: b.costKind ? v.t(`housingCost.${b.costKind}`) : '',
          size: `${Math.max(1, Math.round(b.sizeBytes / 1024))} KB`,
        })),
      };
    case 'benefits':
      return {
        benefitOptions: BENEFITS.map((b) => ({
          value: b,
          id: `benefits-${b}`,
          label: v.t(`benefit.${b}`),
          hint: v.t(`benefitHint.${b}`),
          checked: v.list('benefits').includes(b),
        })),
        paymentAccount: v.field('paymentAccount', 'benefits.paymentAccount', { width: 30 }),
        contactEmail: v.field('contactEmail', 'benefits.contactEmail', {
          width: 30,
          type: 'email',
        }),
      };
    case 'review':
      return {
        summary: summaryOf(v, app, lang, bills),
        truth: v.checkbox('truthDeclared', 'review.truth'),
      };
  }
}

function rowsOf(
  v: StepView,
  list: string,
  blank: number,
  make: (f: (n: string) => string) => unknown[],
) {
  return v.rows(list, blank).map((i) => ({ n: i + 1, fields: make((n) => `${list}[${i}].${n}`) }));
}

const lastTwelve = (app: SocialAssistanceApplication, _v: StepView): string[] => {
  const [y, m] = (app.incomeMonths[2] ?? '2000-01').split('-').map(Number);
  return Array.from({ length: 12 }, (_, k) => {
    const d = new Date(Date.UTC(y, m - 1 - k, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
  });
};

const LOCALE: Record<Lang, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };
export function monthLabel(ym: string, lang: Lang): string {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALE[lang], {
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, 1)));
}

/** The review: what each step declares, in words and money of the reader's language. */
function summaryOf(
  v: StepView,
  app: SocialAssistanceApplication,
  lang: Lang,
  bills: BillSummary[],
) {
  const d = app.data;
  const money = (c: number) => formatMoney(c, lang);
  const name = (code: string) => {
    const m = d.members.find((x) => x.personalCode === code);
    return m ? `${m.givenName} ${m.familyName}` : code;
  };
  const section = (step: ApplicationStep, lines: string[]) => ({
    step,
    title: v.t(`step.${step}`),
    lines: lines.length ? lines : [v.t('review.none')],
  });
  return [
    section(
      'household',
      d.members.map(
        (m) =>
          `${m.givenName} ${m.familyName}, ${m.personalCode}, ${v.t(`relation.${m.relation}`)}` +
          MEMBER_FLAGS.filter((f) => m[f])
            .map((f) => `, ${v.t(`flag.${f}`)}`)
            .join(''),
      ),
    ),
    section('incomes', [
      ...d.regularIncomes.map(
        (r) =>
          `${name(r.member)}: ${v.t(`incomeType.${r.type}`)}: ` +
          app.incomeMonths
            .map((m) => `${monthLabel(m, lang)} ${money(r.months[m] ?? 0)}`)
            .join('; '),
      ),
      ...d.irregularIncomes.map(
        (r) =>
          `${name(r.member)}: ${v.t(`irregularType.${r.type}`)} ${money(r.amountCents)} (${monthLabel(r.receivedIn, lang)})`,
      ),
    ]),
    section('assets', [
      ...d.bankAccounts.map(
        (r) => `${name(r.member)}: ${r.bank}: ${money(r.openingCents)} → ${money(r.closingCents)}`,
      ),
      ...d.savings.map(
        (r) => `${name(r.member)}: ${v.t(`savingsKind.${r.kind}`)} ${money(r.amountCents)}`,
      ),
      ...d.properties.map((r) =>
        `${name(r.member)}: ${v.t(`propertyKind.${r.kind}`)} ${r.cadastreNumber} ${r.description}`.trim(),
      ),
      ...d.vehicles.map((r) => `${name(r.member)}: ${r.registrationNumber} ${r.make}`.trim()),
    ]),
    section('housing', [
      ...d.housingCosts.map(
        (r) =>
          `${v.t(`housingCost.${r.kind}`)}: ${money(r.amountCents)}` +
          (r.payee ? ` (${[r.payee, r.iban, r.reference].filter(Boolean).join(', ')})` : ''),
      ),
      ...(d.benefits.includes('housing-benefit') ? [housingPayeeLine(v, d)] : []),
      ...bills.map((b) => `${v.t('housing.bill')}: ${b.fileName}`),
    ]),
    section('benefits', [
      ...d.benefits.map((b) => v.t(`benefit.${b}`)),
      ...(d.paymentAccount ? [`${v.t('benefits.paymentAccount')}: ${d.paymentAccount}`] : []),
      ...(d.contactEmail ? [`${v.t('benefits.contactEmail')}: ${d.contactEmail}`] : []),
    ]),
  ];
}

/** Who the housing benefit goes to, in words: the applicant, or the provider with its account and bill. */
export function housingPayeeLine(
  v: { t(key: string, vars?: Record<string, unknown>): string },
  d: ApplicationData,
): string {
  const cost = d.housingCosts.find((c) => c.kind === d.housingPaidTo);
  return cost
    ? v.t('housing.paidToProviderSummary', {
        name: cost.payee,
        iban: cost.iban ?? '',
        reference: cost.reference,
      })
    : v.t('housing.paidToApplicantSummary');
}

/** The steps as a list of links (progress): done ones and the current one marked. */
export function stepNav(
  v: StepView,
  app: SocialAssistanceApplication,
  current: ApplicationStep | null,
  base: string,
) {
  return APPLICATION_STEPS.map((s, i) => ({
    n: i + 1,
    href: `${base}/${s}`,
    label: v.t(`step.${s}`),
    current: s === current,
    done: app.stepsDone.includes(s),
  }));
}

/** The error summary's links: a field on this page by its id, one on another step through that step's page. */
export const errorLink =
  (base: string, current: ApplicationStep) =>
  (id: string): string => {
    if (id.startsWith('step-')) return `${base}/${id.slice(5)}`;
    const step = id === 'bills' ? 'housing' : stepOfField(id.replace(/-(\d+)-/, '[$1].'));
    return step === current ? `#${id}` : `${base}/${step}#${id}`;
  };
