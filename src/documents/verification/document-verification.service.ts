import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError } from '../../platform/errors/domain-error';
import { Municipality } from '../../platform/tenancy/municipality.entity';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { DocumentVerificationEntry } from '../document-verification-entry.entity';
import { IssuedDocument } from '../issued-document.entity';
import { ProcessRegistry } from '../../processes/process-registry';
import { templateTitleKey } from '../templates/template-registry';
import { normaliseVerificationCode } from '../verification-code';
import { checkPdfSeal, type SealCheck, type SealStatus } from './pdf-seal-verifier';
import { SealCheckPool } from './seal-check.pool';

/**
 * What anyone may learn about a document: whether it is genuine, who issued it and when. Never the
 * addressee or the content (the holder already has those).
 */
export interface PublicVerification {
  found: boolean;
  /** valid = signature checks out and was made with the seal recorded for this document. */
  seal: SealStatus;
  /** True when the bytes are exactly those issued; null when no issued document matched. */
  unmodified: boolean | null;
  document?: {
    /** As printed, in the document's language. */
    title: string;
    /** For showing the kind of document in the reader's language. */
    titleKey: string;
    registrationNumber: string;
    language: string;
    issuedAt: string;
    issuer: string;
    sealedBy: string;
    superseded: boolean;
  };
}

const PDF_MAGIC = Buffer.from('%PDF-');

interface LoadedDocument {
  doc: IssuedDocument;
  issuer: string;
  superseded: boolean;
}
const NOT_FOUND: PublicVerification = { found: false, seal: 'absent', unmodified: null };

@Injectable()
export class DocumentVerificationService {
  private readonly log = new Logger('DocumentVerification');

  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly checks: SealCheckPool,
    private readonly registry: ProcessRegistry,
  ) {}

  /** Looks a document up by the code printed on it (and in its QR code). */
  async byCode(input: string): Promise<PublicVerification> {
    const code = normaliseVerificationCode(input);
    if (!code) return { ...NOT_FOUND };
    const entry = await this.dataSource
      .getRepository(DocumentVerificationEntry)
      .findOneBy({ verificationCode: code });
    if (!entry) return { ...NOT_FOUND };
    const found = await this.load(entry, true);
    if (!found) return { ...NOT_FOUND };
    const { doc } = found;
    // A document this platform printed and sealed (tens of KB): checked in place, no thread.
    const intact = createHash('sha256').update(doc.pdf).digest('hex') === doc.sha256;
    return this.describe(found, checkPdfSeal(doc.pdf), intact);
  }

  /** Checks an uploaded PDF: is it, byte for byte, a document a municipality issued, and is its seal valid? */
  async byUpload(file: Buffer | undefined): Promise<PublicVerification> {
    if (!file || file.length === 0)
      throw DomainError.validation([{ field: 'file', message: 'documents:verify.fileMissing' }]);
    if (!file.subarray(0, 1024).includes(PDF_MAGIC)) {
      throw DomainError.validation([{ field: 'file', message: 'documents:verify.notPdf' }]);
    }
    // Hashing and parsing run in a worker thread with a time and memory budget (SealCheckPool).
    const { sha256, seal: check } = await this.checks.check(file);
    const entry = await this.dataSource
      .getRepository(DocumentVerificationEntry)
      .findOneBy({ sha256 });
    const found = entry ? await this.load(entry, false) : null;
    if (!found) {
      // A seal we cannot tie to an issued document is not reported as valid.
      return {
        found: false,
        seal: check.status === 'absent' ? 'absent' : 'invalid',
        unmodified: false,
      };
    }
    return this.describe(found, check, true);
  }

  private describe(
    { doc, issuer, superseded }: LoadedDocument,
    check: SealCheck,
    unmodified: boolean,
  ): PublicVerification {
    const seal: SealStatus =
      check.status === 'valid' && check.signerSerial !== doc.signerSerial
        ? 'invalid'
        : check.status;
    return {
      found: true,
      seal,
      unmodified,
      document: {
        title: doc.title,
        titleKey: this.registry.templates().has(doc.templateKey)
          ? templateTitleKey(doc.templateKey)
          : doc.title,
        registrationNumber: doc.registrationNumber,
        language: doc.language,
        issuedAt: doc.issuedAt.toISOString(),
        issuer,
        sealedBy: doc.signerSubject,
        superseded,
      },
    };
  }

  /**
   * The issued document the entry names, its issuer and whether a correction supersedes it: read
   * one after another in one tenant transaction, so a verification holds one pooled connection at
   * a time (it never needs a second one while the pool is exhausted or the server refuses new
   * connections). Null (logged as an error for operators) when the public index names a document
   * that cannot be read: the visitor is told no document has the code, not shown a server error.
   */
  private async load(
    entry: DocumentVerificationEntry,
    withPdf: boolean,
  ): Promise<LoadedDocument | null> {
    const found = await this.tenantDb.run(entry.municipalityId, async (em) => {
      const q = em
        .getRepository(IssuedDocument)
        .createQueryBuilder('d')
        .where('d.id = :id', { id: entry.documentId });
      const doc = await (withPdf ? q.addSelect('d.pdf') : q).getOne();
      if (!doc) return null;
      const municipality = await em.findOneBy(Municipality, { id: entry.municipalityId });
      const successor = await em.findOneBy(IssuedDocument, { supersedesId: doc.id });
      return { doc, issuer: municipality?.name ?? '', superseded: successor !== null };
    });
    if (!found)
      this.log.error(
        { documentId: entry.documentId, municipalityId: entry.municipalityId },
        'a verification entry names a document that cannot be read',
      );
    return found;
  }
}
