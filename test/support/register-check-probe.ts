/**
 * A process that runs the eight register checks of a means test in parallel, as the
 * social-assistance process will: Promise.all of activity calls, each with its register's retry
 * policy (intervals shortened so a test waits milliseconds, not seconds). Process code only.
 */
import { defineProcess } from '../../workflows/kit';
import {
  REGISTER_CHECK_OPTIONS,
  type RegisterCheckInput,
  type RegisterCheckOutcome,
} from '../../workflows/kit/register-checks';
import type { RegisterCheckActivities } from '../../activities/registry';

export interface ProbeInput {
  municipalityId: string;
  applicant: string;
  asOf: string;
  declared: {
    members?: string[];
    benefitsCents?: number;
    netIncomeCents?: number;
    unemployed?: boolean;
    vehicles?: string[];
  };
}

const fast = Object.fromEntries(
  Object.entries(REGISTER_CHECK_OPTIONS).map(([name, o]) => [
    name,
    { ...o, retry: { ...o.retry, initialIntervalMs: 20, maxIntervalMs: 100 } },
  ]),
);

export const registerCheckProbe = defineProcess<
  ProbeInput,
  RegisterCheckOutcome[],
  RegisterCheckActivities
>({ key: 'register-check-probe', version: 1, activities: fast }, async (ctx, input) => {
  const base: RegisterCheckInput = {
    caseId: ctx.caseId,
    municipalityId: input.municipalityId,
    personalCode: input.applicant,
    asOf: input.asOf,
  };
  const d = input.declared;
  const settle = (p: Promise<RegisterCheckOutcome>) =>
    p.catch(() => null as unknown as RegisterCheckOutcome);
  const outcomes = await Promise.all([
    settle(ctx.act.checkHouseholdRegister({ ...base, declared: { members: d.members } })),
    settle(
      ctx.act.checkSocialInsuranceRegister({ ...base, declared: { totalCents: d.benefitsCents } }),
    ),
    settle(ctx.act.checkIncomeRegister({ ...base, declared: { totalNetCents: d.netIncomeCents } })),
    settle(ctx.act.checkEmploymentRegister({ ...base, declared: { unemployed: d.unemployed } })),
    settle(ctx.act.checkDisabilityRegister(base)),
    settle(ctx.act.checkPropertyRegister(base)),
    settle(
      ctx.act.checkVehicleRegister({ ...base, declared: { registrationNumbers: d.vehicles } }),
    ),
    settle(ctx.act.checkAssistanceRegister(base)),
  ]);
  return outcomes;
});
