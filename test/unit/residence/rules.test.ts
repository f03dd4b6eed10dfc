import type {
  DeclaredResidence,
  RegisterPerson,
} from '../../../src/integrations/population/population-register.port';
import { parseFilter } from '../../../src/modules/residence/lists/residence-list.filter';
import { yearsBefore } from '../../../src/modules/residence/lists/residence-list.queries';
import {
  basisConfirmedByRegisters,
  isMinor,
  lastNotAnnulled,
  minorsDeclaredWith,
  representable,
} from '../../../src/modules/residence/residence.rules';

const owners = [{ code: '010180-10006', name: 'Owner' }];
const person = (code: string, birthDate: string): RegisterPerson => ({
  personalCode: code,
  givenName: 'A',
  familyName: 'B',
  sex: 'F',
  birthDate,
  deceasedOn: null,
});
const res = (
  id: string,
  addressCode: string,
  validFrom: string,
  status: DeclaredResidence['status'] = 'active',
): DeclaredResidence => ({
  id,
  addressCode,
  validFrom,
  validTo: null,
  status,
  basis: 'lease',
  annulledFrom: null,
});

describe('legal basis from the registers', () => {
  it('confirms ownership only for an owner', () => {
    expect(
      basisConfirmedByRegisters({
        basis: 'ownership',
        applicantCode: owners[0].code,
        owners,
        relatives: [],
      }),
    ).toEqual({ confirmed: true, reason: 'declarant-owns-share' });
    expect(
      basisConfirmedByRegisters({ basis: 'ownership', applicantCode: 'x', owners, relatives: [] })
        .confirmed,
    ).toBe(false);
  });
  it('confirms a family member when the register links them to an owner', () => {
    expect(
      basisConfirmedByRegisters({
        basis: 'owner-family',
        applicantCode: 'x',
        owners,
        relatives: [owners[0].code],
      }),
    ).toEqual({ confirmed: true, reason: 'owner-is-family' });
    expect(
      basisConfirmedByRegisters({
        basis: 'owner-family',
        applicantCode: 'x',
        owners,
        relatives: [],
      }).confirmed,
    ).toBe(false);
  });
  it('always sends leases, consents and other bases to a person, and anything without a property record', () => {
    for (const basis of ['lease', 'owner-consent', 'other'])
      expect(
        basisConfirmedByRegisters({ basis, applicantCode: owners[0].code, owners, relatives: [] })
          .confirmed,
      ).toBe(false);
    expect(
      basisConfirmedByRegisters({
        basis: 'ownership',
        applicantCode: 'x',
        owners: [],
        relatives: [],
      }),
    ).toEqual({ confirmed: false, reason: 'no-property-record' });
  });
});

describe('who may be declared and annulled together', () => {
  it('is a minor until the 18th birthday', () => {
    expect(isMinor('2008-06-15', '2026-06-14')).toBe(true);
    expect(isMinor('2008-06-15', '2026-06-15')).toBe(false);
  });
  it('lets an applicant declare minor children and wards, not adult children', () => {
    const family = [
      { relation: 'child', person: person('c1', '2015-01-01') },
      { relation: 'child', person: person('c2', '1999-01-01') },
      { relation: 'ward', person: person('w1', '1990-01-01') },
      { relation: 'parent', person: person('p1', '1950-01-01') },
    ];
    expect([...representable('me', family, '2026-01-01')].sort()).toEqual(['c1', 'me', 'w1']);
  });
  it('annuls minors declared at the same address on the same day only', () => {
    const own = res('1', 'A', '2025-02-01');
    const out = minorsDeclaredWith(
      own,
      [
        { person: person('kid', '2016-01-01'), current: res('2', 'A', '2025-02-01') },
        { person: person('later', '2016-01-01'), current: res('3', 'A', '2025-03-01') },
        { person: person('adult', '2000-01-01'), current: res('4', 'A', '2025-02-01') },
        { person: person('none', '2016-01-01'), current: null },
      ],
      '2026-01-01',
    );
    expect(out).toEqual([{ code: 'kid', residenceId: '2' }]);
  });
});

describe('list filters', () => {
  it('parses valid filters and names every bad field', () => {
    expect(
      parseFilter({
        street: ' Liepu ',
        ageMin: '18',
        declaredFrom: '2024-01-01',
        status: 'active',
      }),
    ).toEqual({
      filter: { street: 'Liepu', ageMin: 18, declaredFrom: '2024-01-01', status: 'active' },
      errors: [],
    });
    expect(
      parseFilter({
        ageMin: '40',
        ageMax: '20',
        childrenMin: '-1',
        declaredTo: '2024-02-30',
        status: 'x',
      }).errors.map((e) => e.field),
    ).toEqual(['childrenMin', 'declaredTo', 'status', 'ageMax']);
  });
});

describe('yearsBefore (age filters)', () => {
  it('keeps the month and day', () => {
    expect(yearsBefore('2026-04-01', 18)).toBe('2008-04-01');
  });
  it('turns 29 February into 28 February when the earlier year is not a leap year', () => {
    expect(yearsBefore('2028-02-29', 18)).toBe('2010-02-28');
    expect(yearsBefore('2028-02-29', 1)).toBe('2027-02-28');
    expect(yearsBefore('2100-02-28', 100)).toBe('2000-02-28');
  });
  it('keeps 29 February in a leap year, including centuries divisible by 400', () => {
    expect(yearsBefore('2028-02-29', 4)).toBe('2024-02-29');
    expect(yearsBefore('2400-02-29', 400)).toBe('2000-02-29');
    expect(yearsBefore('2004-02-29', 104)).toBe('1900-02-28');
  });
});

describe('residence rules at their edges', () => {
  const two = [
    { code: '010180-10006', name: 'First' },
    { code: '020280-10007', name: 'Second' },
  ];

  it('confirms any co-owner, not only the first, and says why it refuses', () => {
    expect(
      basisConfirmedByRegisters({
        basis: 'ownership',
        applicantCode: two[1].code,
        owners: two,
        relatives: [],
      }),
    ).toEqual({ confirmed: true, reason: 'declarant-owns-share' });
    expect(
      basisConfirmedByRegisters({
        basis: 'ownership',
        applicantCode: 'x',
        owners: two,
        relatives: [],
      }),
    ).toEqual({ confirmed: false, reason: 'declarant-not-owner' });
  });

  it('confirms an owner declaring as family by the ownership, and family of any co-owner', () => {
    expect(
      basisConfirmedByRegisters({
        basis: 'owner-family',
        applicantCode: two[0].code,
        owners: two,
        relatives: [],
      }),
    ).toEqual({ confirmed: true, reason: 'declarant-owns-share' });
    expect(
      basisConfirmedByRegisters({
        basis: 'owner-family',
        applicantCode: 'x',
        owners: two,
        relatives: [two[1].code],
      }),
    ).toEqual({ confirmed: true, reason: 'owner-is-family' });
    expect(
      basisConfirmedByRegisters({
        basis: 'owner-family',
        applicantCode: 'x',
        owners: two,
        relatives: ['y'],
      }),
    ).toEqual({ confirmed: false, reason: 'owner-not-family' });
  });

  it('names the basis that needs documents', () => {
    expect(
      basisConfirmedByRegisters({
        basis: 'lease',
        applicantCode: two[0].code,
        owners: two,
        relatives: [],
      }),
    ).toEqual({ confirmed: false, reason: 'basis-lease-needs-documents' });
  });

  it('counts age by month before day', () => {
    expect(isMinor('2008-07-01', '2026-06-30')).toBe(true); // birthday month still ahead
    expect(isMinor('2008-05-20', '2026-06-15')).toBe(false); // birthday month passed, day number lower
  });

  it('annuls with the person only active declarations at the same address', () => {
    const own = res('1', 'A', '2025-02-01');
    const out = minorsDeclaredWith(
      own,
      [
        {
          person: person('annulled', '2016-01-01'),
          current: res('2', 'A', '2025-02-01', 'annulled'),
        },
        { person: person('elsewhere', '2016-01-01'), current: res('3', 'B', '2025-02-01') },
      ],
      '2026-01-01',
    );
    expect(out).toEqual([]);
  });

  it('does not let an applicant declare a minor sibling or other minor relative', () => {
    const family = [{ relation: 'sibling', person: person('s1', '2015-01-01') }];
    expect([...representable('me', family, '2026-01-01')]).toEqual(['me']);
  });

  it('finds the newest declaration that was not annulled for the certificate', () => {
    const history = [
      res('3', 'C', '2025-03-01', 'annulled'),
      res('2', 'B', '2024-01-01', 'ended'),
      res('1', 'A', '2020-01-01', 'ended'),
    ];
    expect(lastNotAnnulled(history)?.id).toBe('2');
    expect(lastNotAnnulled([res('3', 'C', '2025-03-01', 'annulled')])).toBeNull();
    expect(lastNotAnnulled([])).toBeNull();
  });
});
