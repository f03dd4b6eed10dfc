import { randomUUID } from 'node:crypto';
import type { AnyProcess } from '../../workflows';
import { Case } from '../../src/cases/case.entity';
import { ExternalEventService } from '../../src/cases/external-events';
import { TimelineEvent } from '../../src/cases/timeline-event.entity';
import { ErrorCode } from '../../src/platform/errors/domain-error';
import {
  caseRow,
  createMunicipality,
  domainRejection,
  runFinished,
  startHarness,
  type Harness,
} from '../support/engine-harness';
import { paymentConfirmed, paymentWaiter } from '../support/kit-probes';

jest.setTimeout(30_000);

let h: Harness;
let events: ExternalEventService;
let mun: string;
beforeAll(async () => {
  h = await startHarness({ extraProcesses: [paymentWaiter as unknown as AnyProcess] });
  events = new ExternalEventService(h.tenantDb, h.engine, h.audit);
  mun = await createMunicipality(h.ds);
});
afterAll(() => h.close());

const HOUR = 3_600_000;

async function waitingCase(deadline: Date): Promise<Case> {
  const c = await caseRow(h, mun, 'kit-payment-waiter');
  await h.engine.start('kit-payment-waiter', c.id, {
    municipalityId: mun,
    deadline: deadline.toISOString(),
  });
  return c;
}

const finished = (id: string) => runFinished(h.engine, id);

const timelineOf = (caseId: string) =>
  h.tenantDb.run(mun, (em) => em.find(TimelineEvent, { where: { caseId }, order: { at: 'ASC' } }));

const pay = (caseId: string, eventId: string, amountCents: number, municipalityId = mun) =>
  events.deliver({
    municipalityId,
    caseId,
    event: paymentConfirmed.name,
    eventId,
    payload: { amountCents },
    source: 'payments',
  });

describe('waitForEvent on DBOS', () => {
  it('returns the payload of the event delivered before the deadline, once per event id, and records it on the timeline', async () => {
    const c = await waitingCase(new Date(Date.now() + HOUR));
    expect(await pay(c.id, 'tx-1', 1500)).toEqual({ first: true });
    // The provider repeats its notification: recorded and delivered once.
    expect(await pay(c.id, 'tx-1', 9999)).toEqual({ first: false });
    const run = await finished(c.id);
    expect(run.result).toEqual({
      outcome: 'received',
      eventId: 'tx-1',
      payload: { amountCents: 1500 },
      receivedAt: expect.any(String),
    });
    const received = (await timelineOf(c.id)).filter((e) => e.kind === 'event.received');
    expect(received.map((e) => [e.actor, e.data])).toEqual([
      ['payments', { event: 'payment.confirmed', eventId: 'tx-1' }],
    ]);
    expect((run.result as { receivedAt: string }).receivedAt).toBe(received[0].at.toISOString());
  });

  it('returns a timeout result when the deadline passes first, and records it', async () => {
    const deadline = new Date(Date.now() + 300);
    const c = await waitingCase(deadline);
    const run = await finished(c.id);
    expect(run.result).toEqual({ outcome: 'timeout', deadline: deadline.toISOString() });
    expect(
      (await timelineOf(c.id)).filter((e) => e.kind === 'event.timed-out').map((e) => e.data),
    ).toEqual([{ event: 'payment.confirmed', deadline: deadline.toISOString() }]);
  });

  it('refuses a bad event, a task completion, a case of another municipality and a first delivery to a closed case, changing nothing', async () => {
    const c = await waitingCase(new Date(Date.now() + HOUR));
    const refused = domainRejection;
    const bad = await refused(
      events.deliver({
        municipalityId: mun,
        caseId: c.id,
        event: 'Task Completed',
        eventId: '',
        payload: {},
        source: 'payments',
      }),
    );
    expect(bad.fields).toEqual([
      { field: 'event', message: 'cases:errors.eventName' },
      { field: 'eventId', message: 'cases:errors.eventId' },
    ]);
    expect(
      (
        await refused(
          events.deliver({
            municipalityId: mun,
            caseId: c.id,
            event: `task.completed:${randomUUID()}`,
            eventId: 'x',
            payload: {},
            source: 'payments',
          }),
        )
      ).code,
    ).toBe(ErrorCode.ValidationFailed);
    const other = await createMunicipality(h.ds);
    expect((await refused(pay(c.id, 'tx-9', 1, other))).code).toBe(ErrorCode.NotFound);
    expect((await timelineOf(c.id)).filter((e) => e.kind === 'event.received')).toEqual([]);
    // A case whose run has not started yet (it starts after the opening commits): the sender retries.
    await h.tenantDb.run(mun, (em) => em.update(Case, { id: c.id }, { runStartedAt: null }));
    const early = await refused(pay(c.id, 'tx-2', 1));
    expect([early.code, early.retryable]).toEqual([ErrorCode.ExternalUnavailable, true]);
    await h.tenantDb.run(mun, (em) => em.update(Case, { id: c.id }, { runStartedAt: new Date() }));
    await h.tenantDb.run(mun, (em) => em.update(Case, { id: c.id }, { status: 'closed' }));
    expect((await refused(pay(c.id, 'tx-2', 1))).code).toBe(ErrorCode.Conflict);
    expect((await timelineOf(c.id)).filter((e) => e.kind === 'event.received')).toEqual([]);
    expect((await h.engine.describe(c.id))?.status).toBe('running');
    await h.engine.cancel(c.id, 'test over');
  });
});
