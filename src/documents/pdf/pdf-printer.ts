/** Port: turns a self-contained HTML document into PDF bytes. */
export const PDF_PRINTER = Symbol('PDF_PRINTER');

export interface PrintJob {
  html: string;
  /** Chromium footer template (may use .pageNumber / .totalPages); omitted = no header/footer. */
  footerHtml?: string;
}

export interface PdfPrinter {
  print(job: PrintJob): Promise<Buffer>;
  /** Stops the browser and removes everything it left on disk. */
  close(): Promise<void>;
}
