import { Inject, Module, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DocumentService } from './document.service';
import { DocumentsI18n } from './documents-i18n';
import { DOCUMENT_SOURCE } from '../delivery/channels/channel.port';
import { IssuedDocumentSource } from './issued-document.source';
import { PdfUploadInterceptor } from './http/pdf-upload.interceptor';
import { TemplatePreviewController } from './http/template-preview.controller';
import { VerifyApiController } from './http/verify.controller';
import { VerifyFormErrorPage, VerifyPagesController } from './http/verify.pages.controller';
import { PDF_PRINTER, type PdfPrinter } from './pdf/pdf-printer';
import { PuppeteerPdfPrinter } from './pdf/puppeteer-pdf-printer';
import { DOCUMENT_SIGNER } from './signing/document-signer';
import { PadesSigner } from './signing/pades-signer';
import { SealStore } from './signing/seal-store';
import { DocumentRenderer } from './templates/document-renderer';
import { ProcessRegistry } from '../processes/process-registry';
import { TemplatePreviewService } from './template-preview.service';
import { DocumentVerificationService } from './verification/document-verification.service';
import { SealCheckPool } from './verification/seal-check.pool';

/**
 * Official documents: templates → PDF (warm Chromium) → PAdES e-seal → immutable storage, public
 * verification and template previews. CASE_TIMELINE comes from the case core (global);
 * DOCUMENT_SOURCE, bound here, is how the delivery outbox attaches issued documents.
 */
@Module({
  controllers: [VerifyApiController, VerifyPagesController, TemplatePreviewController],
  providers: [
    DocumentsI18n,
    {
      provide: DocumentRenderer,
      useFactory: (i18n: DocumentsI18n, registry: ProcessRegistry) =>
        new DocumentRenderer(undefined, i18n, registry.templates()),
      inject: [DocumentsI18n, ProcessRegistry],
    },
    {
      provide: PDF_PRINTER,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) =>
        new PuppeteerPdfPrinter({
          executablePath: c.CHROMIUM_PATH,
          poolSize: c.PDF_POOL_SIZE,
          renderTimeoutMs: c.PDF_RENDER_TIMEOUT_MS,
        }),
    },
    {
      provide: DOCUMENT_SIGNER,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => new PadesSigner(new SealStore(c.SEAL_DIR, c.SEAL_PASSPHRASE)),
    },
    DocumentService,
    { provide: DOCUMENT_SOURCE, useClass: IssuedDocumentSource },
    DocumentVerificationService,
    SealCheckPool,
    TemplatePreviewService,
    PdfUploadInterceptor,
    VerifyFormErrorPage,
  ],
  exports: [
    DocumentService,
    DOCUMENT_SOURCE,
    DocumentVerificationService,
    TemplatePreviewService,
    PDF_PRINTER,
    DOCUMENT_SIGNER,
  ],
})
export class DocumentsModule implements OnModuleDestroy {
  constructor(@Inject(PDF_PRINTER) private readonly printer: PdfPrinter) {}

  async onModuleDestroy(): Promise<void> {
    await this.printer.close();
  }
}
