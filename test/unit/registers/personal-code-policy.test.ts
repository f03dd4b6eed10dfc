import { PersonalCodePolicy } from '../../../src/persons/personal-code-policy';

/** Issue 12 M3: one rule decides, per viewer's grants, whether a personal code is shown in full. */
describe('PersonalCodePolicy', () => {
  const code = '290165-13409';
  const user = (grants: { role: string; processKey: string | null }[]) => ({
    accountId: 'a',
    municipalityId: 'm',
    displayName: 'x',
    roles: grants.map((g) => g.role),
    grants,
  });

  it.each([
    ['a caseworker for every process', [{ role: 'caseworker', processKey: null }], true],
    ['a residence caseworker', [{ role: 'caseworker', processKey: 'residence-declaration' }], true],
    ['a caseworker of another process', [{ role: 'caseworker', processKey: 'reference' }], true],
    ['an administrator', [{ role: 'administrator', processKey: null }], true],
    ['a manager', [{ role: 'manager', processKey: null }], false],
    ['a council secretary', [{ role: 'council_secretary', processKey: null }], false],
    ['a deputy', [{ role: 'deputy', processKey: null }], false],
  ])('%s', (_who, grants, full) => {
    const p = PersonalCodePolicy.for(user(grants));
    expect(p.full).toBe(full);
    expect(p.show(code)).toEqual(
      full ? { value: code, masked: false } : { value: '290165-*****', masked: true },
    );
    expect(p.fullOrNull(code)).toBe(full ? code : null);
  });

  it('gives the full code as text to a viewer with the right', () => {
    expect(
      PersonalCodePolicy.for(user([{ role: 'caseworker', processKey: null }])).text('321234-56789'),
    ).toBe('321234-56789');
  });

  it('masks new-format codes entirely', () => {
    expect(
      PersonalCodePolicy.for(user([{ role: 'manager', processKey: null }])).text('321234-56789'),
    ).toBe('32****-*****');
  });

  it('refuses a caller that is not signed in', () => {
    expect(() => PersonalCodePolicy.for(undefined)).toThrow();
  });
});
