import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { DeadlinesService } from '../../../src/deadlines/deadlines.service';
import { OutboxService } from '../../../src/delivery/outbox.service';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createSealedMunicipality } from './support';

// The app boots in full (engine, Chromium pool, registers): seconds on a loaded 2-core machine.
jest.setTimeout(60_000);

describe('the application with deadlines and delivery', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApp(
      loadConfig({ ...process.env, LOG_LEVEL: 'silent', DELIVERY_POLL_MS: '50' }),
    );
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('boots with the seeded rules and sends an extension notice through the background poller', async () => {
    const ds = app.get(DataSource);
    const municipalityId = await createSealedMunicipality(ds);
    const deadlines = app.get(DeadlinesService);
    const d = await deadlines.start({
      municipalityId,
      caseId: 'wiring-1',
      key: 'decision',
      ruleKey: 'residence-declaration.decision',
      startedAt: new Date('2026-02-10T08:00:00Z'),
    });
    const ext = await deadlines.extend(municipalityId, d.id, {
      newDueOn: '2026-05-11',
      reason: 'Information from another institution',
      by: 'staff',
      notice: { channel: 'sms', recipient: '+37120000001', lang: 'en' },
    });
    const id = ext.extensions[0].noticeMessageId!;
    const outbox = app.get(OutboxService);
    // The poller shares the run's database with every suite before this one, so it may have other
    // municipalities' messages to work through first: wait on the status, well inside the timeout.
    const deadline = Date.now() + 45_000;
    let status = (await outbox.get(municipalityId, id)).status;
    while (status !== 'sent' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await outbox.get(municipalityId, id)).status;
    }
    expect(status).toBe('sent');
    const msg = await app
      .get(TenantDb)
      .run(municipalityId, (em) =>
        em.query(`SELECT subject FROM outbox_messages WHERE id = $1`, [id]),
      );
    expect(msg[0].subject).toBe('The decision deadline has been extended to 2026-05-11');
    const view = await deadlines.get(municipalityId, d.id);
    expect(view.extensions[0].noticeSentAt).toEqual(expect.any(String));
  });
});
