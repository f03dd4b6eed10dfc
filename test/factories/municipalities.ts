import { randomBytes } from 'node:crypto';
import { Municipality } from '../../src/platform/tenancy/municipality.entity';
import { dataSourceOf, type Db } from './db';

export interface MunicipalityOptions {
  country?: 'LV' | 'GR';
  /** Random by default, so test files sharing a database never collide. */
  code?: string;
  /** `Test <code>` by default. */
  name?: string;
  registrationNumber?: string;
  address?: string;
  /**
   * The municipality's official e-address (sender identity for e-adrese). Default: a Latvian
   * municipality has one (`_DEFAULT@<11 digits>`, random), a Greek one none (the e-address is a
   * Latvian state service); pass '' for a Latvian municipality without one.
   */
  eAddress?: string;
  /** A development e-seal for it in this folder (as `seal:dev` makes one), so it can issue documents. */
  seal?: { dir: string; passphrase: string };
}

/**
 * A municipality as the seed creates one (the Municipality entity, its defaults), with a random
 * code unless the test names one.
 */
export async function createMunicipality(
  db: Db,
  opts: MunicipalityOptions = {},
): Promise<Municipality> {
  const code = opts.code ?? `t${randomBytes(5).toString('hex')}`;
  const name = opts.name ?? `Test ${code}`;
  const m = await dataSourceOf(db)
    .getRepository(Municipality)
    .save({
      code,
      name,
      country: opts.country ?? 'LV',
      registrationNumber: opts.registrationNumber ?? '',
      address: opts.address ?? '',
      eAddress:
        opts.eAddress ??
        ((opts.country ?? 'LV') === 'LV'
          ? `_DEFAULT@9${String(randomBytes(5).readUIntBE(0, 5) % 1e10).padStart(10, '0')}`
          : ''),
    });
  if (opts.seal) {
    const { ensureDevSeal } = await import('../../src/documents/signing/dev-seal');
    ensureDevSeal({
      dir: opts.seal.dir,
      municipalityCode: code,
      municipalityName: name,
      passphrase: opts.seal.passphrase,
    });
  }
  return m;
}
