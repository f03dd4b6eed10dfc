import { createHash, createPublicKey, verify as rsaVerify } from 'node:crypto';
import forge from 'node-forge';
import { distinguishedName } from '../signing/seal-material';

export type SealStatus = 'valid' | 'invalid' | 'absent';

export interface SealCheck {
  status: SealStatus;
  /** Why a seal is invalid (for logs and tests; the public page shows only the status). */
  problem?: string;
  signerSubject?: string;
  signerSerial?: string;
  /** The signed revision covers the whole file: nothing was appended after sealing. */
  coversWholeFile?: boolean;
}

type Asn1 = forge.asn1.Asn1;
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

const children = (a: Asn1): Asn1[] => (Array.isArray(a.value) ? a.value : []);
const bytes = (a: Asn1): Buffer => Buffer.from(a.value as string, 'binary');
const der = (a: Asn1): Buffer => Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary');

/** The last /ByteRange and its /Contents hole, as written by @signpdf. */
function locateSignature(pdf: Buffer): { ranges: number[]; contents: Buffer } | null {
  const text = pdf.toString('latin1');
  const all = [...text.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)];
  const last = all.at(-1);
  if (!last) return null;
  const ranges = last.slice(1, 5).map(Number);
  const [a, b, c, d] = ranges;
  if (a !== 0 || b <= 0 || c <= b || c + d > pdf.length) return null;
  const hole = pdf.subarray(b, c).toString('latin1');
  if (!/^<[0-9A-Fa-f]*>$/.test(hole)) return null;
  return { ranges, contents: Buffer.from(hole.slice(1, -1), 'hex') };
}

/**
 * Checks a PAdES seal without trusting the PDF reader: the CMS signature over the signed
 * attributes, the message digest over the byte range, and that the range covers the whole file.
 * Trust in the signer is decided by the caller (the certificate recorded for the document).
 */
export function checkPdfSeal(pdf: Buffer): SealCheck {
  const sig = locateSignature(pdf);
  if (!sig) return { status: 'absent' };
  const [a, b, c, d] = sig.ranges;
  const coversWholeFile = c + d === pdf.length;
  try {
    // The /Contents hole is zero-padded after the DER structure.
    const fromDer = forge.asn1.fromDer as unknown as (
      b: forge.util.ByteStringBuffer,
      o: object,
    ) => Asn1;
    const contentInfo = fromDer(forge.util.createBuffer(sig.contents.toString('binary')), {
      strict: false,
      parseAllBytes: false,
    });
    const signedData = children(children(contentInfo)[1])[0];
    const sd = children(signedData);
    const certsNode = sd.find(
      (n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0,
    );
    const signerInfo = children(sd[sd.length - 1])[0];
    const si = children(signerInfo);
    const [, sid, digestAlg, signedAttrs, , signature] = si;
    if (forge.asn1.derToOid(children(digestAlg)[0].value as string) !== OID_SHA256) {
      return { status: 'invalid', problem: 'unsupported digest algorithm', coversWholeFile };
    }
    const serialHex = bytes(children(sid)[1]).toString('hex');
    const certs = certsNode ? children(certsNode) : [];
    const signerCertAsn1 = certs.find((cert) => {
      const tbs = children(children(cert)[0]);
      const serial = tbs[0].tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? tbs[1] : tbs[0];
      return bytes(serial).toString('hex') === serialHex;
    });
    if (!signerCertAsn1)
      return { status: 'invalid', problem: 'signer certificate not embedded', coversWholeFile };
    const certificate = forge.pki.certificateFromAsn1(signerCertAsn1);

    const digest = createHash('sha256')
      .update(pdf.subarray(a, a + b))
      .update(pdf.subarray(c, c + d))
      .digest();
    const md = children(signedAttrs).find(
      (attr) => forge.asn1.derToOid(children(attr)[0].value as string) === OID_MESSAGE_DIGEST,
    );
    if (!md || !bytes(children(children(md)[1])[0]).equals(digest)) {
      return { status: 'invalid', problem: 'document digest does not match', coversWholeFile };
    }
    // The signature covers the attributes re-tagged from [0] IMPLICIT to SET.
    const attrsDer = der(signedAttrs);
    attrsDer[0] = 0x31;
    const publicKey = createPublicKey(forge.pki.publicKeyToPem(certificate.publicKey));
    if (!rsaVerify('sha256', attrsDer, publicKey, bytes(signature))) {
      return { status: 'invalid', problem: 'signature does not verify', coversWholeFile };
    }
    if (!coversWholeFile)
      return { status: 'invalid', problem: 'content was added after sealing', coversWholeFile };
    return {
      status: 'valid',
      coversWholeFile,
      signerSubject: distinguishedName(certificate.subject.attributes),
      signerSerial: certificate.serialNumber.toLowerCase(),
    };
  } catch (e) {
    return {
      status: 'invalid',
      problem: `unreadable signature: ${(e as Error).message}`,
      coversWholeFile,
    };
  }
}
