import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import type { DivCredentials } from './div-soap.client';

/** Reads the connection's PKCS#12 (key + certificate) and the gateway's CA into what the transport needs. */
export function loadDivCredentials(
  p12Path: string,
  password: string,
  serverCaPath?: string,
): DivCredentials {
  let pfx: Buffer;
  try {
    pfx = readFileSync(p12Path);
  } catch (err) {
    throw new DomainError(
      ErrorCode.Misconfigured,
      `EADRESE_CERT_P12: cannot read ${p12Path}: ${(err as Error).message}`,
    );
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(pfx.toString('binary')), password);
  } catch (err) {
    throw new DomainError(
      ErrorCode.Misconfigured,
      `EADRESE_CERT_P12: cannot open the PKCS#12 (wrong EADRESE_CERT_PASSWORD?): ${(err as Error).message}`,
    );
  }
  const key =
    p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[
      forge.pki.oids.pkcs8ShroudedKeyBag
    ]?.[0]?.key ?? p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag]?.[0]?.key;
  const cert = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]?.[0]?.cert;
  if (!key || !cert)
    throw new DomainError(
      ErrorCode.Misconfigured,
      'EADRESE_CERT_P12: the PKCS#12 must hold the private key and its certificate',
    );
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certPem: forge.pki.certificateToPem(cert),
    pfx,
    passphrase: password,
    serverCa: serverCaPath ? readFileSync(serverCaPath) : undefined,
  };
}
