import { z } from 'zod';
import { DomainError, type FieldError } from '../../platform/errors/domain-error';

export const DOCUMENT_LANGUAGES = ['lv', 'en', 'el'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

const text = (max = 500) => z.string().trim().min(1).max(max);
const paragraphs = (min: number) => z.array(text(4000)).min(min).max(50);
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
      new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'invalid calendar date',
    },
  );

/** From the population register; Latvian templates need it to put names in the dative. */
const sex = z.enum(['M', 'F']).optional();
const signatory = z.object({ name: text(200), position: text(200) }).strict();
const addressee = z.object({ name: text(200), address: text(500).optional() }).strict();

/**
 * Every document template: the register its documents are numbered in (docs/documents.md), the
 * data it expects (strict: unknown fields are rejected), and sample data for the administrators'
 * preview. The template files are templates/documents/<key>.<lang>.hbs for every language.
 */
export const TEMPLATES = {
  'generic/decision': {
    register: 'DEC',
    schema: z
      .object({
        addressee,
        title: text(300),
        facts: paragraphs(0),
        legalBasis: paragraphs(0),
        decision: paragraphs(1),
        appeal: text(2000),
        signatory,
      })
      .strict(),
    sample: {
      addressee: { name: 'Jānis Bērziņš', address: 'Pils iela 1, Tukums, LV-3101' },
      title: 'Par dzīvesvietas deklarācijas anulēšanu',
      facts: ['Pašvaldība saņēma īpašnieka iesniegumu par ziņu anulēšanu.'],
      legalBasis: ['Dzīvesvietas deklarēšanas likuma 12. panta pirmās daļas 2. punkts.'],
      decision: ['Anulēt ziņas par deklarēto dzīvesvietu.'],
      appeal: 'Lēmumu var apstrīdēt viena mēneša laikā no tā spēkā stāšanās dienas.',
      signatory: { name: 'Anna Ozoliņa', position: 'Dzimtsarakstu nodaļas vadītāja' },
    },
  },
  'generic/notice': {
    register: 'NOT',
    schema: z
      .object({ addressee, subject: text(300), paragraphs: paragraphs(1), signatory })
      .strict(),
    sample: {
      addressee: { name: 'Jānis Bērziņš', address: 'Pils iela 1, Tukums, LV-3101' },
      subject: 'Par papildu informācijas iesniegšanu',
      paragraphs: ['Lūdzam līdz 15. decembrim iesniegt īres līguma kopiju.'],
      signatory: { name: 'Anna Ozoliņa', position: 'Klientu apkalpošanas speciāliste' },
    },
  },
  'residence-declaration/residence-certificate': {
    register: 'CERT',
    schema: z
      .object({
        person: z
          .object({ givenName: text(100), familyName: text(100), personalCode: text(32), sex })
          .strict(),
        address: text(500),
        declaredFrom: isoDate,
        purpose: text(300).optional(),
        signatory,
      })
      .strict(),
    sample: {
      person: { givenName: 'Līga', familyName: 'Ķēniņa', personalCode: '010190-12345', sex: 'F' },
      address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101',
      declaredFrom: '2024-03-15',
      purpose: 'iesniegšanai bankā',
      signatory: { name: 'Anna Ozoliņa', position: 'Dzīvesvietas deklarēšanas speciāliste' },
    },
  },
  'residence-declaration/residence-history': {
    register: 'CERT',
    schema: z
      .object({
        person: z
          .object({ givenName: text(100), familyName: text(100), personalCode: text(32), sex })
          .strict(),
        /** Only the last declared residence (the "last declared residence" certificate). */
        lastOnly: z.boolean(),
        entries: z
          .array(
            z
              .object({ address: text(500), from: isoDate, to: isoDate.optional(), status: text(50) })
              .strict(),
          )
          .min(1)
          .max(200),
        signatory,
      })
      .strict(),
    sample: {
      person: { givenName: 'Līga', familyName: 'Ķēniņa', personalCode: '010190-12345', sex: 'F' },
      lastOnly: false,
      entries: [
        { address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101', from: '2024-03-15', status: 'active' },
        { address: 'Pils iela 1, Tukums, Tukuma nov., LV-3101', from: '2019-01-10', to: '2024-03-14', status: 'ended' },
      ],
      signatory: { name: 'Anna Ozoliņa', position: 'Dzīvesvietas deklarēšanas speciāliste' },
    },
  },
  'residence-declaration/declared-at-property': {
    register: 'CERT',
    schema: z
      .object({
        owner: z.object({ name: text(200), personalCode: text(32), sex }).strict(),
        address: text(500),
        persons: z
          .array(z.object({ givenName: text(100), familyName: text(100), declaredFrom: isoDate }).strict())
          .max(500),
        signatory,
      })
      .strict(),
    sample: {
      owner: { name: 'Jānis Bērziņš', personalCode: '150385-12346', sex: 'M' },
      address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101',
      persons: [{ givenName: 'Līga', familyName: 'Ķēniņa', declaredFrom: '2024-03-15' }],
      signatory: { name: 'Anna Ozoliņa', position: 'Dzīvesvietas deklarēšanas speciāliste' },
    },
  },
} as const satisfies Record<string, { register: string; schema: z.ZodType; sample: unknown }>;

export type TemplateKey = keyof typeof TEMPLATES;
export type TemplateData<K extends TemplateKey> = z.infer<(typeof TEMPLATES)[K]['schema']>;
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[];

/**
 * The i18n key of a template's title (`documents:titles.generic.decision`): pages show a document's
 * title in the viewer's language from it, whatever language the document itself is in.
 */
export const templateTitleKey = (key: TemplateKey): string => `documents:titles.${key.replace('/', '.')}`;

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, key);
}

export function assertTemplateKey(key: string): TemplateKey {
  if (!isTemplateKey(key)) {
    throw DomainError.validation([
      { field: 'templateKey', message: 'documents:validation.unknownTemplate', params: { key } },
    ]);
  }
  return key;
}

export function assertLanguage(lang: string): DocumentLanguage {
  if (!(DOCUMENT_LANGUAGES as readonly string[]).includes(lang)) {
    throw DomainError.validation([
      {
        field: 'language',
        message: 'documents:validation.unknownLanguage',
        params: { expected: DOCUMENT_LANGUAGES.join(', ') },
      },
    ]);
  }
  return lang as DocumentLanguage;
}

const at = (data: unknown, path: PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (v, k) =>
      v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined,
    data,
  );

function toFieldErrors(data: unknown, issues: z.core.$ZodIssue[]): FieldError[] {
  const name = (path: PropertyKey[]): string => ['data', ...path.map(String)].join('.');
  return issues.flatMap((i): FieldError[] => {
    switch (i.code) {
      case 'unrecognized_keys':
        return i.keys.map((k) => ({
          field: name([...i.path, k]),
          message: 'documents:validation.unexpectedField',
        }));
      case 'invalid_type':
        return [
          at(data, i.path) === undefined
            ? { field: name(i.path), message: 'documents:validation.required' }
            : {
                field: name(i.path),
                message: 'documents:validation.invalidType',
                params: { expected: i.expected },
              },
        ];
      case 'too_small':
        return [
          {
            field: name(i.path),
            message: 'documents:validation.tooSmall',
            params: { minimum: Number(i.minimum) },
          },
        ];
      case 'too_big':
        return [
          {
            field: name(i.path),
            message: 'documents:validation.tooBig',
            params: { maximum: Number(i.maximum) },
          },
        ];
      case 'invalid_format':
        return [{ field: name(i.path), message: 'documents:validation.invalidFormat' }];
      case 'custom':
      case 'invalid_element':
      case 'invalid_key':
      case 'invalid_union':
      case 'invalid_value':
      case 'not_multiple_of':
        return [{ field: name(i.path), message: 'documents:validation.invalid' }];
    }
  });
}

/** The template's data, typed, or a field-level validation error naming each unexpected or wrong field. */
export function validateTemplateData<K extends TemplateKey>(
  key: K,
  data: unknown,
): TemplateData<K> {
  const parsed = TEMPLATES[key].schema.safeParse(data);
  if (!parsed.success) throw DomainError.validation(toFieldErrors(data, parsed.error.issues));
  return parsed.data as TemplateData<K>;
}
