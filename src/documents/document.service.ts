import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, QueryFailedError, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { CASE_TIMELINE, type CaseTimeline } from './case-timeline';
import { DocumentVerificationEntry } from './document-verification-entry.entity';
import { IssuedDocument } from './issued-document.entity';
import { PDF_PRINTER, type PdfPrinter } from './pdf/pdf-printer';
import { DOCUMENT_SIGNER, type DocumentSigner } from './signing/document-signer';
import { DocumentRenderer } from './templates/document-renderer';
import {
  assertLanguage,
  assertTemplateKey,
  type DocumentLanguage,
  type TemplateData,
  type TemplateKey,
} from './templates/template-registry';
import { newVerificationCode } from './verification-code';

export interface IssueDocumentInput {
  municipalityId: string;
  caseId: string;
  /** The process step issuing it; (caseId, stepKey) makes issuing idempotent. */
  stepKey: string;
  templateKey: string;
  language: string;
  /** Validated against the template's schema; unexpected fields are rejected. */
  data: unknown;
  /** Defaults to `<caseId>/<stepKey>`. */
  registrationNumber?: string;
  /** A correction names the document it replaces. */
  supersedesId?: string;
}

/** IssueDocumentInput checked at compile time against the template's data type. */
export type TypedIssueDocumentInput<K extends TemplateKey> = Omit<IssueDocumentInput, 'templateKey' | 'language' | 'data'> & {
  templateKey: K;
  language: DocumentLanguage;
  data: TemplateData<K>;
};

/** Identity at run time; lets callers build activity input with the template's TypeScript type. */
export const documentRequest = <K extends TemplateKey>(input: TypedIssueDocumentInput<K>): IssueDocumentInput => input;

/** What callers (and the issueDocument activity) get back: plain, serialisable, no PDF bytes. */
export interface IssuedDocumentSummary {
  id: string;
  caseId: string;
  stepKey: string;
  templateKey: string;
  templateVersion: string;
  language: string;
  title: string;
  registrationNumber: string;
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

const TIME_ZONES: Record<string, string> = { LV: 'Europe/Riga', GR: 'Europe/Athens' };
const UNIQUE_VIOLATION = '23505';

/** Issues official documents: template → HTML → PDF → e-seal → stored (immutable) with its hash. */
@Injectable()
export class DocumentService {
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

  async issue(input: IssueDocumentInput): Promise<IssuedDocumentSummary> {
    this.assertKeys(input);
    const templateKey = assertTemplateKey(input.templateKey);
    const language = assertLanguage(input.language);
    const existing = await this.findByStep(input.municipalityId, input.caseId, input.stepKey);
    if (existing) return this.summary(existing, false);

    const municipality = await this.municipality(input.municipalityId);
    const issuedAt = new Date();
    // Fail before rendering: no seal, no document.
    this.signer.assertSealUsable(municipality.code, issuedAt);
    if (input.supersedesId) await this.assertSupersedable(input.municipalityId, input.supersedesId);

    const verificationCode = newVerificationCode();
    const registrationNumber = input.registrationNumber ?? `${input.caseId}/${input.stepKey}`;
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
        timeZone: TIME_ZONES[municipality.country] ?? 'UTC',
        verification: { url: this.verificationUrl(verificationCode), code: verificationCode },
      },
      input.data,
    );
    const pdf = await this.printer.print({ html: rendered.html, footerHtml: rendered.footerHtml });
    const sealed = await this.signer.seal(pdf, {
      municipalityCode: municipality.code,
      municipalityName: municipality.name,
      location: municipality.address || municipality.name,
      reason: `${rendered.title} ${registrationNumber}`,
      signingTime: issuedAt,
    });
    const doc = Object.assign(new IssuedDocument(), {
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
    try {
      await this.store(doc);
    } catch (e) {
      // Another attempt of the same step won the race: return what it stored.
      if (
        e instanceof QueryFailedError &&
        (e.driverError as { code?: string }).code === UNIQUE_VIOLATION
      ) {
        const winner = await this.findByStep(input.municipalityId, input.caseId, input.stepKey);
        if (winner) return this.summary(winner, false);
      }
      throw e;
    }
    return this.summary(doc, true);
  }

  /** The sealed PDF bytes. */
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
  async listForCase(municipalityId: string, caseId: string, em?: EntityManager): Promise<IssuedDocumentSummary[]> {
    const read = (m: EntityManager) => m.find(IssuedDocument, { where: { caseId }, order: { issuedAt: 'ASC' } });
    const rows = await (em ? read(em) : this.tenantDb.run(municipalityId, read));
    return rows.map((r) => this.summary(r, false));
  }

  private async store(doc: IssuedDocument): Promise<void> {
    await this.tenantDb.run(doc.municipalityId, async (em: EntityManager) => {
      await em.insert(IssuedDocument, doc);
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
            registrationNumber: doc.registrationNumber,
            documentId: doc.id,
          },
          idempotencyKey: `document.issued:${doc.caseId}:${doc.stepKey}`,
        },
        em,
      );
    });
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

  private async municipality(id: string): Promise<Municipality> {
    const m = await this.dataSource.getRepository(Municipality).findOneBy({ id });
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
      title: d.title,
      registrationNumber: d.registrationNumber,
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
