import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { PROCESS_ENGINE, type ProcessEngine } from '../../../src/engine/process-engine';
import { TemporalEngine } from '../../../src/engine/temporal/temporal-engine';
import { FakeTemporalFrontend } from '../../support/fake-temporal-frontend';

describe('the app with ENGINE=temporal', () => {
  let app: NestExpressApplication;
  let frontend: FakeTemporalFrontend;

  beforeAll(async () => {
    frontend = new FakeTemporalFrontend();
    const address = await frontend.start();
    const config = loadConfig({
      ...process.env,
      ENGINE: 'temporal',
      TEMPORAL_ADDRESS: address,
      TEMPORAL_TASK_QUEUE: 'it-queue',
      LOG_LEVEL: 'silent',
    });
    app = await createApp(config);
    await app.listen(0);
  });
  afterAll(async () => {
    await app.close();
    await frontend.stop();
  });

  it('uses the Temporal client adapter on the configured task queue', async () => {
    const engine = app.get<ProcessEngine>(PROCESS_ENGINE);
    expect(engine).toBeInstanceOf(TemporalEngine);
    frontend.on('StartWorkflowExecution', () => ({ runId: 'run-1', started: true }));
    await expect(engine.start('reference', 'LV-IT-1', {})).resolves.toEqual({ started: true });
    expect(frontend.callsOf('StartWorkflowExecution')[0]).toMatchObject({
      taskQueue: { name: 'it-queue' },
      workflowType: { name: 'reference@v1' },
    });
  });

  it('reports the Temporal engine on /health, up while the frontend answers and down when it is gone', async () => {
    const up = await request(app.getHttpServer()).get('/health').expect(200);
    expect(up.body.info.engine).toEqual({ status: 'up', engine: 'temporal' });
    await frontend.stop();
    const down = await request(app.getHttpServer()).get('/health').expect(503);
    // Why it is down (addresses, driver errors) is logged, not shown on the public /health (issue 12 L3).
    expect(down.body.error.engine).toEqual({ status: 'down', engine: 'temporal' });
  }, 15_000);
});
