import { TimelineEvent } from '../../../src/cases/timeline-event.entity';
import { localDate } from '../../../src/deadlines/calendar/time-zone';
import { ResidenceAnnulment } from '../../../src/modules/residence/residence-declaration.entity';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { DomainError } from '../../../src/platform/errors/domain-error';
import {
  ANNULMENT_GROUNDS_KEY,
  RESIDENCE_PERIODS,
} from '../../../workflows/residence-declaration/periods';
import { eventually } from '../../support/engine-harness';
import { startResidenceApp, type ResidenceHarness } from './harness';

jest.setTimeout(90_000);

const DAY = 86_400_000;
let h: ResidenceHarness;
beforeAll(async () => {
  h = await startResidenceApp();
});
afterAll(() => h?.close());

const timeline = (caseId: string, kind: string) =>
  h.tenantDb.run(h.municipalityId, (em) =>
    em.find(TimelineEvent, { where: { caseId, kind }, order: { at: 'ASC' } }),
  );
/** The end of the response period (v4: counted from the day the invitation is deemed notified). */
const invitedBy = async (caseId: string) => {
  const [e] = await eventually(
    async () =>
      (await timeline(caseId, 'residence.response-period')).length
        ? timeline(caseId, 'residence.response-period')
        : null,
    20_000,
    'response period',
  );
  return String(e.data.respondBy);
};
const periodOf = async (caseId: string) =>
  (await timeline(caseId, 'residence.response-period'))[0].data as {
    notifiedOn: string;
    lastDay: string;
    period: { value: number; unit: string };
  };
const applied = async (caseId: string, key: string) =>
  (await timeline(caseId, 'parameter.applied')).find((e) => e.data.key === key)?.data;

async function declaredTenant(): Promise<string> {
  const tenant = await h.sim.person('1989-09-09');
  await h.sim.residence(tenant, (await h.sim.apartment()).code, '2025-03-01');
  return tenant;
}

const annul = (personCode: string, groundCode = 'no-legal-basis') =>
  h.residence.startAnnulment({
    municipalityId: h.municipalityId,
    personCode,
    initiatedBy: 'ex-officio',
    groundCode,
    grounds: 'Mail returned',
    enteredBy: h.caseworker.accountId,
  });

describe('residence periods and grounds as effective-dated parameters', () => {
  it('the 14-day response period passes when the clock is advanced, not before', async () => {
    const tenant = await declaredTenant();
    const { caseId } = await annul(tenant);
    const respondBy = Date.parse(await invitedBy(caseId));
    const { notifiedOn, lastDay, period } = await periodOf(caseId);
    expect(period).toEqual({ value: 14, unit: 'days' });
    // 14 calendar days from the day the invitation is deemed notified (moved off a holiday).
    const days = Math.round((Date.parse(lastDay) - Date.parse(notifiedOn)) / DAY);
    expect(days).toBeGreaterThanOrEqual(14);
    expect(days).toBeLessThanOrEqual(18);
    expect(await applied(caseId, RESIDENCE_PERIODS.annulmentResponseDays)).toMatchObject({
      value: 14,
      unit: 'days',
      scope: 'country',
    });

    await eventually(
      async () =>
        (await h.cases.get(h.municipalityId, caseId)).stage === 'awaiting-response' ? true : null,
      20_000,
      'awaiting the answer',
    );
    await h.clock.advance(respondBy - h.clock.now().getTime() - DAY);
    // A day before the end of the period the wait has not reached its deadline: the person may still answer.
    expect((await h.engine.describe(caseId))?.status).toBe('running');
    expect(await timeline(caseId, 'residence.no-response')).toEqual([]);

    await h.clock.advance(DAY + 3_600_000);
    const task = await h.openTask(caseId);
    expect(task.step).toBe('annulment-review');
    expect(await timeline(caseId, 'residence.no-response')).toHaveLength(1);
    await h.cases.cancel('system', h.municipalityId, caseId, 'test over');
  });

  it('a new response period from an effective date applies to cases opened from that date, not to earlier ones', async () => {
    const parameters = h.running.app.get(ParametersService);
    const today = localDate(h.clock.now(), 'Europe/Riga');
    const from = localDate(new Date(h.clock.now().getTime() + 2 * DAY), 'Europe/Riga');
    await parameters.define({
      country: 'LV',
      municipalityId: h.municipalityId,
      key: RESIDENCE_PERIODS.annulmentResponseDays,
      value: '21',
      unit: 'days',
      validFrom: from,
      note: 'council decision (test)',
    });

    const before = await annul(await declaredTenant());
    const beforeBy = await invitedBy(before.caseId);
    expect(await applied(before.caseId, RESIDENCE_PERIODS.annulmentResponseDays)).toMatchObject({
      value: 14,
      scope: 'country',
      on: today,
    });

    await h.clock.advance(3 * DAY);
    const after = await annul(await declaredTenant());
    const afterBy = await invitedBy(after.caseId);
    expect(await applied(after.caseId, RESIDENCE_PERIODS.annulmentResponseDays)).toMatchObject({
      value: 21,
      scope: 'municipality',
      validFrom: from,
    });
    // Each counts its own period from its own deemed-notified day.
    expect((await periodOf(before.caseId)).period.value).toBe(14);
    expect((await periodOf(after.caseId)).period.value).toBe(21);
    expect(Date.parse(afterBy)).toBeGreaterThanOrEqual(Date.parse(beforeBy) + 7 * DAY);
    // The earlier case keeps the period it started with.
    expect(await invitedBy(before.caseId)).toBe(beforeBy);
    expect(await applied(before.caseId, RESIDENCE_PERIODS.annulmentResponseDays)).toMatchObject({
      value: 14,
    });
    for (const c of [before.caseId, after.caseId])
      await h.cases.cancel('system', h.municipalityId, c, 'test over');
  });

  it('refuses an unknown ground and a ground no longer in force with a field error, and changes nothing', async () => {
    const tenant = await declaredTenant();
    const count = () => h.tenantDb.run(h.municipalityId, (em) => em.count(ResidenceAnnulment));
    const before = await count();
    const unknown = await annul(tenant, 'moon-phase').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DomainError);
    expect((unknown as DomainError).fields).toEqual([
      { field: 'groundCode', message: 'residence:errors.groundUnknown' },
    ]);
    const missing = await annul(tenant, '').catch((e: unknown) => e);
    expect((missing as DomainError).fields).toEqual([
      { field: 'groundCode', message: 'residence:errors.groundRequired' },
    ]);

    // From today this municipality's list no longer has `false-data`.
    const parameters = h.running.app.get(ParametersService);
    const { items } = await parameters.effectiveList(
      h.municipalityId,
      ANNULMENT_GROUNDS_KEY,
      localDate(h.clock.now(), 'Europe/Riga'),
    );
    expect(items.map((i) => i.code)).toEqual(['false-data', 'no-legal-basis']);
    await parameters.defineList({
      country: 'LV',
      municipalityId: h.municipalityId,
      key: ANNULMENT_GROUNDS_KEY,
      items: items.filter((i) => i.code !== 'false-data'),
      validFrom: localDate(h.clock.now(), 'Europe/Riga'),
    });
    const expired = await annul(tenant, 'false-data').catch((e: unknown) => e);
    expect((expired as DomainError).fields).toEqual([
      { field: 'groundCode', message: 'residence:errors.groundUnknown' },
    ]);
    expect(await count()).toBe(before);

    const ok = await annul(tenant, 'no-legal-basis');
    expect(
      await h.tenantDb.run(h.municipalityId, (em) =>
        em.findOneByOrFail(ResidenceAnnulment, { caseId: ok.caseId }),
      ),
    ).toMatchObject({ groundCode: 'no-legal-basis' });
    await h.cases.cancel('system', h.municipalityId, ok.caseId, 'test over');
  });
});
