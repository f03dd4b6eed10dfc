import { z } from 'zod';
import { DomainError, type FieldError } from '../../platform/errors/domain-error';

export const DOCUMENT_LANGUAGES = ['lv', 'en', 'el'] as const;
export type DocumentLanguage = (typeof DOCUMENT_LANGUAGES)[number];

/**
 * A document template: the register its documents are numbered in (docs/documents.md), the data
 * it expects (a strict zod schema: unknown fields are rejected), and sample data for the
 * administrators' preview. Its files are templates/documents/<key>.<lang>.hbs, one per language.
 */
export interface TemplateDefinition {
  register: string;
  schema: z.ZodType;
  sample: unknown;
}

/** Template definitions by key (`<folder>/<name>`, the folder under templates/documents/). */
export type TemplateDefinitions = Readonly<Record<string, TemplateDefinition>>;

/** The data a template of `T` expects, typed: a process module's own helper over its templates. */
export type TemplateDataOf<T extends TemplateDefinitions, K extends keyof T> = z.infer<
  T[K]['schema']
>;

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

/** Field schemas templates share (process modules build their templates' schemas from them). */
export const templateFields = { text, paragraphs, isoDate, sex, signatory, addressee };

/**
 * The platform's generic document templates (templates/documents/generic/). A process module's
 * own templates are in its manifest (`templates`); the TemplateCatalogue serves both.
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
} as const satisfies TemplateDefinitions;

export type TemplateKey = keyof typeof TEMPLATES;
export type TemplateData<K extends TemplateKey> = z.infer<(typeof TEMPLATES)[K]['schema']>;
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[];

/**
 * The i18n key of a template's title (`documents:titles.generic.decision`): pages show a document's
 * title in the viewer's language from it, whatever language the document itself is in.
 */
export const templateTitleKey = (key: string): string =>
  `documents:titles.${key.replace('/', '.')}`;

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

/**
 * Every template the running application can render: the generic ones and those of the process
 * modules' manifests (the ProcessRegistry builds it). A key declared twice is a wiring error.
 */
export class TemplateCatalogue {
  private built?: ReadonlyMap<string, TemplateDefinition>;

  /** @param processTemplates the modules' templates, or a function giving them when first needed (Nest builds providers in no fixed order) */
  constructor(
    private readonly processTemplates:
      readonly TemplateDefinitions[] | (() => readonly TemplateDefinitions[]) = [],
  ) {}

  private get all(): ReadonlyMap<string, TemplateDefinition> {
    this.built ??= this.build(
      typeof this.processTemplates === 'function' ? this.processTemplates() : this.processTemplates,
    );
    return this.built;
  }

  private build(
    processTemplates: readonly TemplateDefinitions[],
  ): ReadonlyMap<string, TemplateDefinition> {
    const all = new Map<string, TemplateDefinition>(Object.entries(TEMPLATES));
    for (const defs of processTemplates) {
      for (const [k, v] of Object.entries(defs)) {
        if (all.has(k)) throw new Error(`document template ${k} is declared twice`);
        if (!/^[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*$/.test(k)) {
          throw new Error(`document template key ${k} is not <folder>/<name> in kebab-case`);
        }
        all.set(k, v);
      }
    }
    return all;
  }

  keys(): string[] {
    return [...this.all.keys()];
  }

  has(key: string): boolean {
    return this.all.has(key);
  }

  /** The definition, or a field-level validation error naming the unknown key. */
  get(key: string): TemplateDefinition {
    const def = this.all.get(key);
    if (!def) {
      throw DomainError.validation([
        { field: 'templateKey', message: 'documents:validation.unknownTemplate', params: { key } },
      ]);
    }
    return def;
  }

  /** The template's data, or a field-level validation error naming each unexpected or wrong field. */
  validate(key: string, data: unknown): unknown {
    const parsed = this.get(key).schema.safeParse(data);
    if (!parsed.success) throw DomainError.validation(toFieldErrors(data, parsed.error.issues));
    return parsed.data;
  }
}
