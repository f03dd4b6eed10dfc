import { checkPurposeInput, mayLookUpPersons } from '../../../src/persons/lookup-purpose';
import { referenceProcess } from '../../../src/modules/reference/reference.process';
import { residenceProcess } from '../../../src/modules/residence/residence.process';
import { ProcessRegistry } from '../../../src/processes/process-registry';
import { defineProcessModule } from '../../../src/processes/process-module';
import { loadResources } from '../../../src/platform/i18n/i18n.service';

/** The purposes the application offers: the platform's and its process modules'. */
const PURPOSES = ProcessRegistry.of([residenceProcess, referenceProcess]).lookupPurposes();

const g = (role: string, processKey: string | null = null) => ({ role, processKey });

describe('person look-ups (issue 12 M7)', () => {
  it.each([
    [[g('caseworker')], true],
    [[g('caseworker', 'residence-declaration')], true],
    [[g('caseworker', 'residence-annulment')], true],
    [[g('caseworker', 'residence-certificate')], true],
    [[g('manager')], true],
    [[g('caseworker', 'reference')], false],
    [[g('administrator')], false],
    [[g('deputy')], false],
    [[g('council_secretary')], false],
    [[g('citizen')], false],
    [[g('administrator'), g('caseworker', 'residence-declaration')], true],
  ])('grants %j may look people up: %s', (grants, allowed) => {
    expect(mayLookUpPersons(grants)).toBe(allowed);
  });

  it('takes a purpose of the list only, and a case where the purpose needs one', () => {
    expect(checkPurposeInput({ purpose: 'counter-service', caseNumber: 'ignored' })).toEqual({
      ok: true,
      value: { code: 'counter-service', caseRef: null },
    });
    expect(
      checkPurposeInput({ purpose: ' case-handling ', caseNumber: ' TUK-2026-000001 ' }),
    ).toEqual({ ok: true, value: { code: 'case-handling', caseRef: 'TUK-2026-000001' } });
    expect(checkPurposeInput({ purpose: 'TUK-2026-000001' })).toEqual({
      ok: false,
      errors: [{ field: 'purpose', message: 'persons:purpose.notInList' }],
    });
    expect(checkPurposeInput({ purpose: 42 })).toEqual({
      ok: false,
      errors: [{ field: 'purpose', message: 'persons:purpose.required' }],
    });
    expect(checkPurposeInput({ purpose: 'case-handling' })).toEqual({
      ok: false,
      errors: [{ field: 'caseNumber', message: 'persons:purpose.caseRequired' }],
    });
    expect(checkPurposeInput({ purpose: 'case-handling', caseNumber: '<script>' })).toEqual({
      ok: false,
      errors: [{ field: 'caseNumber', message: 'persons:purpose.caseUnknown' }],
    });
  });

  it('labels every purpose in lv, en and el', () => {
    const resources = loadResources() as Record<
      string,
      {
        persons: {
          lookupPurpose: Record<string, string>;
          lookupPurposeHint: Record<string, string>;
        };
      }
    >;
    for (const lang of ['lv', 'en', 'el'])
      for (const p of PURPOSES) {
        expect(resources[lang].persons.lookupPurpose[p.code]).toEqual(expect.any(String));
        expect(resources[lang].persons.lookupPurposeHint[p.code]).toEqual(expect.any(String));
      }
  });

  it("takes a process module's purposes from its manifest, not from the platform list", () => {
    expect(PURPOSES.map((p) => p.code)).toEqual([
      'case-handling',
      'counter-service',
      'annulment-check',
      'register-quality',
    ]);
    expect(checkPurposeInput({ purpose: 'annulment-check' })).toEqual({
      ok: false,
      errors: [{ field: 'purpose', message: 'persons:purpose.notInList' }],
    });
    expect(checkPurposeInput({ purpose: 'annulment-check' }, PURPOSES)).toEqual({
      ok: true,
      value: { code: 'annulment-check', caseRef: null },
    });
    const twice = defineProcessModule({
      name: 'twice',
      processes: [],
      lookupPurposes: [{ code: 'counter-service', needsCase: false }],
    });
    expect(() => ProcessRegistry.of([twice]).lookupPurposes()).toThrow(/declared twice/);
  });
});
