import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bicFromLatvianIban, ibanErrors, mod97 } from '../../../src/payments/iban';
import { cleanPayment } from '../../../src/payments/payment-input';
import { writePain001, type Pain001Tx } from '../../../src/payments/pain001';
import { lineOutcome, parsePain002 } from '../../../src/payments/pain002';
import { PAIN001_XSD, PAIN002_XSD, validateXml } from '../../../src/payments/payment-schema';
import { centsToDecimal, sepaText } from '../../../src/payments/sepa-text';
import { DomainError } from '../../../src/platform/errors/domain-error';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'payments');

describe('IBAN checks (ISO 7064 MOD 97-10)', () => {
  it('accepts the IBANs of the reference sample, with spaces and in lower case', () => {
    expect(ibanErrors('iban', 'LV80BANK0000435195001')).toEqual([]);
    expect(ibanErrors('iban', 'lv80 bank 0000 4351 9500 1')).toEqual([]);
    expect(ibanErrors('iban', 'DE89370400440532013000')).toEqual([]);
    expect(mod97('LV80BANK0000435195001')).toBe(1);
  });

  it.each([
    ['', 'payments:errors.ibanRequired'],
    ['LV80BANK000043519500!', 'payments:errors.ibanCharacters'],
    ['XX80BANK0000435195001', 'payments:errors.ibanCountry'],
    ['LV80BANK000043519500', 'payments:errors.ibanLength'],
    ['LV801234000043519500A', 'payments:errors.ibanBankCode'],
    ['LV81BANK0000435195001', 'payments:errors.ibanCheckDigits'],
    ['LV80BANK0000435195002', 'payments:errors.ibanCheckDigits'],
  ])('names what is wrong with %j', (iban, message) => {
    expect(ibanErrors('payee.iban', iban)).toEqual([
      expect.objectContaining({ field: 'payee.iban', message }),
    ]);
  });

  it('derives the BIC of a Latvian bank from the IBAN, and none for an unknown prefix', () => {
    expect(bicFromLatvianIban('LV97HABA0012345678910')).toBe('HABALV22');
    expect(bicFromLatvianIban('LV80BANK0000435195001')).toBeUndefined();
    expect(bicFromLatvianIban('DE89370400440532013000')).toBeUndefined();
  });

  it('refuses a payment request with every wrong field named at once', () => {
    let err: unknown;
    try {
      cleanPayment({
        municipalityId: 'm',
        caseId: 'c',
        key: 'gmi:2026-03',
        payee: { kind: 'resident', name: '', iban: 'LV81BANK0000435195001' },
        amountCents: 12.5,
        dueMonth: '2026-13',
        remittance: 'x',
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).fields.map((f) => f.field).sort()).toEqual(
      ['amountCents', 'dueMonth', 'payee.iban', 'payee.name'].sort(),
    );
  });
});

describe('payment texts in the Latin set Latvian banks accept', () => {
  it('keeps Latvian letters in domestic payments and transliterates them otherwise', () => {
    expect(sepaText('Jānis Bērziņš, Ķemeru iela 5', { keepLatvian: true, max: 140 })).toBe(
      'Jānis Bērziņš, Ķemeru iela 5',
    );
    expect(sepaText('Jānis Bērziņš, Ķemeru iela 5', { keepLatvian: false, max: 140 })).toBe(
      'Janis Berzins, Kemeru iela 5',
    );
    expect(sepaText('Γιώργος Παπαδόπουλος & Co; "x"', { keepLatvian: false, max: 140 })).toBe(
      'Giorgos Papadopoulos Co x',
    );
    expect(sepaText('a'.repeat(200), { keepLatvian: false, max: 140 })).toHaveLength(140);
  });

  it('writes cents as the schema decimal', () => {
    expect(centsToDecimal(12550)).toBe('125.50');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(12345678901n)).toBe('123456789.01');
  });
});

const HEADER = {
  msgId: 'PAY-202603-ABC',
  pmtInfId: 'PAY-202603-ABC-1',
  createdAt: new Date('2026-03-01T10:15:00Z'),
  requestedExecutionDate: '2026-03-02',
  debtor: {
    name: 'Tukuma novada pašvaldība',
    registrationNumber: '90000050138',
    iban: 'LV83BANK0000100000001',
    bic: 'BANKLV2X',
    country: 'LV',
  },
};
const tx = (i: number, over: Partial<Pain001Tx> = {}): Pain001Tx => ({
  endToEndId: `E2E${i}`,
  amountCents: 10000 + i,
  creditor: { name: 'Jānis Paraugs', iban: 'LV80BANK0000435195001', bic: null },
  remittance: `GMI 2026-03, lieta ${i}`,
  purposeCode: 'BENE',
  amkCode: i % 2 ? '211' : null,
  ekkCode: '6240',
  ultimateDebtorName: i === 0 ? 'Sociālais dienests' : null,
  ...over,
});
async function* batches(txs: Pain001Tx[]): AsyncIterable<Pain001Tx[]> {
  yield txs.slice(0, 2);
  yield txs.slice(2);
}
async function render(
  txs: Pain001Tx[],
  ctrlSum: bigint,
  letters: 'domestic' | 'never' = 'domestic',
) {
  let xml = '';
  await writePain001(
    { ...HEADER, nbOfTxs: txs.length, ctrlSumCents: ctrlSum },
    batches(txs),
    async (c) => {
      xml += c;
    },
    letters,
  );
  return xml;
}

describe('pain.001.001.03 against the official schema', () => {
  it('the generated file validates with xmllint, with SEPA, SLEV, totals and transliteration', async () => {
    const txs = [0, 1, 2, 3].map((i) => tx(i));
    txs[3] = tx(3, {
      creditor: { name: 'Jürgen Müller', iban: 'DE89370400440532013000', bic: null },
    });
    const sum = txs.reduce((s, t) => s + BigInt(t.amountCents), 0n);
    const xml = await render(txs, sum);
    const check = await validateXml(PAIN001_XSD, { data: Buffer.from(xml) });
    expect(check).toEqual({ valid: true, errors: [] });
    expect(xml).toMatch(/<SvcLvl>\s*<Cd>SEPA<\/Cd>\s*<\/SvcLvl>/);
    expect(xml).toContain('<ChrgBr>SLEV</ChrgBr>');
    expect(xml).toContain(`<CtrlSum>${centsToDecimal(sum)}</CtrlSum>`);
    expect(xml).toContain('<NbOfTxs>4</NbOfTxs>');
    expect(xml).toContain('<Nm>Jānis Paraugs</Nm>'); // domestic: Latvian letters kept
    expect(xml).toContain('<Nm>Jurgen Muller</Nm>'); // cross-border: transliterated
    expect(xml).toContain('<UltmtDbtr>');
    const never = await render(txs, sum, 'never');
    expect(never).toContain('<Nm>Janis Paraugs</Nm>');
  });

  it('a broken file does not validate (missing payment method, a negative amount)', async () => {
    const xml = await render([tx(1)], 10001n);
    const noMethod = xml.replace(/<PmtMtd>TRF<\/PmtMtd>/, '');
    expect((await validateXml(PAIN001_XSD, { data: Buffer.from(noMethod) })).valid).toBe(false);
    const badAmount = xml.replace('>100.01</InstdAmt>', '>-100.01</InstdAmt>');
    expect((await validateXml(PAIN001_XSD, { data: Buffer.from(badAmount) })).valid).toBe(false);
  });

  it('the reference sample validates, so the schema copy is the one NOTES.md describes', async () => {
    const sample = readFileSync(join(FIXTURES, 'sample-pain.001.xml'));
    expect((await validateXml(PAIN001_XSD, { data: sample })).valid).toBe(true);
  });
});

describe('pain.002.001.03 status reports', () => {
  it('reads the reference sample: the transaction rejected with AC04', async () => {
    const xml = readFileSync(join(FIXTURES, 'sample-pain.002.xml'));
    expect((await validateXml(PAIN002_XSD, { data: xml })).valid).toBe(true);
    const r = parsePain002(xml.toString('utf8'));
    expect(r.originalMsgId).toBe('MSG-20260301-0001');
    expect(r.payments[0].transactions).toEqual([
      {
        endToEndId: 'CASE-2026-000123',
        status: 'RJCT',
        reason: 'AC04',
        text: 'Creditor account closed',
      },
    ]);
    expect(lineOutcome('RJCT')).toBe('rejected');
    expect(lineOutcome('ACSC')).toBe('paid');
    expect(lineOutcome('PDNG')).toBeNull();
  });
});
