import type { NestExpressApplication } from '@nestjs/platform-express';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { loadConfig, type AppConfig } from '../../../src/config/config';
import { DocumentService } from '../../../src/documents/document.service';
import { TEMPLATES } from '../../../src/documents/templates/template-registry';
import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { createSealFixture, PASSPHRASE } from '../documents/support';
import { createMunicipality } from '../../factories/municipalities';

export interface Harness {
  /** The application exactly as src/main.ts assembles it (not listening: these tests call services). */
  app: NestExpressApplication;
  ds: DataSource;
  config: AppConfig;
  /** Issues a real sealed notice in the municipality (the documents the outbox attaches). */
  issueDocument(
    municipalityId: string,
    caseId?: string,
  ): Promise<{ id: string; registrationNumber: string; fileName: string; pdf: Buffer }>;
  /** A manager account of the municipality with an e-mail address (alerts go to managers). */
  addManager(municipalityId: string, email: string): Promise<string>;
  close(): Promise<void>;
}

let sealDir: string | undefined;

/** Deadlines + delivery in the shipped app on the real test database, with fast retries and no background poller. */
export async function bootHarness(env: Record<string, string> = {}): Promise<Harness> {
  const seal = await createSealFixture(
    `t${randomBytes(4).toString('hex')}`,
    'Testa novada pašvaldība',
  );
  sealDir = seal.dir;
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    SEAL_DIR: seal.dir,
    SEAL_PASSPHRASE: PASSPHRASE,
    DELIVERY_POLL_MS: '0',
    DELIVERY_MAX_ATTEMPTS: '3',
    DELIVERY_BACKOFF_BASE_MS: '1000',
    DELIVERY_BACKOFF_MAX_MS: '8000',
    DELIVERY_SEND_TIMEOUT_MS: '2000',
    ENGINE_EXECUTOR_ID: `delivery-${randomBytes(4).toString('hex')}`,
    ...env,
  });
  const app = await createApp(config);
  await app.init();
  const ds = app.get(DataSource);
  let step = 0;
  return {
    app,
    ds,
    config,
    async issueDocument(municipalityId, caseId = randomUUID()) {
      const documents = app.get(DocumentService);
      const doc = await documents.issue({
        municipalityId,
        caseId,
        stepKey: `notice-${++step}`,
        templateKey: 'generic/notice',
        language: 'lv',
        data: TEMPLATES['generic/notice'].sample,
      });
      return {
        id: doc.id,
        registrationNumber: doc.registrationNumber,
        fileName: doc.fileName,
        pdf: await documents.pdf(municipalityId, doc.id),
      };
    },
    async addManager(municipalityId, email) {
      const accounts = app.get(AccountsService);
      const account = await accounts.createStaff({
        username: `mgr-${randomBytes(4).toString('hex')}`,
        displayName: 'Vadītāja',
        email,
      });
      await accounts.grant(account.id, municipalityId, 'manager');
      return account.id;
    },
    close: () => app.close(),
  };
}

/** A municipality of its own for each test file (random code, so files never collide), with its e-seal. */
export async function createSealedMunicipality(
  ds: DataSource,
  country: 'LV' | 'GR' = 'LV',
  /** Default: a Latvian municipality has an e-address of its own, a Greek one none. */
  eAddress: string = country === 'LV' ? `_DEFAULT@9${randomBytes(5).toString('hex')}` : '',
): Promise<string> {
  const m = await createMunicipality(ds, {
    country,
    eAddress,
    seal: sealDir ? { dir: sealDir, passphrase: PASSPHRASE } : undefined,
  });
  return m.id;
}

/** A real SMTP server on a free port that keeps every message it receives (parsed). */
export async function startSmtpCapture(): Promise<{
  url: string;
  mails: ParsedMail[];
  close(): Promise<void>;
}> {
  const mails: ParsedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          cb();
        })
        .catch(cb);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => smtp.close(() => resolve())),
  };
}

/** Before each test: the e-address simulator answers again; the sender runs on the real clock with fixed jitter. */
export function resetDelivery(
  eAddress: { faults: { reset(): void } },
  sender: { now: () => Date; random: () => number },
): void {
  eAddress.faults.reset();
  sender.now = () => new Date();
  sender.random = () => 0.5;
}
