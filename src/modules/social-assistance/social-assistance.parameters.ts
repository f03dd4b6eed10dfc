import type { ParameterListItem } from '../../parameters/parameter.entity';
import type { ParameterDefault } from '../../parameters/parameters.service';
import type { RoundingRule } from './calculation/exact';
import {
  HOUSEHOLD_TYPES,
  type HouseholdType,
  type HousingCostKind,
  type IncomeType,
  type KClass,
} from './calculation/types';

/** The parameter keys of social assistance (national defaults below; municipalities add their own versions). */
export const SA_KEYS = {
  gmiFirst: 'social-assistance.gmi.first',
  gmiOther: 'social-assistance.gmi.other',
  needyFirst: 'social-assistance.needy.first',
  needyOther: 'social-assistance.needy.other',
  capFirst: 'social-assistance.low-income-cap.first',
  capOther: 'social-assistance.low-income-cap.other',
  lowIncome: (t: HouseholdType, which: 'first' | 'other') =>
    `social-assistance.low-income.${t}.${which}`,
  k: (c: KClass) => `social-assistance.housing.k.${c}`,
  youthEducationAge: 'social-assistance.housing.youth-education-age',
  countedCosts: 'social-assistance.housing.counted-costs',
  norm: (kind: HousingCostKind, which: 'first' | 'other') =>
    `social-assistance.housing.norm.${kind}.${which}`,
  excludedIncome: 'social-assistance.income.excluded-types',
  childEarningsExempt: 'social-assistance.income.child-earnings-exempt',
  regularMonths: 'social-assistance.income.regular-months',
  irregularMonths: 'social-assistance.income.irregular-months',
  savingsLimit: 'social-assistance.assets.savings-limit',
  maxCars: 'social-assistance.assets.max-cars',
  maxCarsWithChildren: 'social-assistance.assets.max-cars-with-children',
  maxOtherRealEstate: 'social-assistance.assets.max-other-real-estate',
  gmiPeriod: 'social-assistance.gmi.period-months',
  gmiPeriodNoWorkingAge: 'social-assistance.gmi.period-months-no-working-age',
  statusMonths: 'social-assistance.status.period-months',
  statusMonthsNoWorkingAge: 'social-assistance.status.period-months-no-working-age',
  rounding: (figure: 'income' | 'gmi-benefit' | 'housing-benefit') =>
    `social-assistance.rounding.${figure}`,
  visitOnFirstApplication: 'social-assistance.visit.on-first-application',
  visitOnHouseholdDifference: 'social-assistance.visit.on-household-difference',
} as const;

/** Legal basis of the interview / home visit rule, as far as it was read here. */
const VISIT_BASIS =
  'Unverified: MK 809 / SPSPL — the social worker assesses the household’s situation and may visit the home; which cases must have an interview or home visit is the municipality’s rule. 1 = required, 0 = not required (the caseworker may still arrange one at review).';

/** Housing-cost kinds that count (SPSPL 35(3) and municipal pages); norms are seeded for these. */
export const COUNTED_COST_KINDS: readonly HousingCostKind[] = [
  'rent',
  'management',
  'heating',
  'hot-water',
  'electricity',
  'water',
  'gas',
  'sewage',
  'waste',
  'telecom',
  'water-meters',
  'land-lease',
  'property-tax',
  'gas-cylinders',
  'solid-fuel',
];

/** Income that does not count (municipal page quoting MK 809, DOMAIN.md "Means assessment"). */
export const EXCLUDED_INCOME_TYPES: readonly IncomeType[] = [
  'family-state-benefit',
  'disability-care-allowance',
  'assistant-allowance',
  'transport-allowance',
  'birth-allowance',
  'death-allowance',
  'student-loan',
  'stipend',
  'active-employment-support',
  'crime-victim-compensation',
  'tax-refund',
  'targeted-charity',
  'municipal-assistance',
];

const LM_GMI = 'lm.gov.lv/lv/gmi-pabalsts; SPSPL 33. pants';
const T2026 =
  'lasi.lv 2026 and LM: income median 850.02 EUR; GMI 22 %, needy 50 %, low-income cap 80 %; further person 0.7 × first, rounded half-up to whole euro';

/** Versions of one key, oldest first: [validFrom, value, note?]. */
const history = (
  key: string,
  unit: string,
  note: string,
  versions: readonly (readonly [string, string, string?])[],
): ParameterDefault[] =>
  versions.map(([validFrom, value, own]) => ({
    country: 'LV',
    key,
    unit,
    validFrom,
    value,
    note: own ?? note,
  }));

const one = (key: string, unit: string, value: string, note: string, validFrom = '2021-01-01') =>
  history(key, unit, note, [[validFrom, value]]);

/** The 2021–2026 threshold table (DOMAIN.md). */
const TABLE = {
  gmi: [
    ['2021-01-01', '109', '76', 'MK 809 (2021): 109 / 76 EUR (lm.gov.lv/lv/gmi-pabalsts)'],
    ['2023-07-01', '125', '87.50', `20 % of the income median; 87.50 kept unrounded (${LM_GMI})`],
    ['2024-01-01', '137', '96', `${LM_GMI}; 2024 table`],
    ['2025-01-01', '166', '116', `${LM_GMI}; 2025 table`],
    ['2026-01-01', '187', '131', T2026],
  ],
  needy: [
    ['2021-01-01', '272', '190', 'MK 809 (2021): 272 / 190 EUR'],
    ['2023-07-01', '313', '219', `50 % of the income median (${LM_GMI})`],
    ['2024-01-01', '343', '240', `${LM_GMI}; 2024 table`],
    ['2025-01-01', '377', '264', `${LM_GMI}; 2025 table`],
    ['2026-01-01', '425', '298', T2026],
  ],
  cap: [
    [
      '2023-07-01',
      '501',
      '351',
      '80 % of the income median: the most a municipality may set (SPSPL 33. pants)',
    ],
    ['2024-01-01', '549', '384', '80 % cap, 2024 table'],
    ['2025-01-01', '604', '423', '80 % cap, 2025 table'],
    ['2026-01-01', '680', '476', T2026],
  ],
} as const;

const pair = (
  first: string,
  other: string,
  rows: readonly (readonly [string, string, string, string])[],
  note?: (n: string) => string,
): ParameterDefault[] => [
  ...history(
    first,
    'EUR/month',
    '',
    rows.map(([f, v, , n]) => [f, v, note ? note(n) : n] as const),
  ),
  ...history(
    other,
    'EUR/month',
    '',
    rows.map(([f, , v, n]) => [f, v, note ? note(n) : n] as const),
  ),
];

const K_2021 =
  'Before 2022: 2.5 for a single pensioner or person with a disability, 2 for households of only such persons, no coefficient (1) for others (lvportals.lv 337369; kopaa.lv). Unverified.';
const K_2022 =
  'From 2022-01-01: 1.5 for other households (lvportals.lv 337369, Energoresursu cenu ārkārtēja pieauguma samazinājuma pasākumu likums).';
const K_2022_09 =
  'From 2022-09-01 to 2023-04-30: coefficient 3 for every household (lvportals.lv 337015).';
const K_2023_05 =
  'Unverified: May 2023 (after the coefficient 3 ended, before SPSPL 35(5) of 2023-06-01) taken as the 2023-06-01 values.';
const K_2023 = 'SPSPL 35(5) from 2023-06-01 (lm.gov.lv/lv/majokla-pabalsts)';
const K_BASELINE =
  'Unverified: a later baseline 2.1 / 1.7 / 1.3 reported (DOMAIN.md), date probably 2025-01-01.';
const K_2026 = 'Temporary 2026-01-01..2026-04-30 (DOMAIN.md). Unverified: dates.';
const K_RESTORED =
  'Unverified: back to the baseline after the temporary 2026 values (DOMAIN.md; date not confirmed).';

/** K by class (SPSPL 35(5)), oldest first; the 2026 children class per DOMAIN.md. */
const K_HISTORY: Record<KClass, readonly (readonly [string, string, string])[]> = {
  'single-pensioner': [
    ['2021-01-01', '2.5', K_2021],
    ['2022-09-01', '3', K_2022_09],
    ['2023-05-01', '2.5', K_2023_05],
    ['2023-06-01', '2.5', K_2023],
    ['2025-01-01', '2.1', K_BASELINE],
    ['2026-01-01', '2.5', K_2026],
    ['2026-05-01', '2.1', K_RESTORED],
  ],
  'pensioners-only': [
    ['2021-01-01', '2', K_2021],
    ['2022-09-01', '3', K_2022_09],
    ['2023-05-01', '2', K_2023_05],
    ['2023-06-01', '2', `${K_2023}; with or without children`],
    ['2025-01-01', '1.7', K_BASELINE],
    ['2026-01-01', '2', K_2026],
    ['2026-05-01', '1.7', K_RESTORED],
  ],
  'with-children': [
    [
      '2021-01-01',
      '1',
      `${K_2021} No class of its own before 2026: the value for other households.`,
    ],
    ['2022-01-01', '1.5', K_2022],
    ['2022-09-01', '3', K_2022_09],
    ['2023-05-01', '1.5', K_2023_05],
    [
      '2023-06-01',
      '1.5',
      `${K_2023}; no class of its own before 2026: the value for other households`,
    ],
    ['2025-01-01', '1.3', K_BASELINE],
    [
      '2026-01-01',
      '2',
      'Households with children < 18 or youths < 24 in education, 2026 (DOMAIN.md). Unverified: whether permanent, and the dates.',
    ],
    ['2026-05-01', '1.3', K_RESTORED],
  ],
  other: [
    ['2021-01-01', '1', K_2021],
    ['2022-01-01', '1.5', K_2022],
    ['2022-09-01', '3', K_2022_09],
    ['2023-05-01', '1.5', K_2023_05],
    ['2023-06-01', '1.5', K_2023],
    ['2025-01-01', '1.3', K_BASELINE],
    ['2026-01-01', '1.7', K_2026],
    ['2026-05-01', '1.3', K_RESTORED],
  ],
};

const item = (
  code: string,
  lv: string,
  en: string,
  el: string,
  legalReference: string,
): ParameterListItem => ({
  code,
  label: { lv, en, el },
  legalReference,
});

const rounding = (
  figure: 'income' | 'gmi-benefit' | 'housing-benefit',
  rule: RoundingRule,
  label: ParameterListItem['label'],
  note: string,
): ParameterDefault => ({
  country: 'LV',
  key: SA_KEYS.rounding(figure),
  unit: 'list',
  validFrom: '2021-01-01',
  note,
  items: [{ code: rule, label, legalReference: note }],
});

const COST_LABELS: Partial<Record<HousingCostKind, [string, string, string]>> = {
  rent: ['Īres maksa', 'Rent', 'Ενοίκιο'],
  management: [
    'Obligātās pārvaldīšanas darbības',
    'Mandatory management',
    'Υποχρεωτική διαχείριση',
  ],
  heating: ['Apkure', 'Heating', 'Θέρμανση'],
  'hot-water': ['Karstais ūdens', 'Hot water', 'Ζεστό νερό'],
  electricity: ['Elektroenerģija', 'Electricity', 'Ηλεκτρική ενέργεια'],
  water: ['Ūdens', 'Water', 'Νερό'],
  gas: ['Dabasgāze', 'Natural gas', 'Φυσικό αέριο'],
  sewage: ['Kanalizācija vai asenizācija', 'Sewage', 'Αποχέτευση'],
  waste: ['Sadzīves atkritumi', 'Household waste', 'Οικιακά απορρίμματα'],
  telecom: [
    'Telekomunikācijas un internets',
    'Telecom and internet',
    'Τηλεπικοινωνίες και διαδίκτυο',
  ],
  'water-meters': ['Ūdens skaitītāji', 'Water meters', 'Μετρητές νερού'],
  'land-lease': ['Zemes nomas maksa', 'Land lease', 'Μίσθωση γης'],
  'property-tax': ['Nekustamā īpašuma nodoklis', 'Property tax', 'Φόρος ακινήτων'],
  'gas-cylinders': ['Gāzes baloni', 'Gas cylinders', 'Φιάλες αερίου'],
  'solid-fuel': ['Cietais kurināmais', 'Solid fuel', 'Στερεά καύσιμα'],
};
const SPSPL_35_3 = 'SPSPL 35. panta 3. daļa';
const MUNICIPAL_COSTS =
  'pašvaldību skaidrojumi (jurmala.lv, edruva.lv Cēsis): zemes noma, NĪN, gāzes baloni, cietais kurināmais';

const INCOME_LABELS: Partial<Record<IncomeType, [string, string, string]>> = {
  'family-state-benefit': [
    'Ģimenes valsts pabalsts',
    'Family state benefit',
    'Κρατικό οικογενειακό επίδομα',
  ],
  'disability-care-allowance': [
    'Invaliditātes kopšanas pabalsts',
    'Disability care allowance',
    'Επίδομα φροντίδας αναπηρίας',
  ],
  'assistant-allowance': ['Asistenta pabalsts', 'Assistant allowance', 'Επίδομα βοηθού'],
  'transport-allowance': ['Transporta pabalsts', 'Transport allowance', 'Επίδομα μετακίνησης'],
  'birth-allowance': ['Bērna piedzimšanas pabalsts', 'Birth allowance', 'Επίδομα γέννησης'],
  'death-allowance': ['Apbedīšanas pabalsts', 'Death allowance', 'Επίδομα θανάτου'],
  'student-loan': ['Studiju kredīts', 'Student loan', 'Φοιτητικό δάνειο'],
  stipend: ['Stipendija', 'Stipend', 'Υποτροφία'],
  'active-employment-support': [
    'Aktīvo nodarbinātības pasākumu atbalsts',
    'Active employment support',
    'Στήριξη ενεργητικής απασχόλησης',
  ],
  'crime-victim-compensation': [
    'Kompensācija noziegumā cietušajam',
    'Crime-victim compensation',
    'Αποζημίωση θυμάτων εγκλήματος',
  ],
  'tax-refund': ['Nodokļu atmaksa', 'Tax refund', 'Επιστροφή φόρου'],
  'targeted-charity': ['Mērķtiecīgs ziedojums', 'Targeted charity', 'Στοχευμένη φιλανθρωπία'],
  'municipal-assistance': [
    'Pašvaldības sociālās palīdzības pabalsti',
    'Municipal assistance benefits',
    'Δημοτικά επιδόματα πρόνοιας',
  ],
};

/**
 * Social assistance's effective-dated parameters (Latvia): national defaults, each with its
 * source; those DOMAIN.md marks unverified say "Unverified" in their note, which the calculator's
 * breakdown and the parameters page show. A key's whole history is seeded once; administrators
 * and municipalities add later versions (a municipality's low-income thresholds and norms).
 */
export const SOCIAL_ASSISTANCE_PARAMETERS: readonly ParameterDefault[] = [
  ...pair(SA_KEYS.gmiFirst, SA_KEYS.gmiOther, TABLE.gmi),
  ...pair(SA_KEYS.needyFirst, SA_KEYS.needyOther, TABLE.needy),
  ...pair(SA_KEYS.capFirst, SA_KEYS.capOther, TABLE.cap),
  // The municipality sets its own low-income threshold per household type, between the needy
  // threshold and the 80 % cap; until it does, the needy threshold (the lowest it may set) applies.
  ...HOUSEHOLD_TYPES.flatMap((t) =>
    pair(
      SA_KEYS.lowIncome(t, 'first'),
      SA_KEYS.lowIncome(t, 'other'),
      TABLE.needy,
      (n) =>
        `National default = the needy threshold (${n}); each municipality sets its own by binding regulations between the needy threshold and the 80 % cap (e.g. Tukums 2024: 411 / 288; Ogre 2026: 595 / 416). Unverified: household types of the rule table.`,
    ),
  ),
  ...(Object.entries(K_HISTORY) as [KClass, (typeof K_HISTORY)[KClass]][]).flatMap(([c, rows]) =>
    history(SA_KEYS.k(c), 'coefficient', '', rows),
  ),
  ...one(
    SA_KEYS.youthEducationAge,
    'years',
    '24',
    'Youths under 24 in education make a household one "with children" for K (2026, DOMAIN.md). Unverified.',
  ),
  {
    country: 'LV',
    key: SA_KEYS.countedCosts,
    unit: 'list',
    validFrom: '2021-01-01',
    note: `${SPSPL_35_3}; ${MUNICIPAL_COSTS}`,
    items: COUNTED_COST_KINDS.map((k) => {
      const [lv, en, el] = COST_LABELS[k] ?? [k, k, k];
      const spspl = !['land-lease', 'property-tax', 'gas-cylinders', 'solid-fuel'].includes(k);
      return item(k, lv, en, el, spspl ? SPSPL_35_3 : MUNICIPAL_COSTS);
    }),
  },
  ...COUNTED_COST_KINDS.flatMap((k) =>
    (['first', 'other'] as const).flatMap((which) =>
      one(
        SA_KEYS.norm(k, which),
        'EUR/month, 0 = not capped',
        '0',
        'MK 809 3. pielikums (norms for housing costs). Unverified: the annex values were not available here; 0 caps nothing until the municipality enters the norm.',
      ),
    ),
  ),
  {
    country: 'LV',
    key: SA_KEYS.excludedIncome,
    unit: 'list',
    validFrom: '2021-01-01',
    note: 'MK 809 as quoted by a municipal page (DOMAIN.md "Means assessment"). Unverified: exact points.',
    items: EXCLUDED_INCOME_TYPES.map((t) => {
      const [lv, en, el] = INCOME_LABELS[t] ?? [t, t, t];
      return item(t, lv, en, el, 'MK 809 (neņem vērā)');
    }),
  },
  ...history(
    SA_KEYS.childEarningsExempt,
    'EUR/month',
    'A child’s earnings up to the minimum monthly wage do not count (DOMAIN.md); the minimum wage of the year. Unverified: the wage figures.',
    [
      ['2021-01-01', '500'],
      ['2023-01-01', '620'],
      ['2024-01-01', '700'],
      ['2025-01-01', '740'],
      ['2026-01-01', '780'],
    ],
  ),
  ...one(
    SA_KEYS.regularMonths,
    'months',
    '3',
    'MK 809: regular income of the last 3 full calendar months (lm.gov.lv/lv/gmi-pabalsts)',
  ),
  ...one(
    SA_KEYS.irregularMonths,
    'months',
    '12',
    'MK 809: irregular income (incl. sale of property) over the last 12 months (DOMAIN.md)',
  ),
  ...one(
    SA_KEYS.savingsLimit,
    'coefficient',
    '1',
    'SPSPL 36(1): savings not above the needy threshold of the household (× 1). Unverified: household vs first-person threshold.',
  ),
  ...one(SA_KEYS.maxCars, 'vehicles', '1', 'SPSPL 36(1): at most one car (jurmala.lv)'),
  ...one(
    SA_KEYS.maxCarsWithChildren,
    'vehicles',
    '2',
    'SPSPL 36(1): two motor vehicles when there are children (jurmala.lv)',
  ),
  ...one(
    SA_KEYS.maxOtherRealEstate,
    'properties',
    '0',
    'SPSPL 36(1) 2. punkts: only the dwelling the household lives in. Unverified: the article’s exceptions (land up to a size, outbuildings) are not modelled.',
  ),
  ...one(
    SA_KEYS.gmiPeriod,
    'months',
    '3',
    'MK 809: GMI benefit granted for 3 months when the household has an able-bodied person (DOMAIN.md)',
  ),
  ...one(
    SA_KEYS.gmiPeriodNoWorkingAge,
    'months',
    '6',
    'MK 809: 6 months when nobody in the household is of working age (DOMAIN.md)',
  ),
  ...one(
    SA_KEYS.statusMonths,
    'months',
    '6',
    'Status validity. Unverified (6 / 12 months, DOMAIN.md).',
  ),
  ...one(
    SA_KEYS.statusMonthsNoWorkingAge,
    'months',
    '12',
    'Status validity when only pensioners, persons with disabilities and minors. Unverified (DOMAIN.md).',
  ),
  // The interview / home visit before the review: off nationally (the law lets the social worker
  // visit, it does not say when one is required); a municipality switches a trigger on from a date.
  ...one(
    SA_KEYS.visitOnFirstApplication,
    'yes = 1, no = 0',
    '0',
    `Interview / home visit on a first application in this municipality. ${VISIT_BASIS}`,
  ),
  ...one(
    SA_KEYS.visitOnHouseholdDifference,
    'yes = 1, no = 0',
    '0',
    `Interview / home visit when the population register check flags a difference from the declared household. ${VISIT_BASIS}`,
  ),
  rounding(
    'income',
    'cent-half-up',
    {
      lv: 'Līdz centam (uz augšu no puses)',
      en: 'To the cent (half up)',
      el: 'Στο λεπτό (μισό προς τα πάνω)',
    },
    'Average monthly income to the cent. Unverified: MK 809 names no rounding; cents as in bank statements.',
  ),
  rounding(
    'gmi-benefit',
    'cent-half-up',
    {
      lv: 'Līdz centam (uz augšu no puses)',
      en: 'To the cent (half up)',
      el: 'Στο λεπτό (μισό προς τα πάνω)',
    },
    'GMI benefit in cents (Kuldīga worked examples give whole euros from whole-euro inputs). Unverified.',
  ),
  rounding(
    'housing-benefit',
    'euro-down',
    {
      lv: 'Līdz veselam eiro (atmetot centus)',
      en: 'To the whole euro (truncated)',
      el: 'Σε ακέραιο ευρώ (περικοπή)',
    },
    'Published results look truncated to whole euro (DOMAIN.md). Unverified.',
  ),
];
