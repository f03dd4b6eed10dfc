import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Handlebars from 'handlebars';
import QRCode from 'qrcode';
import { fromRoot } from '../../platform/paths';
import { DocumentsI18n } from '../documents-i18n';
import {
  assertLanguage,
  assertTemplateKey,
  validateTemplateData,
  type DocumentLanguage,
  type TemplateKey,
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

export interface RenderedDocument {
  templateKey: TemplateKey;
  language: DocumentLanguage;
  /** SHA-256 of the template file together with the layouts and partials it is rendered with. */
  templateVersion: string;
  title: string;
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

  /** Validates `data` against the template's schema, then renders the page and its footer. */
  async render(
    key: string,
    lang: string,
    envelope: DocumentEnvelope,
    data: unknown,
  ): Promise<RenderedDocument> {
    const templateKey = assertTemplateKey(key);
    const language = assertLanguage(lang);
    const valid = validateTemplateData(templateKey, data);
    const { body, version } = this.template(templateKey, language);
    const title = this.i18n.t(language, `templates.${templateKey}`);
    const qrDataUrl = await QRCode.toDataURL(envelope.verification.url, {
      errorCorrectionLevel: 'M',
      margin: 1,
      width: 240,
    });
    const context = {
      ...envelope,
      lang: language,
      title,
      verification: { ...envelope.verification, qrDataUrl },
      data: valid,
    };
    const options = { data: { lang: language, timeZone: envelope.timeZone } };
    return {
      templateKey,
      language,
      templateVersion: version,
      title,
      html: body(context, options),
      footerHtml: this.footer(context, options),
    };
  }

  /** The version hash a template would be stored with, without rendering it. */
  templateVersion(key: TemplateKey, lang: DocumentLanguage): string {
    return this.template(key, lang).version;
  }

  private template(key: TemplateKey, lang: DocumentLanguage): Compiled {
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
    this.hbs.registerHelper('date', (value: Date | string, o: Handlebars.HelperOptions) => {
      const dateOnly = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
      const d = dateOnly ? new Date(`${value}T12:00:00Z`) : new Date(value);
      const timeZone = dateOnly ? 'UTC' : (o.data as { timeZone: string }).timeZone;
      return new Intl.DateTimeFormat(LOCALES[langOf(o)], { dateStyle: 'long', timeZone }).format(d);
    });
  }
}
