import { CaseService } from '../../../src/cases/case.service';
import { calculate } from '../../../src/modules/social-assistance/calculation/calculate';
import type { CalculationInput } from '../../../src/modules/social-assistance/calculation/types';
import { awardView } from '../../../src/modules/social-assistance/awards/award.case-view';
import { SocialAssistanceAwardAmount } from '../../../src/modules/social-assistance/awards/award.entity';
import {
  AWARD_RECALCULATED,
  AwardRecalculationService,
} from '../../../src/modules/social-assistance/awards/award-recalculation.service';
import { SocialAssistanceRulesService } from '../../../src/modules/social-assistance/social-assistance-rules.service';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { TenantDb } from '../../../src/platform/tenancy/tenant-db';
import { createAward } from '../../factories/awards';
import { createMunicipality } from '../../factories/municipalities';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff, type Session } from '../../support/session';
import { ONE_CONNECTION } from '../../workflows/residence/harness';

jest.setTimeout(120_000);

/**
 * Awards in force recalculated when a social-assistance parameter gets a version dated inside
 * them (issue 15 item 6), on the real application and database: the new amount row from that
 * date, the old one cut to the day before, the case timeline, and nothing more on a second run.
 */
let h: RunningApp;
let A: string;
let manager: Session;

// Two adults and a child, wage 300 a month, rent 150 (needy in 2025; housing benefit with K "with children").
const family = (asOf: string): CalculationInput => ({
  asOf,
  members: [
    { id: 'a', birthDate: '1985-03-10', roles: [] },
    { id: 'b', birthDate: '1987-07-01', roles: [] },
    { id: 'c', birthDate: '2016-06-01', roles: ['child'] },
  ],
  incomes: [{ memberId: 'a', type: 'wage', period: 'regular', amountCents: 900_00 }],
  assets: { savingsCents: 0, cars: 0, otherRealEstate: 0 },
  housingCosts: [{ kind: 'rent', amountCents: 150_00 }],
});

const recalc = () => h.app.get(AwardRecalculationService);
const rowsOf = (awardId: string) =>
  h.app.get(TenantDb).run(A, (em) =>
    em.find(SocialAssistanceAwardAmount, {
      where: { awardId },
      order: { benefit: 'ASC', validFrom: 'ASC' },
    }),
  );
const recalculations = async (caseId: string) =>
  (await h.app.get(CaseService).timeline(A, caseId)).filter((e) => e.kind === AWARD_RECALCULATED);

beforeAll(async () => {
  // The job is driven by hand here (its round is recalculateAll), so the test decides when it runs.
  // On one pooled connection: the job reads the rules in its transaction, never on a second connection.
  h = await startApp({ SOCIAL_ASSISTANCE_RECALCULATION_MS: '0', ...ONE_CONNECTION });
  A = (await createMunicipality(h.app)).id;
  manager = await signInStaff(h.app, A, ['manager']);
});
afterAll(() => h?.close());

describe('recalculation of awards in force after a parameter change', () => {
  it('splits the amounts at the new version’s date, keeps input and versions, and shows it on the case', async () => {
    const { award, caseId } = await createAward(h.app, A, {
      validFrom: '2025-07-01',
      validUntil: '2025-12-31',
      input: family('2025-06-20'),
    });
    // Nothing changes inside the award yet: the rules of its decision hold for its whole period.
    await recalc().recalculateAll();
    const before = await rowsOf(award.id);
    expect(before.map((r) => [r.benefit, r.validFrom, r.validUntil, r.reason])).toEqual([
      ['gmi', '2025-07-01', '2025-12-31', 'decision'],
      ['housing', '2025-07-01', '2025-12-31', 'decision'],
    ]);
    const oldHousing = before[1].monthlyCents;
    expect(oldHousing).toBeGreaterThan(0);

    // The council raises K for households with children from 1 October 2025.
    await h.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: A,
      key: 'social-assistance.housing.k.with-children',
      value: '2.5',
      unit: 'coefficient',
      validFrom: '2025-10-01',
      note: 'test: council decision',
    });
    expect(await recalc().recalculateAll()).toBe(1);

    const rows = await rowsOf(award.id);
    // Both benefits were computed under the version that changed: both are recalculated from
    // that date (GMI to the same amount, housing to a higher one).
    expect(rows.map((r) => [r.benefit, r.validFrom, r.validUntil, r.reason])).toEqual([
      ['gmi', '2025-07-01', '2025-09-30', 'decision'],
      ['gmi', '2025-10-01', '2025-12-31', 'recalculation'],
      ['housing', '2025-07-01', '2025-09-30', 'decision'],
      ['housing', '2025-10-01', '2025-12-31', 'recalculation'],
    ]);
    expect(rows[1].monthlyCents).toBe(rows[0].monthlyCents);
    const expected = calculate(
      family('2025-10-01'),
      await h.app.get(SocialAssistanceRulesService).inForce(A, '2025-10-01'),
    );
    const recalculated = rows[3];
    expect(recalculated.monthlyCents).toBe(expected.housingBenefitCents);
    expect(recalculated.monthlyCents).toBeGreaterThan(oldHousing);
    expect(recalculated).toMatchObject({
      payeeIban: before[1].payeeIban,
      parameters: expect.objectContaining({
        'social-assistance.housing.k.with-children': '2025-10-01',
      }),
      calculation: {
        input: family('2025-10-01'),
        result: expect.objectContaining({ asOf: '2025-10-01' }),
      },
    });

    const [entry, ...more] = await recalculations(caseId);
    expect(more).toEqual([]);
    expect(entry.data).toEqual({
      awardId: award.id,
      validFrom: '2025-10-01',
      changes: [
        {
          benefit: 'gmi',
          fromCents: before[0].monthlyCents,
          toCents: before[0].monthlyCents,
          from: expect.any(String),
          to: expect.any(String),
        },
        {
          benefit: 'housing',
          fromCents: oldHousing,
          toCents: recalculated.monthlyCents,
          from: expect.any(String),
          to: expect.any(String),
        },
      ],
      parameters: [
        {
          key: 'social-assistance.housing.k.with-children',
          from: before[1].parameters['social-assistance.housing.k.with-children'],
          to: '2025-10-01',
        },
      ],
    });

    // The case page's award facts list both housing amounts.
    const view = await h.app.get(TenantDb).run(A, (em) => awardView(em, caseId));
    expect(view?.facts.map((f) => f.label)).toEqual(
      expect.arrayContaining([
        'social-assistance:award.amountOf.housing.decision',
        'social-assistance:award.amountOf.housing.recalculation',
      ]),
    );

    // The staff case page shows the entry: old → new amounts and the parameter that changed.
    const page = await manager.agent.get(`/workspace/cases/${caseId}?lang=en`).expect(200);
    const item = page.text.slice(
      page.text.indexOf('data-kind="social-assistance.award-recalculated"'),
    );
    expect(item).toContain('Award recalculated after a parameter change');
    expect(item).toContain('data-testid="amount-changes"');
    const housing = (entry.data.changes as { from: string; to: string }[])[1];
    expect(item).toContain(`${housing.from} → ${housing.to} EUR a month`);
    expect(item).toContain('social-assistance.housing.k.with-children');

    // Run again (a restart, another instance): nothing more changes.
    expect(await recalc().recalculateAll()).toBe(0);
    expect((await rowsOf(award.id)).length).toBe(4);
    expect(await recalculations(caseId)).toHaveLength(1);
  });

  it('two instances at once split an award once', async () => {
    const { award, caseId } = await createAward(h.app, A, {
      validFrom: '2025-07-01',
      validUntil: '2025-12-31',
      input: family('2025-06-20'),
    });
    await h.app.get(ParametersService).define({
      country: 'LV',
      municipalityId: A,
      key: 'social-assistance.housing.k.with-children',
      value: '2.7',
      unit: 'coefficient',
      validFrom: '2025-11-01',
      note: 'test: council decision',
    });
    await Promise.all([recalc().recalculateAll(), recalc().recalculateAll()]);
    const rows = await rowsOf(award.id);
    // The award was decided before both council versions: split at each, once.
    expect(rows.map((r) => [r.benefit, r.validFrom, r.validUntil, r.reason])).toEqual([
      ['gmi', '2025-07-01', '2025-09-30', 'decision'],
      ['gmi', '2025-10-01', '2025-10-31', 'recalculation'],
      ['gmi', '2025-11-01', '2025-12-31', 'recalculation'],
      ['housing', '2025-07-01', '2025-09-30', 'decision'],
      ['housing', '2025-10-01', '2025-10-31', 'recalculation'],
      ['housing', '2025-11-01', '2025-12-31', 'recalculation'],
    ]);
    expect((await recalculations(caseId)).map((e) => e.data.validFrom)).toEqual([
      '2025-10-01',
      '2025-11-01',
    ]);
  });

  it('leaves an award alone when no version starts inside it', async () => {
    const { award } = await createAward(h.app, A, {
      validFrom: '2025-01-01',
      validUntil: '2025-03-31',
      input: family('2024-12-20'),
    });
    await recalc().recalculateAll();
    expect((await rowsOf(award.id)).map((r) => r.reason)).toEqual(['decision', 'decision']);
  });
});
