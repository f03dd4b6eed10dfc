import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { DeliveryFile, DocumentSource } from '../delivery/channels/channel.port';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';
import { DocumentService } from './document.service';
import { isUuid } from '../platform/ids';

/**
 * Outbox attachments are issued documents: the sealed bytes exactly as stored (the hash on /verify
 * matches), read from the database in chunks when a channel sends them.
 */
@Injectable()
export class IssuedDocumentSource implements DocumentSource {
  constructor(private readonly documents: DocumentService) {}

  async load(municipalityId: string, documentId: string): Promise<DeliveryFile> {
    const doc = !isUuid(documentId) ? null : await this.documents.get(municipalityId, documentId);
    if (!doc)
      throw new DomainError(
        ErrorCode.NotFound,
        `attachment ${documentId}: no such document in this municipality`,
      );
    return {
      documentId,
      fileName: doc.fileName,
      mimeType: 'application/pdf',
      size: doc.sizeBytes,
      sha256: doc.sha256,
      open: () => Readable.from(this.documents.pdfChunks(municipalityId, documentId)),
      registrationNumber: doc.registrationNumber,
    };
  }
}
