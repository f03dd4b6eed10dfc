import {
  canonicalEntry,
  canonicalPieces,
  type ChainedFields,
} from '../../../src/platform/audit/audit-chain';

const base: ChainedFields = {
  seq: '1',
  municipalityId: '7d8f2c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f',
  at: new Date('2026-12-03T10:15:30.123Z'),
  actorAccountId: null,
  actorDisplay: 'Ilze Bērziņa',
  actorRole: 'caseworker',
  action: 'case.read',
  subjectType: 'case',
  subjectId: 'c-1',
  personId: null,
  purpose: 'case handling',
  requestId: null,
  ip: '127.0.0.1',
  details: {},
};

const joined = (f: ChainedFields): string => {
  const [p0, p1, p2] = canonicalPieces(f);
  return p0 + f.at.toISOString() + p1 + f.seq + p2;
};

describe('audit chain: canonical pieces the database completes', () => {
  it.each<[string, Partial<ChainedFields>]>([
    ['a plain entry', {}],
    [
      'a platform entry with no ids at all',
      { municipalityId: null, subjectType: null, subjectId: null, ip: null, actorRole: null },
    ],
    [
      'a large seq and another instant',
      { seq: '98765432109876', at: new Date('2031-01-01T00:00:00.000Z') },
    ],
    [
      'details that look like the pieces’ own members',
      {
        details: { a: 1, at: '"x"', seq: ['9'], nested: { at: null, z: 'ž' } },
        purpose: ',"at":"',
      },
    ],
    // A JavaScript caller may leave a member undefined: the canonical form drops it, so must the pieces.
    [
      'a member left undefined by a JavaScript caller',
      { ip: undefined as unknown as null, requestId: undefined as unknown as null },
    ],
    [
      'unicode, escapes and odd numbers',
      {
        actorDisplay: 'Γιάννης "Ο" \\ \u0001 😀',
        details: { n: 1e21, m: 0.1, e: -0, s: '\u2028' },
      },
    ],
  ])('joined with at and seq they equal the canonical entry: %s', (_, change) => {
    const f = { ...base, ...change };
    expect(joined(f)).toBe(canonicalEntry(f));
  });

  it('leaves exactly the values of at and seq out', () => {
    const [p0, p1, p2] = canonicalPieces(base);
    expect(p0.endsWith('"at":"')).toBe(true);
    expect(p1.startsWith('"')).toBe(true);
    expect(p1.endsWith(',"seq":"')).toBe(true);
    expect(p2.startsWith('"')).toBe(true);
    expect(`${p0}${p1}${p2}`).not.toContain(base.at.toISOString());
  });
});
