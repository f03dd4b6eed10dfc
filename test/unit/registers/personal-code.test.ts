import {
  looksLikePersonalCode,
  maskPersonalCode,
  parsePersonalCode,
  personalCodeCheckDigit,
} from '../../../src/modules/persons/personal-code';

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
