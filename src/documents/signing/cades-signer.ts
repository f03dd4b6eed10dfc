import { createHash, sign as rsaSign } from 'node:crypto';
import { Signer } from '@signpdf/utils';
import forge from 'node-forge';
import type { SealMaterial } from './seal-material';

const { asn1 } = forge;
const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  /** id-aa-signingCertificateV2 (RFC 5035). */
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
} as const;

type Asn1 = forge.asn1.Asn1;
const U = asn1.Class.UNIVERSAL;
const seq = (v: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SEQUENCE, true, v);
const set = (v: Asn1[]): Asn1 => asn1.create(U, asn1.Type.SET, true, v);
const oid = (o: string): Asn1 => asn1.create(U, asn1.Type.OID, false, asn1.oidToDer(o).getBytes());
const int = (n: number): Asn1 =>
  asn1.create(U, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (b: Buffer): Asn1 =>
  asn1.create(U, asn1.Type.OCTETSTRING, false, b.toString('binary'));
const nul = (): Asn1 => asn1.create(U, asn1.Type.NULL, false, '');
const der = (a: Asn1): Buffer => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
const fromDer = (b: Buffer): Asn1 => asn1.fromDer(forge.util.createBuffer(b.toString('binary')));
const attribute = (type: string, value: Asn1): Asn1 => seq([oid(type), set([value])]);
const sha256 = (b: Buffer): Buffer => createHash('sha256').update(b).digest();

/** Issuer Name and serial INTEGER exactly as encoded in the certificate (no re-encoding). */
function issuerAndSerial(certDer: Buffer): { issuer: Asn1; serial: Asn1 } {
  const tbs = (fromDer(certDer).value as Asn1[])[0].value as Asn1[];
  const hasVersion = tbs[0].tagClass === asn1.Class.CONTEXT_SPECIFIC;
  const base = hasVersion ? 1 : 0;
  return { serial: tbs[base], issuer: tbs[base + 2] };
}

/**
 * ESS signing-certificate-v2 (RFC 5035): binds the signature to the seal certificate by hash, as
 * PAdES-B-B requires. SHA-256 is the DEFAULT hash algorithm, so DER omits it.
 */
function signingCertificateV2(certDer: Buffer): Asn1 {
  const { issuer, serial } = issuerAndSerial(certDer);
  const directoryName = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 4, true, [fromDer(der(issuer))]);
  const issuerSerial = seq([seq([directoryName]), fromDer(der(serial))]);
  const essCertIdV2 = seq([octets(sha256(certDer)), issuerSerial]);
  return seq([seq([essCertIdV2])]);
}

/** DER SET OF: elements sorted by their encodings. */
function derSetOf(items: Asn1[]): Buffer[] {
  return items.map(der).sort(Buffer.compare);
}

/**
 * A CMS (CAdES) detached signer for @signpdf/signpdf. Unlike the stock P12Signer it adds the
 * signing-certificate-v2 attribute. The claimed signing time goes in the signature dictionary's
 * /M entry (set by the placeholder), not in a CMS signing-time attribute, which PAdES baseline
 * signatures must not carry (ETSI EN 319 142-1).
 */
export class CadesSigner extends Signer {
  constructor(private readonly seal: SealMaterial) {
    super();
  }

  override async sign(content: Buffer): Promise<Buffer> {
    const { certificateDer, chainDer, key } = this.seal;
    const attrs = derSetOf([
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.messageDigest, octets(sha256(content))),
      attribute(OID.signingCertificateV2, signingCertificateV2(certificateDer)),
    ]);
    // The signature covers the attributes encoded as a SET (tag 0x31)...
    const setDer = der(set(attrs.map(fromDer)));
    const signature = rsaSign('sha256', setDer, key);
    // ...and they are stored as [0] IMPLICIT.
    const signedAttrs = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs.map(fromDer));
    const { issuer, serial } = issuerAndSerial(certificateDer);
    const digestAlg = seq([oid(OID.sha256), nul()]);
    const signerInfo = seq([
      int(1),
      seq([issuer, serial]),
      digestAlg,
      signedAttrs,
      seq([oid(OID.rsaEncryption), nul()]),
      octets(signature),
    ]);
    const certificates = asn1.create(
      asn1.Class.CONTEXT_SPECIFIC,
      0,
      true,
      [certificateDer, ...chainDer].map(fromDer),
    );
    const signedData = seq([
      int(1),
      set([seq([oid(OID.sha256), nul()])]),
      seq([oid(OID.data)]),
      certificates,
      set([signerInfo]),
    ]);
    const contentInfo = seq([
      oid(OID.signedData),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]),
    ]);
    return der(contentInfo);
  }
}
