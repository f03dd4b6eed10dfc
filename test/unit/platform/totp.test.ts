import { OtplibTotp } from '../../../src/platform/auth/two-factor/totp';

// RFC 6238 appendix B, SHA-1 key "12345678901234567890" (base32 below); 6-digit codes are the last six digits.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const at = (seconds: number): Date => new Date(seconds * 1000);

describe('TOTP (RFC 6238)', () => {
  const totp = new OtplibTotp();

  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1111111111, '050471'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('gives the RFC test vector at %i s', (t, code) => {
    expect(totp.generate(SECRET, at(t))).toBe(code);
  });

  it('matches a code of the step before or after, and names the step; nothing further', () => {
    const now = at(1234567890);
    expect(totp.matchStep('005924', SECRET, now)).toBe(Math.floor(1234567890 / 30));
    expect(totp.matchStep(totp.generate(SECRET, at(1234567890 - 30)), SECRET, now)).toBe(
      Math.floor(1234567890 / 30) - 1,
    );
    expect(totp.matchStep(totp.generate(SECRET, at(1234567890 + 30)), SECRET, now)).toBe(
      Math.floor(1234567890 / 30) + 1,
    );
    expect(totp.matchStep(totp.generate(SECRET, at(1234567890 - 90)), SECRET, now)).toBeNull();
    expect(totp.matchStep('12345', SECRET, now)).toBeNull();
    expect(totp.matchStep('abcdef', SECRET, now)).toBeNull();
  });

  it('makes 160-bit base32 secrets and an otpauth URI authenticator apps read (SHA-1, 6 digits, 30 s are the format’s defaults)', () => {
    const s = totp.generateSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.keyUri('admin.tukums', 'Civitas', s)).toBe(
      `otpauth://totp/Civitas:admin.tukums?secret=${s}&issuer=Civitas`,
    );
  });
});
