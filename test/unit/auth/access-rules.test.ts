import { satisfies } from '../../../src/platform/auth/access';
import { safeReturnTo } from '../../../src/platform/auth/auth.controller';
import { normalizeLvPersonalCode } from '../../../src/platform/accounts/personal-code';
import { findDevIdentity } from '../../../src/platform/auth/dev-idp/dev-identities';
import { DEMO_CITIZENS } from '../../../src/platform/accounts/demo-identities';

describe('role requirements', () => {
  it('a caseworker grant without a process covers every process; with one, only that process', () => {
    expect(
      satisfies([{ role: 'caseworker', processKey: null }], {
        role: 'caseworker',
        process: 'social-assistance',
      }),
    ).toBe(true);
    expect(
      satisfies([{ role: 'caseworker', processKey: 'tree-cutting-permit' }], {
        role: 'caseworker',
        process: 'social-assistance',
      }),
    ).toBe(false);
    expect(
      satisfies([{ role: 'caseworker', processKey: 'tree-cutting-permit' }], 'caseworker'),
    ).toBe(true);
    expect(satisfies([{ role: 'manager', processKey: null }], 'caseworker')).toBe(false);
  });
});

describe('return addresses after sign-in', () => {
  it.each(['/workspace', '/cases/42?tab=documents'])('keeps the local path %s', (p) =>
    expect(safeReturnTo(p)).toBe(p),
  );
  it.each(['//evil.example/x', '/\\evil.example', 'https://evil.example/', 'workspace', ''])(
    'drops %p',
    (p) => expect(safeReturnTo(p)).toBeNull(),
  );
});

describe('demo identities', () => {
  it('every demo personal code carries a valid check digit (old format)', () => {
    const weights = [1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    for (const c of DEMO_CITIZENS) {
      const d = c.personalCode.replace('-', '').split('').map(Number);
      const check = (((1101 - weights.reduce((s, w, i) => s + w * d[i], 0)) % 11) + 11) % 11;
      expect([c.personalCode, check]).toEqual([c.personalCode, d[10]]);
    }
  });

  it('the dev IdP finds people by personal code with or without the dash, and staff by username', () => {
    expect(findDevIdentity('15038512346')?.personalCode).toBe('150385-12346');
    expect(findDevIdentity('council-secretary.tukums')).toMatchObject({
      email: 'council-secretary.tukums@demo.civitas.lv',
      personalCode: null,
    });
    expect(findDevIdentity('mayor.tukums')).toBeUndefined();
    expect(normalizeLvPersonalCode('150385 12346')).toBe('150385-12346');
  });
});
