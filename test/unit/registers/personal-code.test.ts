import {
  compactPersonalCode,
  looksLikePersonalCode,
  maskPersonalCode,
  parsePersonalCode,
  personalCodeCheckDigit,
  personalCodeHasNoCheckDigit,
} from '../../../src/persons/personal-code';

const TODAY = new Date('2026-01-01T00:00:00Z');
const parse = (s: string) => parsePersonalCode(s, 'personalCode', TODAY);

// Valid codes below were computed with an independent implementation (python-stdnum's
// lv.pvn weights 10,5,8,4,2,1,6,3,7,9 with +1), not with the code under test.
describe('personal code validation', () => {
  it.each([
    ['161175-19997', '1975-11-16'],
    ['16117519997', '1975-11-16'],
    ['010190-12349', '1990-01-01'],
    ['311299-05671', '1899-12-31'],
    ['150305-21248', '2005-03-15'],
    ['290200-20455', '2000-02-29'],
  ])(
    'accepts the old-format code %s and reads the birth date with its century digit',
    (code, birthDate) => {
      const r = parse(code);
      expect(r).toEqual({
        ok: true,
        value: {
          code: `${code.replace('-', '').slice(0, 6)}-${code.replace('-', '').slice(6)}`,
          format: 'old',
          birthDate,
        },
      });
    },
  );

  it.each(['328673-00679', '320123-45679', '324567-89019'])(
    'accepts the new-format code %s (no birth date)',
    (code) => {
      expect(parse(code)).toEqual({ ok: true, value: { code, format: 'new', birthDate: null } });
    },
  );

  it.each([
    ['161175-19996', 'checkDigit'],
    ['328673-00677', 'checkDigit'],
    ['010190-12340', 'checkDigit'],
    ['161375-19997', 'birthDate'],
    ['290201-20456', 'birthDate'],
    ['010130-20006', 'birthDate'],
    ['010190-32349', 'birthDate'],
    ['12345', 'format'],
    ['010190-1234X', 'format'],
    ['0101-9012349', 'format'],
    ['', 'format'],
  ])('rejects %s with the field error persons:personalCode.%s', (code, key) => {
    expect(parse(code)).toEqual({
      ok: false,
      error: { field: 'personalCode', message: `persons:personalCode.${key}` },
    });
  });

  it('writes a remainder of 10 as check digit 0, as python-stdnum does', () => {
    expect(personalCodeCheckDigit('1503052123')).toBe(0);
    expect(parse('150305-21230').ok).toBe(true);
    expect(parse('150305-21231').ok).toBe(false);
  });

  it('masks codes for viewers without the right, keeping only the date part of old codes', () => {
    expect(maskPersonalCode('161175-19997')).toBe('161175-*****');
    expect(maskPersonalCode('328673-00679')).toBe('32****-*****');
  });

  it('treats any input of digits, spaces and hyphens as an attempt at a code, names as names', () => {
    expect(['12345', '161175 19997', '161175-19997'].map(looksLikePersonalCode)).toEqual([
      true,
      true,
      true,
    ]);
    expect(['Bērziņš', 'berzins 2', '-', ''].map(looksLikePersonalCode)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('personal code input at its edges', () => {
  it('reads spaced and hyphenated input as the same 11 digits, and nothing longer or with more around it', () => {
    expect(compactPersonalCode('161175 19997')).toBe('16117519997');
    expect(compactPersonalCode(' 16 11 75 - 199 97 ')).toBe('16117519997');
    expect(compactPersonalCode('1161175-19997')).toBeNull();
    expect(compactPersonalCode('161175-199971')).toBeNull();
    expect(compactPersonalCode('161175--19997')).toBeNull();
  });

  it('refuses input longer than 40 characters before looking at it, however it is spaced', () => {
    const padded = (n: number) => '161175-19997'.padEnd(n, ' ');
    expect(compactPersonalCode(padded(40))).toBe('16117519997');
    expect(compactPersonalCode(padded(41))).toBeNull();
    expect(parse(padded(41))).toEqual({
      ok: false,
      error: { field: 'personalCode', message: 'persons:personalCode.format' },
    });
  });

  it('names the personalCode field unless told another', () => {
    expect(parsePersonalCode('12345', undefined, TODAY)).toEqual({
      ok: false,
      error: { field: 'personalCode', message: 'persons:personalCode.format' },
    });
    expect(parsePersonalCode('12345', 'spouseCode', TODAY)).toEqual({
      ok: false,
      error: { field: 'spouseCode', message: 'persons:personalCode.format' },
    });
  });

  it('accepts a person born today and refuses one born tomorrow', () => {
    expect(
      parsePersonalCode('161175-19997', 'personalCode', new Date('1975-11-16T23:59:59Z')),
    ).toMatchObject({ ok: true });
    expect(
      parsePersonalCode('161175-19997', 'personalCode', new Date('1975-11-15T23:59:59Z')),
    ).toEqual({
      ok: false,
      error: { field: 'personalCode', message: 'persons:personalCode.birthDate' },
    });
  });

  it('never reads a century digit above 2 as a birth date, even once that century has come', () => {
    // 010190-3…: century digit 3 would be 2190; still no birth date in the year 2200.
    expect(
      parsePersonalCode('010190-32349', 'personalCode', new Date('2200-01-01T00:00:00Z')),
    ).toEqual({
      ok: false,
      error: { field: 'personalCode', message: 'persons:personalCode.birthDate' },
    });
  });

  it('knows the ten-digit starts that no serial may complete (remainder 10)', () => {
    expect(personalCodeHasNoCheckDigit('1503052123')).toBe(true);
    expect(personalCodeHasNoCheckDigit('1611751999')).toBe(false);
  });

  it('treats a code with surrounding spaces as a code, and a code followed by a name or too long as a name', () => {
    expect(looksLikePersonalCode(`     161175-19997${' '.repeat(30)}`)).toBe(true);
    expect(looksLikePersonalCode('1'.repeat(40))).toBe(true);
    expect(looksLikePersonalCode('1'.repeat(41))).toBe(false);
    expect(looksLikePersonalCode('161175 Bērziņš')).toBe(false);
    expect(looksLikePersonalCode('   ')).toBe(false);
  });
});
