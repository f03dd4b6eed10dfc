import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDevSeal } from '../../../src/documents/signing/dev-seal';
import { parsePkcs12 } from '../../../src/documents/signing/seal-material';
import {
  newVerificationCode,
  normaliseVerificationCode,
} from '../../../src/documents/verification-code';
import { residenceDocumentRequest } from '../../../src/modules/residence/residence.templates';

describe('development seal (seal:dev)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'civitas-devseal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const opts = () => ({
    dir,
    municipalityCode: 'demo',
    municipalityName: 'Demo novads',
    passphrase: 'pw',
  });

  it('creates a CA and an encrypted seal that opens only with the passphrase', () => {
    const r = ensureDevSeal(opts());
    expect(r.created).toEqual({ ca: true, seal: true });
    const seal = parsePkcs12(readFileSync(r.sealPath), 'pw');
    expect(seal.subject).toBe('CN=Demo novads e-seal, O=Demo novads, C=LV');
    expect(seal.chainDer).toHaveLength(1);
    expect(() => parsePkcs12(readFileSync(r.sealPath), 'wrong')).toThrow();
    expect(statSync(r.sealPath).mode & 0o077).toBe(0);
  });

  it('is idempotent: a second run keeps the CA and the valid seal', () => {
    const first = ensureDevSeal(opts());
    const before = readFileSync(first.sealPath);
    const again = ensureDevSeal(opts());
    expect(again.created).toEqual({ ca: false, seal: false });
    expect(readFileSync(again.sealPath).equals(before)).toBe(true);
  });

  it('replaces an expired seal on the next run', () => {
    ensureDevSeal({
      ...opts(),
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    const again = ensureDevSeal(opts());
    expect(again.created.seal).toBe(true);
    expect(parsePkcs12(readFileSync(again.sealPath), 'pw').notAfter.getTime()).toBeGreaterThan(
      Date.now(),
    );
  });
});

describe('verification codes', () => {
  it('are 100-bit Crockford base32 codes in five groups, all different', () => {
    const codes = Array.from({ length: 2000 }, newVerificationCode);
    for (const c of codes.slice(0, 50))
      expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('normalise what people type and refuse what cannot be a code', () => {
    expect(normaliseVerificationCode(' abcd efgh jkmn pqrs tvwx ')).toBe(
      'ABCD-EFGH-JKMN-PQRS-TVWX',
    );
    expect(normaliseVerificationCode('oooo-iiii-llll-0000-1111')).toBe('0000-1111-1111-0000-1111');
    expect(normaliseVerificationCode('ABCD-EFGH-JKMN-PQRS-TVWU')).toBeNull();
    expect(normaliseVerificationCode('ABCD')).toBeNull();
    expect(normaliseVerificationCode('<script>')).toBeNull();
  });
});

describe('typed document requests', () => {
  it('carry the template data type (compile-time) and pass through unchanged', () => {
    const input = residenceDocumentRequest({
      municipalityId: '00000000-0000-0000-0000-000000000000',
      caseId: 'C-1',
      stepKey: 'certificate',
      templateKey: 'residence-declaration/residence-certificate',
      language: 'lv',
      data: {
        person: { givenName: 'Līga', familyName: 'Ķēniņa', personalCode: '010190-12345' },
        address: 'Ūdens iela 7-3',
        declaredFrom: '2024-03-15',
        signatory: { name: 'Anna Ozoliņa', position: 'Speciāliste' },
        // @ts-expect-error a field the template does not expect does not compile
        nickname: 'x',
      },
    });
    expect(input.templateKey).toBe('residence-declaration/residence-certificate');
  });
});
