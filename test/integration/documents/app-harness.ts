import { randomBytes } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { loadConfig, type AppConfig } from '../../../src/config/config';
import { dataSourceOptions } from '../../../src/platform/database/data-source-options';
import { createSealFixture, PASSPHRASE } from './support';
import { createMunicipality } from '../../factories/municipalities';

export interface Harness {
  app: NestExpressApplication;
  config: AppConfig;
  owner: DataSource;
  municipality: { id: string; code: string; name: string };
  seal: Awaited<ReturnType<typeof createSealFixture>>;
  addMunicipality(opts?: {
    withSeal?: boolean;
    /** LV (default) or GR: decides the language documents are issued in. */
    country?: string;
  }): Promise<{ id: string; code: string; name: string }>;
  close(): Promise<void>;
}

/**
 * The real app on a random port with a temp seal directory; staff sign in through
 * test/support/session.ts.
 */
export async function startApp(overrides: Partial<Record<string, string>> = {}): Promise<Harness> {
  const code = `t${randomBytes(4).toString('hex')}`;
  const seal = await createSealFixture(code, 'Testa novada pašvaldība');
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'silent',
    SEAL_DIR: seal.dir,
    SEAL_PASSPHRASE: PASSPHRASE,
    PUBLIC_URL: 'https://civitas.test',
    ...overrides,
  });
  const owner = new DataSource(dataSourceOptions(config.DATABASE_OWNER_URL));
  await owner.initialize();
  const addMunicipality = async ({ withSeal = false, country = 'LV' as 'LV' | 'GR' } = {}) => {
    const c = `t${randomBytes(4).toString('hex')}`;
    const name = `Testa novada pašvaldība ${c}`;
    const seal_ = withSeal ? { dir: seal.dir, passphrase: PASSPHRASE } : undefined;
    const m = await createMunicipality(owner, {
      code: c,
      name,
      country,
      registrationNumber: '90000012345',
      address: 'Pils iela 1, Tukums',
      seal: seal_,
    });
    return { id: m.id, code: c, name };
  };
  const row = await createMunicipality(owner, {
    code,
    name: 'Testa novada pašvaldība',
    registrationNumber: '90000012345',
    address: 'Pils iela 1, Tukums',
  });

  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  return {
    app,
    config,
    owner,
    municipality: { id: row.id, code, name: 'Testa novada pašvaldība' },
    seal,
    addMunicipality,
    async close() {
      await app.close();
      await owner.destroy();
      seal.cleanup();
    },
  };
}
