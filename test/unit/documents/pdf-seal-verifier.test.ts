import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { ensureDevSeal } from '../../../src/documents/signing/dev-seal';
import { PadesSigner } from '../../../src/documents/signing/pades-signer';
import { SealStore } from '../../../src/documents/signing/seal-store';
import { checkPdfSeal } from '../../../src/documents/verification/pdf-seal-verifier';

/**
 * The verifier /verify trusts (issue 16): a document sealed with the development seal, then the
 * same bytes altered in each way the verifier must notice, each with its exact finding.
 */
describe('PAdES seal verifier', () => {
  let dir: string;
  let plain: Buffer;
  let sealed: Buffer;
  let signer: { subject: string; serial: string };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'civitas-verifier-'));
    ensureDevSeal({
      dir,
      municipalityCode: 'testa',
      municipalityName: 'Testa novads',
      passphrase: 'pw',
    });
    const d = await PDFDocument.create();
    d.addPage().drawText('Residence certificate 42', {
      font: await d.embedFont(StandardFonts.Helvetica),
      x: 50,
      y: 700,
    });
    plain = Buffer.from(await d.save());
    const out = await new PadesSigner(new SealStore(dir, 'pw')).seal(plain, {
      municipalityCode: 'testa',
      municipalityName: 'Testa novads',
      location: 'Tukums, LV',
      reason: 'Municipal e-seal',
      signingTime: new Date(),
    });
    sealed = out.pdf;
    signer = out.signer;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The CMS structure in /Contents as hex, without the placeholder's zero padding, and where it starts. */
  const cms = (pdf: Buffer) => {
    const text = pdf.toString('latin1');
    const m = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(text)!;
    const start = m.index + m[0].indexOf('<') + 1;
    const hex = m[1];
    // ContentInfo is a SEQUENCE with a two-byte length (30 82 hh ll).
    expect(hex.slice(0, 4).toLowerCase()).toBe('3082');
    const length = 4 + parseInt(hex.slice(4, 8), 16);
    return { start, hex: hex.slice(0, length * 2).toLowerCase() };
  };
  /** A copy of `pdf` with the hex digits at `at` (offset in the file) replaced. */
  const patch = (pdf: Buffer, at: number, hex: string) => {
    const copy = Buffer.from(pdf);
    copy.write(hex, at, 'latin1');
    return copy;
  };
  const nthIndex = (s: string, sub: string, n: number) => {
    let i = -1;
    for (let k = 0; k < n; k++) i = s.indexOf(sub, i + 1);
    return i;
  };

  it('finds a seal valid, covering the whole file, and names its signer', () => {
    expect(checkPdfSeal(sealed)).toEqual({
      status: 'valid',
      coversWholeFile: true,
      signerSubject: signer.subject,
      signerSerial: signer.serial,
    });
    expect(signer.subject).toBe('CN=Testa novads e-seal, O=Testa novads, C=LV');
    expect(signer.serial).toMatch(/^[0-9a-f]+$/);
  });

  it('reports a document without a seal as absent', () => {
    expect(checkPdfSeal(plain)).toEqual({ status: 'absent' });
  });

  it('refuses a document whose signed content changed by one byte', () => {
    const altered = Buffer.from(sealed);
    altered[sealed.indexOf('/MediaBox') + 1] ^= 0x20; // '/MediaBox' → '/mediaBox', in the signed part
    expect(sealed.indexOf('/MediaBox')).toBeLessThan(sealed.indexOf('/ByteRange'));
    expect(checkPdfSeal(altered)).toEqual({
      status: 'invalid',
      problem: 'document digest does not match',
      coversWholeFile: true,
    });
  });

  it('refuses a seal whose signature value was altered', () => {
    const { start, hex } = cms(sealed);
    const last = start + hex.length - 2;
    const flipped = (parseInt(hex.slice(-2), 16) ^ 1).toString(16).padStart(2, '0');
    expect(checkPdfSeal(patch(sealed, last, flipped))).toEqual({
      status: 'invalid',
      problem: 'signature does not verify',
      coversWholeFile: true,
    });
  });

  it('refuses content appended after sealing (an incremental update)', () => {
    const appended = Buffer.concat([
      sealed,
      Buffer.from('\n1 0 obj\n<< /Evil true >>\nendobj\n', 'latin1'),
    ]);
    expect(checkPdfSeal(appended)).toEqual({
      status: 'invalid',
      problem: 'content was added after sealing',
      coversWholeFile: false,
    });
  });

  it('refuses a seal that names a digest other than SHA-256', () => {
    const { start, hex } = cms(sealed);
    // The second SHA-256 identifier is the signer's digest algorithm (the first is in the SignedData set).
    const i = nthIndex(hex, '0609608648016503040201', 2);
    expect(i).toBeGreaterThan(0);
    const sha512 = patch(sealed, start + i + 20, '03');
    expect(checkPdfSeal(sha512)).toEqual({
      status: 'invalid',
      problem: 'unsupported digest algorithm',
      coversWholeFile: true,
    });
  });

  it('refuses a seal whose signer certificate is not the one embedded', () => {
    const { start, hex } = cms(sealed);
    // The serial appears in the embedded certificate first, then in the signer identifier.
    const i = nthIndex(hex, signer.serial, 2);
    expect(i).toBeGreaterThan(0);
    const flipped = (parseInt(hex.slice(i, i + 2), 16) ^ 0x10).toString(16).padStart(2, '0');
    expect(checkPdfSeal(patch(sealed, start + i, flipped))).toEqual({
      status: 'invalid',
      problem: 'signer certificate not embedded',
      coversWholeFile: true,
    });
  });

  it('refuses a seal without its signer certificate embedded', () => {
    const { start, hex } = cms(sealed);
    const info = forge.asn1.fromDer(forge.util.hexToBytes(hex));
    const signedData = ((info.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0]
      .value as forge.asn1.Asn1[];
    const at = signedData.findIndex(
      (n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0,
    );
    expect(at).toBeGreaterThan(0);
    signedData.splice(at, 1);
    const stripped = forge.util.bytesToHex(forge.asn1.toDer(info).getBytes());
    expect(stripped.length).toBeLessThan(hex.length);
    const withoutCert = patch(sealed, start, stripped.padEnd(hex.length, '0'));
    expect(checkPdfSeal(withoutCert)).toEqual({
      status: 'invalid',
      problem: 'signer certificate not embedded',
      coversWholeFile: true,
    });
  });

  describe('the byte range it reads', () => {
    /**
     * A file with a hole at [b, c) and a signature dictionary with this /ByteRange after it
     * (`array` as PDF writers may write it: no space after the name, runs of spaces).
     */
    const fake = (
      ranges: [number, number, number, number],
      hole: string,
      length: number,
      array = ` [${ranges.join(' ')}]`,
    ) => {
      const buf = Buffer.alloc(length, ' ');
      buf.write(hole, ranges[1], 'latin1');
      buf.write(`/ByteRange${array}`, Math.max(ranges[1] + hole.length, 0) + 1, 'latin1');
      return buf;
    };

    it('reads a well-formed range with a hex hole, even when it holds no signature', () => {
      const r = checkPdfSeal(fake([0, 10, 16, 84], '<00ff>', 100));
      expect(r.status).toBe('invalid');
      expect(r.problem).toMatch(/^unreadable signature: /);
      expect(r.coversWholeFile).toBe(true);
    });

    it.each([
      ['no space after the name', '[0 10 16 84]'],
      [
        'spaces inside the brackets and runs of spaces (a padded placeholder)',
        ' [ 0  10   16    84     ]',
      ],
    ])('reads a range written with %s', (_what, array) => {
      expect(checkPdfSeal(fake([0, 10, 16, 84], '<00ff>', 100, array)).problem).toMatch(
        /^unreadable signature: /,
      );
    });

    it.each([
      ['a range that does not start at 0', [1, 10, 16, 84], '<00ff>', 100],
      ['an empty first part', [0, 0, 6, 94], '<00ff>', 100],
      ['a hole that ends before it starts', [0, 10, 10, 90], '<00ff>', 100],
      ['a range past the end of the file', [0, 10, 16, 85], '<00ff>', 100],
      ['a hole without its brackets', [0, 10, 16, 84], ' 00ff ', 100],
      ['a hole that is not hex', [0, 10, 16, 84], '<00fg>', 100],
      ['a hole with a byte before its brackets', [0, 10, 17, 83], 'x<00ff>', 100],
      ['a hole with a byte after its brackets', [0, 10, 17, 83], '<00ff>x', 100],
    ] as const)('finds no seal in %s', (_what, ranges, hole, length) => {
      expect(checkPdfSeal(fake([...ranges], hole, length))).toEqual({ status: 'absent' });
    });

    it('reads the last signature dictionary, not the first', () => {
      const buf = fake([0, 10, 16, 84], '<00ff>', 100);
      const withLater = Buffer.concat([buf, Buffer.from(' /ByteRange [1 2 3 4]', 'latin1')]);
      expect(checkPdfSeal(withLater)).toEqual({ status: 'absent' });
    });
  });
});
