import {
  nameSearchSql,
  normalizeForSearch,
  searchTokens,
} from '../../../src/persons/name-normalize';
import { can, personPermissions, requireViewer } from '../../../src/persons/viewer';
import { DomainError } from '../../../src/platform/errors/domain-error';

describe('search normalisation', () => {
  it.each([
    ['Bērziņš', 'berzins'],
    ['ĶĒNIŅŠ', 'kenins'],
    ['Ļoļa Ģērmane', 'lola germane'],
    ['Žanete  Čakste-Šulca', 'zanete cakste sulca'],
    ['Παπαδόπουλος', 'παπαδοπουλος'],
  ])('folds %s to %s', (input, expected) => {
    expect(normalizeForSearch(input)).toBe(expected);
  });

  it('splits a query into at most the given number of tokens', () => {
    expect(searchTokens(' Jānis  Bērziņš Andris Ozols ', 3)).toEqual([
      'janis',
      'berzins',
      'andris',
    ]);
  });

  it('escapes LIKE wildcards so a query cannot widen the match', () => {
    const q = nameSearchSql({ table: 't', columns: 'id', tokens: ['a%b_c'], limit: 5 });
    expect(q.params).toEqual(['a\\%b\\_c%']);
  });

  it('pairs two words as family and given name in either order, scoped to the tenant', () => {
    const q = nameSearchSql({
      table: 'persons',
      columns: 'id',
      tokens: ['berzins', 'janis'],
      limit: 20,
      scope: { column: 'municipality_id', value: 'm-1' },
    });
    expect(q.params).toEqual(['m-1', 'berzins%', 'janis%']);
    expect(q.sql).toContain(
      'municipality_id = $1 AND family_name_norm LIKE $2 AND given_name_norm LIKE $3',
    );
    expect(q.sql).toContain(
      'municipality_id = $1 AND family_name_norm LIKE $3 AND given_name_norm LIKE $2',
    );
  });
});

describe('person data permissions', () => {
  it('lets residence caseworkers see codes, address history and family', () => {
    expect([...personPermissions(['caseworker:residence'])].sort()).toEqual([
      'persons.addressHistory',
      'persons.family',
      'persons.personalCode',
      'persons.read',
    ]);
  });

  it('lets other caseworkers see codes but not address history', () => {
    expect(can({ roles: ['caseworker:social'] }, 'persons.personalCode')).toBe(true);
    expect(can({ roles: ['caseworker:social'] }, 'persons.addressHistory')).toBe(false);
  });

  it('lets managers read cards with masked codes only', () => {
    expect(can({ roles: ['manager'] }, 'persons.read')).toBe(true);
    expect(can({ roles: ['manager'] }, 'persons.personalCode')).toBe(false);
  });

  it('gives citizens and unknown roles nothing', () => {
    expect(personPermissions(['citizen', 'caseworker']).size).toBe(0);
  });

  it('refuses a request without a usable user', () => {
    expect(() => requireViewer(undefined)).toThrow(DomainError);
    expect(() => requireViewer({ accountId: 'a', roles: [] })).toThrow('sign in required');
  });
});
