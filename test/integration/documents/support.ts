import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureDevSeal } from '../../../src/documents/signing/dev-seal';

const run = promisify(execFile);
export const PASSPHRASE = 'test-seal-passphrase';

/** A temp dir with a test CA and a seal for `code`, plus an NSS database that trusts the CA. */
export async function createSealFixture(
  code: string,
  name = 'Testa novads',
): Promise<{
  dir: string;
  nssDir: string;
  caCertPath: string;
  cleanup(): void;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-seal-'));
  const { caCertPath } = ensureDevSeal({
    dir,
    municipalityCode: code,
    municipalityName: name,
    passphrase: PASSPHRASE,
  });
  const nssDir = join(dir, 'nss');
  await run('mkdir', ['-p', nssDir]);
  await run('certutil', ['-N', '-d', `sql:${nssDir}`, '--empty-password']);
  await run('certutil', [
    '-A',
    '-d',
    `sql:${nssDir}`,
    '-n',
    'civitas-test-ca',
    '-t',
    'CT,C,C',
    '-i',
    caCertPath,
  ]);
  return { dir, nssDir, caCertPath, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** pdfsig's report for a PDF (exit code ignored: it is non-zero for invalid signatures). */
export async function pdfsig(nssDir: string, pdf: Buffer): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-pdfsig-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  try {
    const r = await run('pdfsig', ['-nssdir', `sql:${nssDir}`, file]);
    return r.stdout + r.stderr;
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return `${err.stdout ?? ''}${err.stderr ?? ''}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withPdfFile<T>(pdf: Buffer, fn: (file: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'civitas-pdf-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  try {
    return await fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const pdftotext = (pdf: Buffer): Promise<string> =>
  withPdfFile(pdf, async (f) => (await run('pdftotext', ['-layout', f, '-'])).stdout);

export const pdffonts = (pdf: Buffer): Promise<string> =>
  withPdfFile(pdf, async (f) => (await run('pdffonts', [f])).stdout);
