import { Module } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { loadConfig, type AppConfig } from '../../../src/config/config';
import { ConfigModule } from '../../../src/config/config.module';
import { DeadlinesModule } from '../../../src/deadlines/deadlines.module';
import { DEADLINE_CHANGE_LISTENER, type DeadlineChangeListener, type DueDateChange } from '../../../src/deadlines/deadlines.service';
import { MANAGER_DIRECTORY, type ManagerDirectory } from '../../../src/delivery/alerts/alert.service';
import { DOCUMENT_SOURCE, type DeliveryFile, type DocumentSource } from '../../../src/delivery/channels/channel.port';
import { DeliveryModule } from '../../../src/delivery/delivery.module';
import { DatabaseModule } from '../../../src/platform/database/database.module';

/** Documents by id, standing in for the documents module behind the DocumentSource port. */
export class MemoryDocuments implements DocumentSource {
  readonly files = new Map<string, DeliveryFile>();
  add(file: DeliveryFile): void {
    this.files.set(file.documentId, file);
  }
  async load(_municipalityId: string, documentId: string): Promise<DeliveryFile> {
    const f = this.files.get(documentId);
    if (!f) throw new Error(`document ${documentId} not found`);
    return f;
  }
}

export class ListedManagers implements ManagerDirectory {
  readonly byMunicipality = new Map<string, { email: string; lang: string }[]>();
  async managers(_em: EntityManager, municipalityId: string): Promise<{ email: string; lang: string }[]> {
    return this.byMunicipality.get(municipalityId) ?? [];
  }
}

/** Records due-date changes the way the engine wiring would receive them. */
export class RecordedChanges implements DeadlineChangeListener {
  readonly changes: DueDateChange[] = [];
  async dueDatesChanged(changes: DueDateChange[]): Promise<void> {
    this.changes.push(...changes);
  }
}

export interface Harness {
  moduleRef: TestingModule;
  ds: DataSource;
  config: AppConfig;
  documents: MemoryDocuments;
  managers: ListedManagers;
  dueChanges: RecordedChanges;
  close(): Promise<void>;
}

/** Deadlines + delivery on the real test database, with fast retries and no background poller. */
export async function bootHarness(env: Record<string, string> = {}): Promise<Harness> {
  const config = loadConfig({
    ...process.env,
    DELIVERY_POLL_MS: '0',
    DELIVERY_MAX_ATTEMPTS: '3',
    DELIVERY_BACKOFF_BASE_MS: '1000',
    DELIVERY_BACKOFF_MAX_MS: '8000',
    DELIVERY_SEND_TIMEOUT_MS: '2000',
    ...env,
  });
  const documents = new MemoryDocuments();
  const managers = new ListedManagers();
  const dueChanges = new RecordedChanges();
  @Module({
    providers: [
      { provide: DOCUMENT_SOURCE, useValue: documents },
      { provide: MANAGER_DIRECTORY, useValue: managers },
      { provide: DEADLINE_CHANGE_LISTENER, useValue: dueChanges },
    ],
  })
  class TestPortsModule {}
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(config), DatabaseModule, DeliveryModule, DeadlinesModule, TestPortsModule],
  }).compile();
  await moduleRef.init();
  return { moduleRef, ds: moduleRef.get(DataSource), config, documents, managers, dueChanges, close: () => moduleRef.close() };
}

/** A municipality of its own for each test file (random code, so files never collide). */
export async function createMunicipality(ds: DataSource, country: 'LV' | 'GR' = 'LV'): Promise<string> {
  const code = `t-${randomBytes(5).toString('hex')}`;
  const rows = await ds.query<{ id: string }[]>(
    `INSERT INTO municipalities (code, name, country, e_address) VALUES ($1, $2, $3, $4) RETURNING id`,
    [code, `Testa novads ${code}`, country, `_DEFAULT@9${randomBytes(5).toString('hex')}`],
  );
  return rows[0].id;
}
