import { createPrivateKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

/** A municipality's e-seal, unpacked once from its PKCS#12 file. */
export interface SealMaterial {
  key: KeyObject;
  certificate: forge.pki.Certificate;
  certificateDer: Buffer;
  /** Issuing CA certificates found in the same file (embedded in each signature). */
  chainDer: Buffer[];
  subject: string;
  /** Serial number, lowercase hex. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
}

const certDer = (c: forge.pki.Certificate): Buffer =>
  Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');

/** RFC 4514-style subject; forge leaves UTF8String values as UTF-8 byte strings, so decode them. */
export const distinguishedName = (attrs: forge.pki.CertificateField[]): string =>
  attrs
    .map((a) => {
      const raw = String(a.value);
      const value =
        (a.valueTagClass as number | undefined) === forge.asn1.Type.UTF8
          ? forge.util.decodeUtf8(raw)
          : raw;
      return `${a.shortName ?? a.name ?? a.type}=${value}`;
    })
    .join(', ');

/** Parses a PKCS#12 file; throws a plain Error when it cannot be opened or holds no matching pair. */
export function parsePkcs12(p12: Buffer, passphrase: string): SealMaterial {
  const p12Asn1 = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  const parsed = forge.pkcs12.pkcs12FromAsn1(p12Asn1, false, passphrase);
  const certs = (parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => !!c);
  const keyBag = parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
    forge.pki.oids.pkcs8ShroudedKeyBag
  ]?.[0];
  const privateKey = keyBag?.key as forge.pki.rsa.PrivateKey | undefined;
  if (!privateKey) throw new Error('no encrypted private key in the PKCS#12 file');
  const certificate = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n.compareTo(privateKey.n) === 0 && pub.e.compareTo(privateKey.e) === 0;
  });
  if (!certificate) throw new Error('no certificate in the PKCS#12 file matches its private key');
  return {
    key: createPrivateKey(forge.pki.privateKeyToPem(privateKey)),
    certificate,
    certificateDer: certDer(certificate),
    chainDer: certs.filter((c) => c !== certificate).map(certDer),
    subject: distinguishedName(certificate.subject.attributes),
    serial: certificate.serialNumber.toLowerCase(),
    notBefore: certificate.validity.notBefore,
    notAfter: certificate.validity.notAfter,
  };
}
