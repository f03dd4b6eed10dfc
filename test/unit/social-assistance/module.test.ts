import { PROCESSES } from '../../../workflows';
import { referenceProcess } from '../../../src/modules/reference/reference.process';
import { residenceProcess } from '../../../src/modules/residence/residence.process';
import { socialAssistanceProcess } from '../../../src/modules/social-assistance/social-assistance.process';
import { byCountryAndKey } from '../../../src/parameters/parameters.service';
import { ProcessRegistry } from '../../../src/processes/process-registry';

describe('the social-assistance process module', () => {
  const registry = ProcessRegistry.of([
    residenceProcess,
    referenceProcess,
    socialAssistanceProcess,
  ]);

  it('is accepted by the registry with its process versions, beside the listed workflows', () => {
    // v1 and v2 stay for the cases running on them; new cases start on v3 (the visit rule applied
    // again after requested information arrives).
    expect(socialAssistanceProcess.processes.map((p) => p.id)).toEqual([
      'social-assistance@v1',
      'social-assistance@v2',
      'social-assistance@v3',
    ]);
    expect(socialAssistanceProcess.forms.map((f) => f.key)).toEqual([
      'social-assistance.review',
      'social-assistance.review-v2',
      'social-assistance.visit',
      'social-assistance.cooperation',
    ]);
    expect(() => registry.assertListed(PROCESSES)).not.toThrow();
    expect(registry.staffMenu().map((e) => e.href)).toContain(
      '/workspace/social-assistance/calculator',
    );
    expect(registry.staffMenu().map((e) => e.href)).toContain(
      '/workspace/social-assistance/applications/new',
    );
  });

  it('hands the registry each parameter key with its whole history, oldest first', () => {
    const groups = byCountryAndKey(registry.parameterDefaults());
    const k = groups.find((g) => g[0].key === 'social-assistance.housing.k.other')!;
    expect(k.map((v) => [v.validFrom, v.value])).toEqual([
      ['2021-01-01', '1'],
      ['2022-01-01', '1.5'],
      ['2022-09-01', '3'],
      ['2023-05-01', '1.5'],
      ['2023-06-01', '1.5'],
      ['2025-01-01', '1.3'],
      ['2026-01-01', '1.7'],
      ['2026-05-01', '1.3'],
    ]);
    const gmi = groups.find((g) => g[0].key === 'social-assistance.gmi.first')!;
    expect(gmi.map((v) => v.value)).toEqual(['109', '125', '137', '166', '187']);
    // No key of another module is split or reordered.
    const fee = groups.find((g) => g[0].key === 'residence-declaration.fee.counter')!;
    expect(fee).toHaveLength(1);
  });
});
