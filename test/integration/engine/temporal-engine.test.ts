import { status } from '@grpc/grpc-js';
import { PROCESSES } from '../../../workflows';
import { TemporalEngine } from '../../../src/engine/temporal/temporal-engine';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import {
  decodePayload,
  encodePayload,
  FakeTemporalFrontend,
  GrpcError,
} from '../../support/fake-temporal-frontend';

const CASE = 'LV-2026-000123';
const ts = (iso: string) => ({ seconds: String(Math.floor(Date.parse(iso) / 1000)), nanos: 0 });

const describeResponse = (state: string, type = 'reference@v1') => ({
  workflowExecutionInfo: {
    execution: { workflowId: CASE, runId: 'run-1' },
    type: { name: type },
    startTime: ts('2026-01-05T08:00:00Z'),
    closeTime: state === 'RUNNING' ? undefined : ts('2026-01-06T09:00:00Z'),
    status: `WORKFLOW_EXECUTION_STATUS_${state}`,
    taskQueue: 'civitas',
  },
  executionConfig: { taskQueue: { name: 'civitas' } },
});

const closeEvent = (attrs: object) => ({ history: { events: [{ eventId: '20', ...attrs }] } });

describe('TemporalEngine over the Temporal gRPC protocol', () => {
  let frontend: FakeTemporalFrontend;
  let engine: TemporalEngine;

  beforeEach(async () => {
    frontend = new FakeTemporalFrontend();
    const address = await frontend.start();
    engine = new TemporalEngine({
      address,
      namespace: 'civitas-test',
      taskQueue: 'civitas-q',
      processes: PROCESSES,
      probeTimeoutMs: 1000,
      callTimeoutMs: 2000,
    });
  });
  afterEach(async () => {
    await engine.onModuleDestroy();
    await frontend.stop();
  });

  it('starts the current version with the case id as workflow id and refuses to reuse it', async () => {
    frontend.on('StartWorkflowExecution', () => ({ runId: 'run-1', started: true }));
    await expect(engine.start('reference', CASE, { subjectRef: 'p-1' })).resolves.toEqual({
      started: true,
    });
    const [req] = frontend.callsOf('StartWorkflowExecution');
    expect(req).toMatchObject({
      namespace: 'civitas-test',
      workflowId: CASE,
      workflowType: { name: 'reference@v1' },
      taskQueue: { name: 'civitas-q' },
      workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE',
      workflowIdConflictPolicy: 'WORKFLOW_ID_CONFLICT_POLICY_FAIL',
    });
    const input = (req.input as { payloads: never[] }).payloads.map(decodePayload);
    expect(input).toEqual([{ subjectRef: 'p-1' }]);
  });

  it('reports started: false when the case already has a run', async () => {
    frontend.on('StartWorkflowExecution', () => {
      throw new GrpcError(status.ALREADY_EXISTS, 'Workflow execution is already running');
    });
    await expect(engine.start('reference', CASE, {})).resolves.toEqual({ started: false });
  });

  it('refuses an unknown process or version without calling Temporal', async () => {
    await expect(engine.start('no-such-process', CASE, {})).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    await expect(engine.start('reference', CASE, {}, { version: 99 })).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
    expect(frontend.callsOf('StartWorkflowExecution')).toHaveLength(0);
  });

  it('delivers an event as the civitas.event signal with topic, payload and idempotency key', async () => {
    frontend.on('SignalWorkflowExecution', () => ({}));
    await engine.signal(
      CASE,
      'task.completed:t-1',
      { decision: { outcome: 'approve' } },
      { idempotencyKey: 'task:t-1' },
    );
    const [req] = frontend.callsOf('SignalWorkflowExecution');
    expect(req).toMatchObject({
      workflowExecution: { workflowId: CASE },
      signalName: 'civitas.event',
    });
    expect((req.input as { payloads: never[] }).payloads.map(decodePayload)).toEqual([
      {
        topic: 'task.completed:t-1',
        payload: { decision: { outcome: 'approve' } },
        idempotencyKey: 'task:t-1',
      },
    ]);
  });

  it('signalling a case without a run is a NotFound domain error', async () => {
    frontend.on('SignalWorkflowExecution', () => {
      throw new GrpcError(status.NOT_FOUND, 'workflow not found');
    });
    const err = await engine.signal(CASE, 'x', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: ErrorCode.NotFound, retryable: false });
  });

  it('describes a completed run with its process, version and result', async () => {
    frontend
      .on('DescribeWorkflowExecution', () => describeResponse('COMPLETED'))
      .on('GetWorkflowExecutionHistory', () =>
        closeEvent({
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
          workflowExecutionCompletedEventAttributes: {
            result: { payloads: [encodePayload({ outcome: 'approved' })] },
          },
        }),
      );
    await expect(engine.describe(CASE)).resolves.toEqual({
      caseId: CASE,
      processKey: 'reference',
      processVersion: 1,
      status: 'completed',
      startedAt: new Date('2026-01-05T08:00:00Z'),
      closedAt: new Date('2026-01-06T09:00:00Z'),
      result: { outcome: 'approved' },
    });
  });

  it('describes a failed run with the failure message and a running one without outcome', async () => {
    frontend
      .on('DescribeWorkflowExecution', () => describeResponse('FAILED'))
      .on('GetWorkflowExecutionHistory', () =>
        closeEvent({
          eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
          workflowExecutionFailedEventAttributes: {
            failure: {
              message: 'registry refused the request',
              applicationFailureInfo: { type: 'validation_failed', nonRetryable: true },
            },
          },
        }),
      );
    await expect(engine.describe(CASE)).resolves.toMatchObject({
      status: 'failed',
      error: 'registry refused the request',
    });

    frontend.on('DescribeWorkflowExecution', () => describeResponse('RUNNING'));
    const running = await engine.describe(CASE);
    expect(running).toMatchObject({ status: 'running', processKey: 'reference' });
    expect(running?.closedAt).toBeUndefined();
    expect(running?.result).toBeUndefined();
  });

  it('describes a case without a run as null', async () => {
    frontend.on('DescribeWorkflowExecution', () => {
      throw new GrpcError(status.NOT_FOUND, 'workflow not found');
    });
    await expect(engine.describe(CASE)).resolves.toBeNull();
  });

  it('cancels the run of a case', async () => {
    frontend.on('RequestCancelWorkflowExecution', () => ({}));
    await engine.cancel(CASE, 'withdrawn by the applicant');
    expect(frontend.callsOf('RequestCancelWorkflowExecution')).toEqual([
      expect.objectContaining({
        namespace: 'civitas-test',
        workflowExecution: { workflowId: CASE },
      }),
    ]);
  });

  it('the health probe passes while the frontend answers and fails once it is gone', async () => {
    await expect(engine.ping()).resolves.toBeUndefined();
    await frontend.stop();
    const t0 = Date.now();
    await expect(engine.ping()).rejects.toThrow();
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('starting while Temporal is unreachable is a retryable ExternalUnavailable error', async () => {
    await frontend.stop();
    const t0 = Date.now();
    const err = await engine.start('reference', CASE, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: ErrorCode.ExternalUnavailable, retryable: true });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
