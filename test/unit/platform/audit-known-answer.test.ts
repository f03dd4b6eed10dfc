import {
  canonicalEntry,
  canonicalPieces,
  entryHash,
  GENESIS_HASH,
  type ChainedFields,
} from '../../../src/platform/audit/audit-chain';

/**
 * A known-answer test of the audit chain (issue 16): a fixed entry, its RFC 8785 canonical JSON
 * and its SHA-256, written out here by hand (computed outside this code base with Python's
 * `json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False)` and `hashlib.sha256`).
 * The writer and the verifier both build from the same hashed body, so a column dropped from it
 * would vanish from both sides and the chain would still verify; only a fixed answer catches that.
 */
const entry: ChainedFields = {
  seq: '17',
  municipalityId: '7d8f2c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f',
  at: new Date('2026-12-03T10:15:30.123Z'),
  actorAccountId: '0b7e8a52-3f41-4c1e-9d7a-2a6c5e4f1b90',
  actorDisplay: 'Ilze Bērziņa',
  actorRole: 'caseworker',
  action: 'person.read',
  subjectType: 'case',
  subjectId: 'TUK-DZV-2026-17',
  personId: '5c2a9d1e-8b7f-4e3a-a1c2-d3e4f5a6b7c8',
  purpose: 'residence.declaration',
  requestId: 'req-42',
  ip: '192.0.2.10',
  details: { n: 2, fields: ['address', 'family'] },
};

const CANONICAL =
  '{"action":"person.read","actorAccountId":"0b7e8a52-3f41-4c1e-9d7a-2a6c5e4f1b90","actorDisplay":"Ilze Bērziņa",' +
  '"actorRole":"caseworker","at":"2026-12-03T10:15:30.123Z","details":{"fields":["address","family"],"n":2},' +
  '"ip":"192.0.2.10","municipalityId":"7d8f2c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f",' +
  '"personId":"5c2a9d1e-8b7f-4e3a-a1c2-d3e4f5a6b7c8","purpose":"residence.declaration","requestId":"req-42",' +
  '"seq":"17","subjectId":"TUK-DZV-2026-17","subjectType":"case","v":1}';

describe('audit chain: known answer', () => {
  it('writes the fixed entry as exactly this canonical JSON (every column, sorted, format 1)', () => {
    expect(canonicalEntry(entry)).toBe(CANONICAL);
  });

  it('hashes it after the genesis hash to exactly this SHA-256', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(entryHash(GENESIS_HASH, entry)).toBe(
      '5fe4bbe30ef6fcfacc5ec0b213b5d5f0e838e8074c1792c235a37e4bb672f533',
    );
  });

  it('chains: the same entry after another hash gives exactly this SHA-256', () => {
    expect(entryHash('ab'.repeat(32), entry)).toBe(
      '13fd425d3a4bbdaea01c53baf847df7c36fd721538aa08db5e384aea023cf801',
    );
  });

  it('gives the database the same bytes in pieces around at and seq', () => {
    const [p0, p1, p2] = canonicalPieces(entry);
    expect(p0 + '2026-12-03T10:15:30.123Z' + p1 + '17' + p2).toBe(CANONICAL);
  });
});
