import { PDFDocument, StandardFonts } from 'pdf-lib';
import forge from 'node-forge';
import { ensureDevSeal } from '../../../src/documents/signing/dev-seal';
import { PadesSigner } from '../../../src/documents/signing/pades-signer';
import { SealStore } from '../../../src/documents/signing/seal-store';
import { checkPdfSeal } from '../../../src/documents/verification/pdf-seal-verifier';
import { DomainError, ErrorCode } from '../../../src/platform/errors/domain-error';
import { createSealFixture, pdfsig, PASSPHRASE } from './support';

async function onePagePdf(): Promise<Buffer> {
  const d = await PDFDocument.create();
  const page = d.addPage();
  page.drawText('Residence certificate 42', {
    font: await d.embedFont(StandardFonts.Helvetica),
    x: 50,
    y: 700,
  });
  return Buffer.from(await d.save());
}

const request = (code: string) => ({
  municipalityCode: code,
  municipalityName: 'Testa novads',
  location: 'Tukums, LV',
  reason: 'Municipal e-seal',
  signingTime: new Date(),
});

describe('PAdES e-seal', () => {
  let fx: Awaited<ReturnType<typeof createSealFixture>>;
  let signer: PadesSigner;
  beforeAll(async () => {
    fx = await createSealFixture('testa');
    signer = new PadesSigner(new SealStore(fx.dir, PASSPHRASE));
  });
  afterAll(() => fx.cleanup());

  it('produces a signature pdfsig reports as valid and trusted, with ETSI.CAdES.detached', async () => {
    const sealed = await signer.seal(await onePagePdf(), request('testa'));
    const report = await pdfsig(fx.nssDir, sealed.pdf);
    expect(report).toContain('Signature is Valid');
    expect(report).toContain('Certificate is Trusted');
    // The claimed signing time comes from the signature dictionary's /M entry.
    expect(report).toMatch(/Signing Time: \w+ \d+ \d{4}/);
    expect(report).toContain('ETSI.CAdES.detached');
    expect(report).toContain('Total document signed');
    expect(sealed.signer.subject).toContain('CN=Testa novads e-seal');
    expect(checkPdfSeal(sealed.pdf)).toEqual({
      status: 'valid',
      coversWholeFile: true,
      signerSubject: sealed.signer.subject,
      signerSerial: sealed.signer.serial,
    });
  });

  it('embeds the signing-certificate-v2 attribute with the seal certificate hash', async () => {
    const sealed = await signer.seal(await onePagePdf(), request('testa'));
    const text = sealed.pdf.toString('latin1');
    let hex = /\/Contents\s*<([0-9A-Fa-f]+)>/.exec(text)![1];
    while (hex.endsWith('00')) hex = hex.slice(0, -2); // the placeholder's zero padding
    const cms = forge.asn1.fromDer(forge.util.hexToBytes(hex));
    const derHex = forge.util.bytesToHex(forge.asn1.toDer(cms).getBytes());
    // OID 1.2.840.113549.1.9.16.2.47 encoded
    expect(derHex).toContain('060b2a864886f70d010910022f');
    const p7 = forge.pkcs7.messageFromAsn1(cms) as forge.pkcs7.PkcsSignedData;
    const seal = p7.certificates.find(
      (c) => c.subject.getField('CN').value === 'Testa novads e-seal',
    )!;
    const certHash = forge.md.sha256
      .create()
      .update(forge.asn1.toDer(forge.pki.certificateToAsn1(seal)).getBytes())
      .digest()
      .toHex();
    expect(derHex).toContain(certHash);
  });

  it('changing one byte of the signed content breaks the signature', async () => {
    const sealed = await signer.seal(await onePagePdf(), request('testa'));
    const tampered = Buffer.from(sealed.pdf);
    const at = tampered.indexOf('/MediaBox') + 3;
    tampered[at] = tampered[at] ^ 0x01;
    const report = await pdfsig(fx.nssDir, tampered);
    expect(report).not.toContain('Signature is Valid');
    expect(report).toMatch(/Digest Mismatch|Signature is Invalid/);
  });

  it('refuses to seal when the municipality has no seal file', async () => {
    await expect(signer.seal(await onePagePdf(), request('nosuch'))).rejects.toMatchObject({
      code: ErrorCode.Misconfigured,
      params: expect.objectContaining({ key: 'documents:seal.missing' }),
    });
  });

  it('refuses to seal with an expired certificate', async () => {
    ensureDevSeal({
      dir: fx.dir,
      municipalityCode: 'expired',
      municipalityName: 'Vecais novads',
      passphrase: PASSPHRASE,
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2021-01-01'),
    });
    const err = await signer.seal(await onePagePdf(), request('expired')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).params).toMatchObject({
      key: 'documents:seal.expired',
      notAfter: '2021-01-01T00:00:00.000Z',
    });
  });

  it('refuses a seal file it cannot open with the configured passphrase', () => {
    const wrong = new PadesSigner(new SealStore(fx.dir, 'wrong-passphrase'));
    expect(() => wrong.assertSealUsable('testa', new Date())).toThrow(/documents:seal.unreadable/);
  });
});
