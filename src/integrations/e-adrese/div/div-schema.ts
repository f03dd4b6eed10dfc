import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fromRoot } from '../../../platform/paths';

/**
 * The schema set: the official WSDL and DIV/IVIS XSDs (byte-faithful copies from VDAA's client
 * library, see schema/README.md) and the project's reconstruction of the UUI message schema
 * (schema/uui/uui.xsd), which the official set lacks.
 */
export const SCHEMA_DIR = fromRoot('src/integrations/e-adrese/div/schema');
export const WSDL_PATH = join(SCHEMA_DIR, 'UnifiedService.wsdl');
const UUI_XSD = join(SCHEMA_DIR, 'uui/uui.xsd');
const XMLLINT_CATALOG = join(SCHEMA_DIR, 'offline/catalog-xmllint.xml');

/** Where the WSDL's imports are read from: local files, never the network. */
export function localImport(location: string): string {
  if (location.includes('?xsd=xsd12')) return UUI_XSD;
  if (location.includes('?xsd=xsd13')) return join(SCHEMA_DIR, 'uui/serialization.xsd');
  if (location.includes('?xsd=xsd14')) return join(SCHEMA_DIR, 'uui/arrays.xsd');
  const ivis = 'http://ivis.eps.gov.lv/';
  if (location.startsWith(ivis))
    return join(SCHEMA_DIR, 'xsd/ivis.eps.gov.lv', location.slice(ivis.length));
  return location;
}

export interface SchemaResult {
  valid: boolean;
  errors: string[];
}

/**
 * Validates one document (a UUI operation element such as `SendMessageInput`, or a bare
 * `div:Envelope`) against the schema set with libxml2's xmllint, offline. Element content that
 * MTOM moved out (`xop:Include`) must be inlined or emptied by the caller first.
 */
export function validateDivXml(xml: string): Promise<SchemaResult> {
  return new Promise((resolve, reject) => {
    const p = spawn('xmllint', ['--nonet', '--noout', '--schema', UUI_XSD, '-'], {
      env: { ...process.env, XML_CATALOG_FILES: XMLLINT_CATALOG },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', (e) =>
      reject(new Error(`xmllint could not run (install libxml2-utils): ${e.message}`)),
    );
    p.on('close', (code) => {
      // libxml2 warns that it skips the repeated per-namespace imports of DIVEnvelope.xsd; the wrappers cover them.
      const errors = err
        .split('\n')
        .filter((l) => l.trim() && !/Schemas parser warning|validates$/.test(l));
      resolve({ valid: code === 0, errors });
    });
    p.stdin.end(xml);
  });
}
