import type { ParameterDefault } from '../../parameters/parameters.service';
import {
  ANNULMENT_GROUNDS_KEY,
  RESIDENCE_PERIODS,
} from '../../../workflows/residence-declaration/periods';
import type { SubmissionChannel } from './residence.types';

export const feeKey = (channel: SubmissionChannel): string =>
  `residence-declaration.fee.${channel}`;

/**
 * The residence processes' effective-dated parameters: national defaults (Latvia) seeded once at
 * start-up when the key has no national row; administrators add later versions (per country or
 * per municipality) in administration → parameters. Each note names the legal source, or says
 * "unverified" where the value is practice rather than a statutory term (DOMAIN.md).
 */
export const RESIDENCE_PARAMETERS: readonly ParameterDefault[] = [
  {
    country: 'LV',
    key: feeKey('counter'),
    value: '4.27',
    unit: 'EUR',
    validFrom: '2014-01-01',
    note: 'MK 720/2009 state fee at the municipality',
  },
  {
    country: 'LV',
    key: feeKey('online'),
    value: '0',
    unit: 'EUR',
    validFrom: '2014-01-01',
    note: 'Online declarations are free',
  },
  {
    country: 'LV',
    key: RESIDENCE_PERIODS.annulmentResponseDays,
    value: '14',
    unit: 'days',
    validFrom: '2000-01-01',
    note: 'Administratīvā procesa likums 62. pants (the person is heard before an unfavourable decision); Dzīvesvietas deklarēšanas likums: the person is invited to show a legal basis. 14 days is municipal practice, unverified.',
  },
  {
    country: 'LV',
    key: RESIDENCE_PERIODS.documentsDueDays,
    value: '30',
    unit: 'days',
    validFrom: '2000-01-01',
    note: 'Dzīvesvietas deklarēšanas likums: staff ask for the land-register entry, purchase or lease contract when registers cannot confirm the basis (DOMAIN.md). 30 days is practice, unverified.',
  },
  {
    country: 'LV',
    key: RESIDENCE_PERIODS.reviewReminderDays,
    value: '3',
    unit: 'days',
    validFrom: '2000-01-01',
    note: 'Internal practice: the caseworker is reminded this many days before a review task is due (no statutory term).',
  },
  {
    country: 'LV',
    key: ANNULMENT_GROUNDS_KEY,
    unit: 'list',
    validFrom: '2000-01-01',
    note: 'Dzīvesvietas deklarēšanas likums (anulēšana): false data given when declaring, or no legal basis to live at the declared address (pmlp.gov.lv/lv/deklaretas-dzivesvietas-anulesana; article number unverified).',
    items: [
      {
        code: 'false-data',
        label: {
          lv: 'Deklarējot dzīvesvietu, sniegtas nepatiesas ziņas',
          en: 'False data were given when declaring the residence',
          el: 'Δόθηκαν ψευδή στοιχεία κατά τη δήλωση κατοικίας',
        },
        legalReference: 'Dzīvesvietas deklarēšanas likums (anulēšanas pamats: nepatiesas ziņas)',
      },
      {
        code: 'no-legal-basis',
        label: {
          lv: 'Personai nav tiesiska pamata dzīvot deklarētajā dzīvesvietā',
          en: 'The person has no legal basis to live at the declared residence',
          el: 'Το πρόσωπο δεν έχει νόμιμο δικαίωμα να διαμένει στη δηλωμένη κατοικία',
        },
        legalReference: 'Dzīvesvietas deklarēšanas likums (anulēšanas pamats: nav tiesiska pamata)',
      },
    ],
  },
];
