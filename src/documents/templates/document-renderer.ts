import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import QRCode from 'qrcode';
import { DomainError } from '../../platform/errors/domain-error';
import { fromRoot } from '../../platform/paths';
import { DocumentsI18n } from '../documents-i18n';
import { latvianDativeFullName, type Sex } from './latvian-dative';
import {
  assertLanguage,
  TemplateCatalogue,
  templateTitleKey,
  type DocumentLanguage,
} from './template-registry';

/** Facts the service supplies around the template's own data (letterhead, numbers, QR). */
export interface DocumentEnvelope {
  municipality: { name: string; registrationNumber: string; address: string };
  registrationNumber: string;
  issuedAt: Date;
  timeZone: string;
  verification: { url: string; code: string };
  preview?: boolean;
}

/** The same document in a second language, printed after the original (bilingual municipalities). */
export interface TranslationInput {
  language: string;
  data: unknown;
}

export interface RenderedDocument {
  templateKey: string;
  language: DocumentLanguage;
  /** SHA-256 of the template file together with the layouts and partials it is rendered with. */
  templateVersion: string;
  title: string;
  /** `documents:titles.…`, for showing the title in a viewer's language. */
  titleKey: string;
  translationLanguage: DocumentLanguage | null;
  html: string;
  footerHtml: string;
}

interface Compiled {
  body: Handlebars.TemplateDelegate;
  version: string;
}

const LOCALES: Record<DocumentLanguage, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };

/**
 * Renders document templates (templates/documents/<key>.<lang>.hbs) to HTML with a private
 * Handlebars instance. Every value is HTML-escaped ({{...}}); the templates never use {{{...}}}.
 */
export class DocumentRenderer {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, Compiled>();
  private readonly footer: Handlebars.TemplateDelegate;
  private readonly sharedHash: string;

  constructor(
    private readonly root = fromRoot('templates'),
    private readonly i18n = new DocumentsI18n(),
    /** The templates it renders (the registry's: generic and the process modules'). */
    readonly catalogue = new TemplateCatalogue(),
  ) {
    const shared: string[] = [];
    for (const dir of ['partials', 'layouts']) {
      for (const file of readdirSync(join(root, dir))
        .filter((f) => f.endsWith('.hbs'))
        .sort()) {
        const source = readFileSync(join(root, dir, file), 'utf8');
        const name = file.slice(0, -4);
        this.hbs.registerPartial(dir === 'layouts' ? `layouts/${name}` : name, source);
        shared.push(`${dir}/${file}\n${source}`);
      }
    }
    this.sharedHash = createHash('sha256').update(shared.join('\n')).digest('hex');
    this.footer = this.hbs.compile(readFileSync(join(root, 'layouts', 'footer.hbs'), 'utf8'), {
      strict: false,
    });
    this.registerHelpers();
  }

  /**
   * Validates `data` against the template's schema, then renders the page and its footer; with a
   * translation, the same template in the second language follows the original on a new page.
   */
  async render(
    key: string,
    lang: string,
    envelope: DocumentEnvelope,
    data: unknown,
    translation?: TranslationInput,
  ): Promise<RenderedDocument> {
    this.catalogue.get(key);
    const templateKey = key;
    const language = assertLanguage(lang);
    const valid = this.catalogue.validate(templateKey, data);
    const { body, version } = this.template(templateKey, language);
    const title = this.i18n.t(language, this.titlePath(templateKey));
    const qrDataUrl = await QRCode.toDataURL(envelope.verification.url, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 240,
    });
    const second = translation
      ? this.translation(templateKey, language, envelope, translation)
      : null;
    const context = {
      ...envelope,
      lang: language,
      title,
      verification: { ...envelope.verification, qrDataUrl },
      data: valid,
      translation: second
        ? {
            lang: second.language,
            note: this.i18n.t(second.language, 'pdf.translation'),
            html: second.html,
          }
        : null,
    };
    const options = { data: { lang: language, timeZone: envelope.timeZone } };
    return {
      templateKey,
      language,
      templateVersion: second
        ? createHash('sha256').update(`${version}\n${second.version}`).digest('hex')
        : version,
      title,
      titleKey: templateTitleKey(templateKey),
      translationLanguage: second?.language ?? null,
      html: body(context, options),
      footerHtml: this.footer(context, options),
    };
  }

  /** The body of the translated document only (the layout prints no page frame when embedded). */
  private translation(
    key: string,
    original: DocumentLanguage,
    envelope: DocumentEnvelope,
    t: TranslationInput,
  ): { language: DocumentLanguage; html: Handlebars.SafeString; version: string } {
    const language = assertLanguage(t.language);
    if (language === original) {
      throw DomainError.validation([
        { field: 'translation.language', message: 'documents:validation.translationLanguage' },
      ]);
    }
    const valid = this.catalogue.validate(key, t.data);
    const { body, version } = this.template(key, language);
    const html = body(
      {
        ...envelope,
        embedded: true,
        lang: language,
        title: this.i18n.t(language, this.titlePath(key)),
        data: valid,
      },
      { data: { lang: language, timeZone: envelope.timeZone } },
    );
    // Rendered by our own template, every value escaped: safe to place as markup.
    return { language, html: new this.hbs.SafeString(html), version };
  }

  private titlePath(key: string): string {
    return templateTitleKey(key).replace(/^documents:/, '');
  }

  /** The version hash a template would be stored with, without rendering it. */
  templateVersion(key: string, lang: DocumentLanguage): string {
    return this.template(key, lang).version;
  }

  private template(key: string, lang: DocumentLanguage): Compiled {
    const id = `${key}.${lang}`;
    let c = this.compiled.get(id);
    if (!c) {
      const source = readFileSync(join(this.root, 'documents', `${id}.hbs`), 'utf8');
      c = {
        body: this.hbs.compile(source),
        version: createHash('sha256').update(`${this.sharedHash}\n${source}`).digest('hex'),
      };
      this.compiled.set(id, c);
    }
    return c;
  }

  private registerHelpers(): void {
    const langOf = (o: Handlebars.HelperOptions): DocumentLanguage =>
      (o.data as { lang: DocumentLanguage }).lang;
    this.hbs.registerHelper('label', (key: string, o: Handlebars.HelperOptions) =>
      this.i18n.t(langOf(o), `pdf.${key}`),
    );
    // The person's name in the Latvian dative ("Jānim Bērziņam"), or '' when the sex is unknown.
    this.hbs.registerHelper(
      'dativeName',
      (p: { givenName?: string; familyName?: string; name?: string; sex?: Sex }) =>
        latvianDativeFullName(p.name ?? `${p.givenName ?? ''} ${p.familyName ?? ''}`, p.sex) ?? '',
    );
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('date', (value: Date | string, o: Handlebars.HelperOptions) => {
      const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
      const d = dateOnly ? new Date(`${value}T12:00:00Z`) : new Date(value);
      const timeZone = dateOnly ? 'UTC' : (o.data as { timeZone: string }).timeZone;
      return new Intl.DateTimeFormat(LOCALES[langOf(o)], { dateStyle: 'long', timeZone }).format(d);
    });
  }
}
