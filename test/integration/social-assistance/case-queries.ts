import { SA_KEYS } from '../../../src/modules/social-assistance/social-assistance.parameters';
import { ParametersService } from '../../../src/parameters/parameters.service';
import { submitApplication } from '../../factories/social-assistance-applications';
import type { ResidenceHarness } from '../../workflows/residence/harness';

/**
 * Reads and steps the social-assistance suites share. `harness` is a getter because suites start
 * theirs in beforeAll.
 */
export function caseQueries(harness: () => ResidenceHarness, accountId: string) {
  const q = <T>(sql: string, params: unknown[] = []) => {
    const h = harness();
    return h.tenantDb.run(h.municipalityId, (em) => em.query(sql, params) as Promise<T[]>);
  };
  return {
    q,
    /** A complete application of one working-age person (only the applicant declared) asking for GMI; its case id. */
    async submitted(code: string, given: string, family: string): Promise<string> {
      const h = harness();
      const done = await submitApplication(h.running.app, {
        municipalityId: h.municipalityId,
        accountId,
        applicant: { code, given, family },
      });
      return done.caseId!;
    },
    /** The case's open or claimed tasks by step. */
    openTasks: (caseId: string) =>
      q<{ step: string; form_key: string }>(
        `SELECT step, form_key FROM tasks WHERE case_id = $1 AND status IN ('open', 'claimed') ORDER BY step`,
        [caseId],
      ),
  };
}

/** The municipality's own rule, from a date before any test application: a visit when the register does not confirm the household. */
export async function householdVisitRuleOn(h: ResidenceHarness): Promise<void> {
  await h.running.app.get(ParametersService).define({
    country: 'LV',
    municipalityId: h.municipalityId,
    key: SA_KEYS.visitOnHouseholdDifference,
    value: '1',
    unit: 'yes = 1, no = 0',
    validFrom: '2021-01-01',
    note: 'Test municipality: a visit when the register does not confirm the household.',
  });
}
