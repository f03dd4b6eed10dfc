import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { CASE_TIMELINE, type CaseTimeline } from './case-timeline';
import { DocumentSettings } from './document-settings.entity';
import { DocumentVerificationEntry } from './document-verification-entry.entity';
import { DocumentPerson } from './document-person.entity';
import { IssuedDocument } from './issued-document.entity';
import { PDF_PRINTER, type PdfPrinter } from './pdf/pdf-printer';
import { DOCUMENT_SIGNER, type DocumentSigner } from './signing/document-signer';
import {
  formatRegistrationNumber,
  KeyedQueue,
  nextInRegister,
  yearIn,
} from './registration-number';
import { DocumentRenderer } from './templates/document-renderer';
import {
  assertLanguage,
  DOCUMENT_LANGUAGES,
  templateTitleKey,
  type DocumentLanguage,
  TEMPLATES,
  type TemplateDataOf,
  type TemplateDefinitions,
} from './templates/template-registry';
import { newVerificationCode } from './verification-code';

export interface IssueDocumentInput {
  municipalityId: string;
  caseId: string;
  /** The process step issuing it; (caseId, stepKey) makes issuing idempotent. */
  stepKey: string;
  templateKey: string;
  /**
   * The municipality's official language (lv in Latvia, el in Greece), which is also the default;
   * any other language is refused: a second language goes in `translation`.
   */
  language?: string;
  /** Validated against the template's schema; unexpected fields are rejected. */
  data: unknown;
  /** The same document in a second language, printed after the original (see `languages`). */
  translation?: { language: string; data: unknown };
  /** A correction names the document it replaces. */
  supersedesId?: string;
  /**
   * The personal codes of everyone whose data the document shows (a certificate's subject, the
   * persons an at-property certificate lists). Stored with the document in its transaction: a
   * staff read of the document or its case file names each (issue 12 M2).
   */
  persons?: string[];
}

/** The languages a municipality's documents are issued in. */
export interface DocumentLanguages {
  /** The official language of the municipality's country. */
  language: DocumentLanguage;
  /** Set when the municipality asked for bilingual documents (document_settings). */
  translation: DocumentLanguage | null;
}

/** IssueDocumentInput checked at compile time against the template's data type (T: whose templates; the generic ones by default). */
export type TypedIssueDocumentInput<
  K extends keyof T & string,
  T extends TemplateDefinitions = typeof TEMPLATES,
> = Omit<IssueDocumentInput, 'templateKey' | 'language' | 'data'> & {
  templateKey: K;
  language?: DocumentLanguage;
  data: TemplateDataOf<T, K>;
};

/** A typed documentRequest over one set of templates (a process module's own: `documentRequestOf(MY_TEMPLATES)`). */
export const documentRequestOf =
  <T extends TemplateDefinitions>(_templates: T) =>
  <K extends keyof T & string>(input: TypedIssueDocumentInput<K, T>): IssueDocumentInput =>
    input;

/** Identity at run time; lets callers build activity input with a generic template's TypeScript type. */
export const documentRequest = documentRequestOf(TEMPLATES);

/** What callers (and the issueDocument activity) get back: plain, serialisable, no PDF bytes. */
export interface IssuedDocumentSummary {
  id: string;
  caseId: string;
  stepKey: string;
  templateKey: string;
  templateVersion: string;
  language: string;
  /** An i18n key (`documents:titles.…`): show it in the viewer's language (the `titleText` helper). */
  title: string;
  /** The title as printed on the document, in the document's language. */
  printedTitle: string;
  registrationNumber: string;
  /** A file name made of the registration number (`TUK-CERT-2026-000123.pdf`). */
  fileName: string;
  sha256: string;
  sizeBytes: number;
  verificationCode: string;
  verificationUrl: string;
  signerSubject: string;
  signerSerial: string;
  signedAt: string;
  issuedAt: string;
  supersedesId: string | null;
  /** False when this (caseId, stepKey) had already been issued and the stored one is returned. */
  created: boolean;
}

/** At most this many persons per document (an at-property certificate of a large building). */
const MAX_PERSONS = 1000;

/** The persons the document names: trimmed, distinct; refused as a field error when malformed. */
function personsOf(input: IssueDocumentInput): string[] {
  const given: unknown = input.persons ?? [];
  const ok =
    Array.isArray(given) &&
    given.length <= MAX_PERSONS &&
    given.every((p) => typeof p === 'string' && p.trim().length > 0 && p.trim().length <= 40);
  if (!ok)
    throw DomainError.validation([
      { field: 'persons', message: 'documents:validation.invalidPersons' },
    ]);
  return [...new Set((given as string[]).map((p) => p.trim()))];
}

const TIME_ZONES: Record<string, string> = { LV: 'Europe/Riga', GR: 'Europe/Athens' };
/** The official language of each country the platform serves. */
const OFFICIAL_LANGUAGES: Record<string, DocumentLanguage> = { LV: 'lv', GR: 'el' };

/** The official language of a municipality's country: its documents and notices are in it. */
export function officialLanguageOf(country: string): DocumentLanguage {
  return OFFICIAL_LANGUAGES[country] ?? 'lv';
}
const UNIQUE_VIOLATION = '23505';

/** Issues official documents: template → HTML → PDF → e-seal → stored (immutable) with its hash. */
@Injectable()
export class DocumentService {
  private readonly registers = new KeyedQueue();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly renderer: DocumentRenderer,
    @Inject(PDF_PRINTER) private readonly printer: PdfPrinter,
    @Inject(DOCUMENT_SIGNER) private readonly signer: DocumentSigner,
    @Inject(CASE_TIMELINE) private readonly timeline: CaseTimeline,
  ) {}

  verificationUrl(code: string): string {
    return new URL(`/verify/${code}`, this.config.PUBLIC_URL).toString();
  }

  /**
   * The languages this municipality's documents are issued in (official, optional translation);
   * `em`: the caller's transaction, if it holds one.
   */
  async languages(municipalityId: string, em?: EntityManager): Promise<DocumentLanguages> {
    return this.languagesOf(await this.municipality(municipalityId, em), em);
  }

  async issue(input: IssueDocumentInput): Promise<IssuedDocumentSummary> {
    this.assertKeys(input);
    const persons = personsOf(input);
    const templateKey = input.templateKey;
    const template = this.renderer.catalogue.get(templateKey);
    const existing = await this.findByStep(input.municipalityId, input.caseId, input.stepKey);
    if (existing) return this.summary(existing, false);

    const municipality = await this.municipality(input.municipalityId);
    const { language: official } = await this.languagesOf(municipality);
    const language = input.language === undefined ? official : assertLanguage(input.language);
    if (language !== official) {
      throw DomainError.validation([
        {
          field: 'language',
          message: 'documents:validation.notOfficialLanguage',
          params: { expected: official },
        },
      ]);
    }
    const issuedAt = new Date();
    // Fail before rendering: no seal, no document.
    this.signer.assertSealUsable(municipality.code, issuedAt);
    if (input.supersedesId) await this.assertSupersedable(input.municipalityId, input.supersedesId);

    const timeZone = TIME_ZONES[municipality.country] ?? 'UTC';
    const register = template.register;
    const year = yearIn(issuedAt, timeZone);
    try {
      return await this.registers.run(`${municipality.id}|${register}|${year}`, () =>
        this.tenantDb.run(input.municipalityId, async (em) => {
          // Checked again under the register's lock: a racing attempt of this step may have won.
          const again = await em.findOneBy(IssuedDocument, {
            caseId: input.caseId,
            stepKey: input.stepKey,
          });
          if (again) return this.summary(again, false);
          const n = await nextInRegister(em, municipality.id, register, year);
          const registrationNumber = formatRegistrationNumber(municipality.code, register, year, n);
          const doc = await this.produce(input, templateKey, language, municipality, {
            registrationNumber,
            issuedAt,
            timeZone,
          });
          await this.store(em, doc, persons);
          return this.summary(doc, true);
        }),
      );
    } catch (e) {
      // Another process issued the same step meanwhile: return what it stored. The number this
      // attempt took was rolled back with its transaction, so the register has no gap.
      if (
        e instanceof QueryFailedError &&
        (e.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        const winner = await this.findByStep(input.municipalityId, input.caseId, input.stepKey);
        if (winner) return this.summary(winner, false);
      }
      throw e;
    }
  }

  /** Renders, prints and seals the document; nothing is stored yet. */
  private async produce(
    input: IssueDocumentInput,
    templateKey: string,
    language: DocumentLanguage,
    municipality: Municipality,
    at: { registrationNumber: string; issuedAt: Date; timeZone: string },
  ): Promise<IssuedDocument> {
    const { registrationNumber, issuedAt, timeZone } = at;
    const verificationCode = newVerificationCode();
    const rendered = await this.renderer.render(
      templateKey,
      language,
      {
        municipality: {
          name: municipality.name,
          registrationNumber: municipality.registrationNumber,
          address: municipality.address,
        },
        registrationNumber,
        issuedAt,
        timeZone,
        verification: { url: this.verificationUrl(verificationCode), code: verificationCode },
      },
      input.data,
      input.translation,
    );
    const pdf = await this.printer.print({ html: rendered.html, footerHtml: rendered.footerHtml });
    const sealed = await this.signer.seal(pdf, {
      municipalityCode: municipality.code,
      municipalityName: municipality.name,
      location: municipality.address || municipality.name,
      reason: `${rendered.title} ${registrationNumber}`,
      signingTime: issuedAt,
    });
    return Object.assign(new IssuedDocument(), {
      id: randomUUID(),
      municipalityId: input.municipalityId,
      caseId: input.caseId,
      stepKey: input.stepKey,
      templateKey,
      templateVersion: rendered.templateVersion,
      language,
      title: rendered.title,
      registrationNumber,
      pdf: sealed.pdf,
      sha256: createHash('sha256').update(sealed.pdf).digest('hex'),
      sizeBytes: sealed.pdf.length,
      signerSubject: sealed.signer.subject,
      signerSerial: sealed.signer.serial,
      signedAt: sealed.signedAt,
      issuedAt,
      verificationCode,
      supersedesId: input.supersedesId ?? null,
    });
  }

  /** The sealed PDF bytes. */
  /**
   * The sealed PDF in chunks of `chunkBytes`, each read in its own short transaction (`substring`
   * of the bytea), so a channel streams a file without holding it whole.
   */
  async *pdfChunks(
    municipalityId: string,
    documentId: string,
    chunkBytes = 1_048_576,
  ): AsyncGenerator<Buffer> {
    for (let offset = 0; ; offset += chunkBytes) {
      const [row] = await this.tenantDb.run(municipalityId, (em) =>
        em.query<{ part: Buffer }[]>(
          `SELECT substring(pdf FROM $2 FOR $3) AS part FROM documents WHERE id = $1`,
          [documentId, offset + 1, chunkBytes],
        ),
      );
      if (!row) throw new DomainError(ErrorCode.NotFound, `document ${documentId} not found`);
      if (row.part.length) yield row.part;
      if (row.part.length < chunkBytes) return;
    }
  }

  async pdf(municipalityId: string, documentId: string): Promise<Buffer> {
    const row = await this.tenantDb.run(municipalityId, (em) =>
      em
        .getRepository(IssuedDocument)
        .createQueryBuilder('d')
        .addSelect('d.pdf')
        .where('d.id = :documentId', { documentId })
        .getOne(),
    );
    if (!row) throw new DomainError(ErrorCode.NotFound, `document ${documentId} not found`);
    return row.pdf;
  }

  async get(municipalityId: string, documentId: string): Promise<IssuedDocumentSummary | null> {
    const row = await this.tenantDb.run(municipalityId, (em) =>
      em.findOneBy(IssuedDocument, { id: documentId }),
    );
    return row ? this.summary(row, false) : null;
  }

  /** The case's documents; inside the caller's tenant transaction when `em` is given. */
  async listForCase(
    municipalityId: string,
    caseId: string,
    em?: EntityManager,
  ): Promise<IssuedDocumentSummary[]> {
    const read = (m: EntityManager) =>
      m.find(IssuedDocument, { where: { caseId }, order: { issuedAt: 'ASC' } });
    const rows = await (em ? read(em) : this.tenantDb.run(municipalityId, read));
    return rows.map((r) => this.summary(r, false));
  }

  /**
   * The personal codes the case's documents name (or those of one document): stored at issue,
   * none for documents issued before they were. Inside the caller's tenant transaction when `em`
   * is given.
   */
  async personsNamed(
    municipalityId: string,
    of: { caseId: string; documentId?: string },
    em?: EntityManager,
  ): Promise<string[]> {
    const read = async (m: EntityManager): Promise<string[]> => {
      const rows = (await m.query(
        `SELECT DISTINCT p.personal_code FROM document_persons p JOIN documents d ON d.id = p.document_id
          WHERE d.case_id = $1 AND ($2::uuid IS NULL OR d.id = $2::uuid) ORDER BY 1`,
        [of.caseId, of.documentId ?? null],
      )) as { personal_code: string }[];
      return rows.map((r) => r.personal_code);
    };
    return em ? read(em) : this.tenantDb.run(municipalityId, read);
  }

  private async store(em: EntityManager, doc: IssuedDocument, persons: string[]): Promise<void> {
    await em.insert(IssuedDocument, doc);
    if (persons.length) {
      await em.insert(
        DocumentPerson,
        persons.map((personalCode) => ({
          municipalityId: doc.municipalityId,
          documentId: doc.id,
          personalCode,
        })),
      );
    }
    await em.insert(DocumentVerificationEntry, {
      verificationCode: doc.verificationCode,
      sha256: doc.sha256,
      municipalityId: doc.municipalityId,
      documentId: doc.id,
      issuedAt: doc.issuedAt,
    });
    await this.timeline.record(
      {
        municipalityId: doc.municipalityId,
        caseId: doc.caseId,
        type: 'document.issued',
        occurredAt: doc.issuedAt,
        summaryKey: 'documents:timeline.issued',
        params: {
          title: doc.title,
          titleKey: templateTitleKey(doc.templateKey),
          registrationNumber: doc.registrationNumber,
          documentId: doc.id,
        },
        idempotencyKey: `document.issued:${doc.caseId}:${doc.stepKey}`,
      },
      em,
    );
  }

  private findByStep(
    municipalityId: string,
    caseId: string,
    stepKey: string,
  ): Promise<IssuedDocument | null> {
    return this.tenantDb.run(municipalityId, (em) =>
      em.findOneBy(IssuedDocument, { caseId, stepKey }),
    );
  }

  private async languagesOf(m: Municipality, em?: EntityManager): Promise<DocumentLanguages> {
    const language = officialLanguageOf(m.country);
    const settings = await (em ?? this.dataSource.manager)
      .getRepository(DocumentSettings)
      .findOneBy({ municipalityId: m.id });
    const second = settings?.secondLanguage?.trim();
    const translation =
      second && second !== language && (DOCUMENT_LANGUAGES as readonly string[]).includes(second)
        ? (second as DocumentLanguage)
        : null;
    return { language, translation };
  }

  private async municipality(id: string, em?: EntityManager): Promise<Municipality> {
    const m = await (em ?? this.dataSource.manager).getRepository(Municipality).findOneBy({ id });
    if (!m)
      throw DomainError.validation([
        { field: 'municipalityId', message: 'documents:validation.unknownMunicipality' },
      ]);
    return m;
  }

  private async assertSupersedable(municipalityId: string, supersedesId: string): Promise<void> {
    const [target, already] = await this.tenantDb.run(municipalityId, (em) =>
      Promise.all([
        em.findOneBy(IssuedDocument, { id: supersedesId }),
        em.findOneBy(IssuedDocument, { supersedesId }),
      ]),
    );
    if (!target)
      throw DomainError.validation([
        { field: 'supersedesId', message: 'documents:validation.supersededNotFound' },
      ]);
    if (already)
      throw DomainError.validation([
        { field: 'supersedesId', message: 'documents:validation.alreadySuperseded' },
      ]);
  }

  private assertKeys(input: IssueDocumentInput): void {
    const fields = (['caseId', 'stepKey'] as const)
      .filter((f) => typeof input[f] !== 'string' || !/^[\w.:/-]{1,200}$/.test(input[f]))
      .map((f) => ({ field: f, message: 'documents:validation.invalidKey' }));
    if (fields.length) throw DomainError.validation(fields);
  }

  private summary(d: IssuedDocument, created: boolean): IssuedDocumentSummary {
    return {
      id: d.id,
      caseId: d.caseId,
      stepKey: d.stepKey,
      templateKey: d.templateKey,
      templateVersion: d.templateVersion,
      language: d.language,
      title: this.renderer.catalogue.has(d.templateKey) ? templateTitleKey(d.templateKey) : d.title,
      printedTitle: d.title,
      registrationNumber: d.registrationNumber,
      fileName: `${d.registrationNumber.replace(/[^\w.-]+/g, '-')}.pdf`,
      sha256: d.sha256,
      sizeBytes: d.sizeBytes,
      verificationCode: d.verificationCode,
      verificationUrl: this.verificationUrl(d.verificationCode),
      signerSubject: d.signerSubject,
      signerSerial: d.signerSerial,
      signedAt: d.signedAt.toISOString(),
      issuedAt: d.issuedAt.toISOString(),
      supersedesId: d.supersedesId,
      created,
    };
  }
}
