import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { PDF_PRINTER, type PdfPrinter } from './pdf/pdf-printer';
import { DocumentRenderer } from './templates/document-renderer';

export type PreviewFormat = 'html' | 'pdf';

/** Renders a template with its sample data for administrators. Not sealed, not stored, marked as a preview. */
@Injectable()
export class TemplatePreviewService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly renderer: DocumentRenderer,
    @Inject(PDF_PRINTER) private readonly printer: PdfPrinter,
  ) {}

  async preview(
    key: string,
    lang: string,
    format: PreviewFormat,
    municipalityId?: string,
  ): Promise<{ contentType: string; body: Buffer }> {
    const templateKey = key;
    const { sample } = this.renderer.catalogue.get(key);
    const m = municipalityId
      ? await this.dataSource.getRepository(Municipality).findOneBy({ id: municipalityId })
      : null;
    const rendered = await this.renderer.render(
      templateKey,
      lang,
      {
        municipality: {
          name: m?.name ?? 'Paraugu novada pašvaldība',
          registrationNumber: m?.registrationNumber ?? '90000000000',
          address: m?.address ?? 'Parauga iela 1, LV-1000',
        },
        registrationNumber: 'PREVIEW-0001',
        issuedAt: new Date(),
        timeZone: m?.country === 'GR' ? 'Europe/Athens' : 'Europe/Riga',
        verification: { url: 'https://example.invalid/verify/PREVIEW', code: 'PREVIEW' },
        preview: true,
      },
      sample,
    );
    if (format === 'html')
      return { contentType: 'text/html; charset=utf-8', body: Buffer.from(rendered.html) };
    const pdf = await this.printer.print({ html: rendered.html, footerHtml: rendered.footerHtml });
    return { contentType: 'application/pdf', body: pdf };
  }
}
