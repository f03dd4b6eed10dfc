import { DeliverySender } from '../../../src/delivery/delivery-sender';
import { OutboxMessage } from '../../../src/delivery/outbox-message.entity';
import { PROPERTY_TAX_STATUS_PORT } from '../../../src/integrations/property-tax/property-tax-status.port';
import { PropertyTaxStatusSimulator } from '../../../src/integrations/property-tax/property-tax-status.simulator';
import { AwardStatusPublisher } from '../../../src/modules/social-assistance/awards/award-status.publisher';
import { SocialAssistanceAward } from '../../../src/modules/social-assistance/awards/award.entity';
import type { CalculationInput } from '../../../src/modules/social-assistance/calculation/types';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createAward } from '../../factories/awards';
import { createMunicipality } from '../../factories/municipalities';
import { startApp, type RunningApp } from '../../support/app';
import { eventually } from '../../support/engine-harness';

jest.setTimeout(120_000);

/**
 * Status transfer to the property-tax department (issue 15 item 8) on the real application: the
 * outbox message written with the grant or stop, delivered to the in-repo stand-in exactly once
 * even when the first send loses its acknowledgement and is retried.
 */
let h: RunningApp;
let A: string;

const input: CalculationInput = {
  asOf: '2026-01-10',
  members: [{ id: 'a', birthDate: '1970-01-01', roles: [] }],
  incomes: [],
  assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
  housingCosts: [{ kind: 'rent', amountCents: 100_00 }],
};

const sim = () => h.app.get<PropertyTaxStatusSimulator>(PROPERTY_TAX_STATUS_PORT);
const rows = (caseId: string) =>
  h.app.get(TenantDb).run(A, (em) =>
    em.find(OutboxMessage, {
      where: { caseId, channel: 'property_tax_status' },
      order: { createdAt: 'ASC' },
    }),
  );
const publish = (award: SocialAssistanceAward) =>
  h.app.get(TenantDb).run(A, (em) => h.app.get(AwardStatusPublisher).publishAwardStatus(em, award));

beforeAll(async () => {
  h = await startApp({
    DELIVERY_POLL_MS: '0',
    DELIVERY_BACKOFF_BASE_MS: '20',
    DELIVERY_BACKOFF_MAX_MS: '50',
  });
  A = (await createMunicipality(h.app, { registrationNumber: '90000099999' })).id;
});
afterAll(() => h?.close());

describe('status transfer to the property-tax department', () => {
  it('sends a grant once despite a lost acknowledgement and a repeated publish', async () => {
    expect(sim()).toBeInstanceOf(PropertyTaxStatusSimulator);
    const { award, caseId } = await createAward(h.app, A, {
      validFrom: '2026-01-01',
      validUntil: '2026-03-31',
      input,
    });
    sim().faults.failNext(1, 'lost_ack');
    await publish(award);
    // Called again (a retried activity): no second message.
    await publish(award);
    await eventually(
      async () => {
        await h.app.get(DeliverySender).dispatchDue();
        const r = await rows(caseId);
        return r.length === 1 && r[0].status === 'sent' ? r : null;
      },
      20_000,
      'status message sent',
    );
    const [m] = await rows(caseId);
    expect(m).toMatchObject({
      purpose: 'status',
      attempts: 2,
      idempotencyKey: `property-tax:${award.id}:granted:2026-01-01:2026-03-31`,
    });
    const got = sim().of(award.id);
    expect(got).toEqual([
      expect.objectContaining({
        awardId: award.id,
        change: 'granted',
        status: award.status,
        personalCodes: [award.holderCode],
        validFrom: '2026-01-01',
        validUntil: '2026-03-31',
        municipality: expect.objectContaining({ registrationNumber: '90000099999' }),
      }),
    ]);
  });

  it('sends a stop with the period ending the day before it', async () => {
    const { award, caseId } = await createAward(h.app, A, {
      validFrom: '2026-01-01',
      validUntil: '2026-06-30',
      input,
    });
    await publish(award);
    const stopped = await h.app.get(TenantDb).run(A, async (em) => {
      await em.update(SocialAssistanceAward, award.id, {
        state: 'stopped',
        stoppedOn: '2026-03-15',
        stopReason: 'holder-died',
      });
      const a = await em.findOneByOrFail(SocialAssistanceAward, { id: award.id });
      await h.app.get(AwardStatusPublisher).publishAwardStatus(em, a);
      return a;
    });
    expect(stopped.state).toBe('stopped');
    await eventually(
      async () => {
        await h.app.get(DeliverySender).dispatchDue();
        return (await rows(caseId)).every((r) => r.status === 'sent') ? true : null;
      },
      20_000,
      'both sent',
    );
    expect(
      sim()
        .of(award.id)
        .map((m) => [m.change, m.validFrom, m.validUntil]),
    ).toEqual([
      ['granted', '2026-01-01', '2026-06-30'],
      ['stopped', '2026-01-01', '2026-03-14'],
    ]);
  });
});
