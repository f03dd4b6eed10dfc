import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fromRoot } from '../platform/paths';

/** The official ISO 20022 schemas (see schema/README.md for provenance). */
export const PAYMENT_SCHEMA_DIR = fromRoot('src/payments/schema');
export const PAIN001_XSD = join(PAYMENT_SCHEMA_DIR, 'pain.001.001.03.xsd');
export const PAIN002_XSD = join(PAYMENT_SCHEMA_DIR, 'pain.002.001.03.xsd');

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

/**
 * Validates an XML file (path) or document (Buffer) against an XSD with libxml2's xmllint,
 * offline (--nonet), as src/integrations/e-adrese/div/div-schema.ts does for DIV. xmllint
 * streams files, so a 10,000-line pain.001 is checked without loading it into Node.
 */
export function validateXml(
  xsd: string,
  doc: { file: string } | { data: Buffer },
): Promise<SchemaResult> {
  return new Promise((resolve, reject) => {
    const target = 'file' in doc ? doc.file : '-';
    const p = spawn('xmllint', ['--nonet', '--noout', '--schema', xsd, target], {
      stdio: ['file' in doc ? 'ignore' : 'pipe', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (err.length < 20_000) err += d;
    });
    p.on('error', (e) =>
      reject(new Error(`xmllint could not run (install libxml2-utils): ${e.message}`)),
    );
    p.on('close', (code) => {
      const errors = err
        .split('\n')
        .filter((l) => l.trim() && !/validates$/.test(l))
        .slice(0, 20);
      resolve({ valid: code === 0, errors });
    });
    if (!('file' in doc)) p.stdin!.end(doc.data);
  });
}
