import { ParametersService } from '../../parameters/parameters.service';
import type { DemoContext } from '../../platform/seed/demo-support';
import { SA_KEYS } from './social-assistance.parameters';

/** Tukums 2024 (DOMAIN.md): the municipality's low-income threshold for the general household type. */
const DEMO_LOW_INCOME = [
  { key: SA_KEYS.lowIncome('general', 'first'), value: '411' },
  { key: SA_KEYS.lowIncome('general', 'other'), value: '288' },
] as const;

/**
 * The demo LV municipality's own low-income threshold (Tukums 2024: 411 / 288), so the calculator
 * shows a municipal rule beside the national table. No cases yet: the workflow comes later.
 */
export async function seedSocialAssistanceDemo(ctx: DemoContext): Promise<string[]> {
  if (ctx.municipality.country !== 'LV') return [];
  const parameters = ctx.app.get(ParametersService);
  const own = (await parameters.list('LV', ctx.municipality.id)).filter(
    (p) => p.municipalityId === ctx.municipality.id,
  );
  for (const { key, value } of DEMO_LOW_INCOME) {
    if (own.some((p) => p.key === key && p.validFrom === '2024-01-01')) continue;
    await parameters.define({
      country: 'LV',
      municipalityId: ctx.municipality.id,
      key,
      value,
      unit: 'EUR/month',
      validFrom: '2024-01-01',
      note: 'Demo: Tukums novads 2024 low-income threshold 411 / 288 (DOMAIN.md). From 2026 it is below the needy threshold (425 / 298), so the needy threshold applies until the municipality sets a new one.',
      createdBy: 'seed:demo',
    });
    ctx.log(`social-assistance: ${key} = ${value} from 2024-01-01`);
  }
  return [];
}
