import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { Document } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { NS, child, descendant, serialize, text } from '../div/div-xml';

/** A request the stand-in refuses, answered with a SOAP 1.2 fault (INTERFACE.md §9). */
export class StandInFault extends Error {
  constructor(
    readonly side: 'Sender' | 'Receiver',
    readonly code: string,
    reason: string,
  ) {
    super(reason);
  }
}

export interface SecurityPolicy {
  ca: X509Certificate;
  /** SHA-256 fingerprints of registered connection certificates; empty = any certificate the CA issued. */
  registered: Set<string>;
  endpoint: string;
  now: () => Date;
}

const pemOf = (b64: string): string =>
  `-----BEGIN CERTIFICATE-----\n${b64.replace(/\s/g, '').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;

function checkCertificate(cert: X509Certificate, policy: SecurityPolicy, where: string): void {
  if (!cert.checkIssued(policy.ca) || !cert.verify(policy.ca.publicKey))
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      `${where}: certificate not issued by the trusted CA`,
    );
  const now = policy.now().getTime();
  if (now > Date.parse(cert.validTo) || now < Date.parse(cert.validFrom))
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      `${where}: certificate expired or not yet valid (${cert.validFrom} – ${cert.validTo})`,
    );
  if (policy.registered.size && !policy.registered.has(cert.fingerprint256))
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.014',
      `${where}: certificate not registered to a connection`,
    );
}

/**
 * Mutual TLS: the client certificate must chain to the CA, be within its validity and be
 * registered. The server asks for a certificate but does not abort the handshake, so a wrong
 * one gets a SOAP fault that names the problem, as DIV's errors do.
 */
export function checkTlsClient(socket: TLSSocket, policy: SecurityPolicy): X509Certificate {
  const peer = socket.getPeerX509Certificate();
  if (!peer) throw new StandInFault('Sender', 'BL.AKL.PSL.013', 'TLS: no client certificate');
  checkCertificate(peer, policy, 'TLS client');
  return peer;
}

/**
 * WS-Security 1.1: a Timestamp within its window, an X.509 BinarySecurityToken equal to the TLS
 * client certificate, and a signature whose references cover Timestamp, wsa:To and Body.
 */
export function checkWsSecurity(
  doc: Document,
  tlsCert: X509Certificate,
  policy: SecurityPolicy,
): void {
  const env = doc.documentElement!;
  const header = child(env, NS.soap, 'Header');
  const body = child(env, NS.soap, 'Body');
  const security = header && child(header, NS.wsse, 'Security');
  if (!header || !body || !security)
    throw new StandInFault('Sender', 'BL.AKL.PSL.013', 'WS-Security: no Security header');
  const ts = child(security, NS.wsu, 'Timestamp');
  const created = Date.parse(text(ts && child(ts, NS.wsu, 'Created')) ?? '');
  const expires = Date.parse(text(ts && child(ts, NS.wsu, 'Expires')) ?? '');
  const now = policy.now().getTime();
  if (!ts || Number.isNaN(created) || Number.isNaN(expires))
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      'WS-Security: Timestamp with Created and Expires required',
    );
  if (now > expires || created > now + 300_000)
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      'WS-Security: the Timestamp is outside its validity window',
    );
  const bst = text(child(security, NS.wsse, 'BinarySecurityToken'));
  if (!bst)
    throw new StandInFault('Sender', 'BL.AKL.PSL.013', 'WS-Security: no X.509 BinarySecurityToken');
  const tokenCert = new X509Certificate(pemOf(bst));
  checkCertificate(tokenCert, policy, 'WS-Security token');
  if (tokenCert.fingerprint256 !== tlsCert.fingerprint256)
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      'WS-Security: the token is not the TLS client certificate',
    );
  const sig = child(security, NS.ds, 'Signature');
  if (!sig) throw new StandInFault('Sender', 'BL.AKL.PSL.013', 'WS-Security: no signature');
  const to = child(header, NS.wsa, 'To');
  if (text(to) !== policy.endpoint)
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      `WS-Addressing: To must be ${policy.endpoint}`,
    );
  const verifier = new SignedXml({ publicCert: pemOf(bst), getCertFromKeyInfo: () => null });
  verifier.loadSignature(serialize(sig));
  let ok = false;
  try {
    ok = verifier.checkSignature(serialize(doc));
  } catch (err) {
    throw new StandInFault(
      'Sender',
      'BL.AKL.PSL.013',
      `WS-Security: signature does not verify (${(err as Error).message})`,
    );
  }
  if (!ok)
    throw new StandInFault('Sender', 'BL.AKL.PSL.013', 'WS-Security: signature does not verify');
  const signedIds = new Set(verifier.getReferences().map((r) => (r.uri ?? '').replace(/^#/, '')));
  for (const [name, el] of [
    ['Timestamp', ts],
    ['wsa:To', to],
    ['Body', body],
  ] as const) {
    const id = el?.getAttributeNS(NS.wsu, 'Id') || el?.getAttribute('Id');
    if (!id || !signedIds.has(id))
      throw new StandInFault('Sender', 'BL.AKL.PSL.013', `WS-Security: ${name} is not signed`);
  }
  if (!descendant(header, NS.wsa, 'Action'))
    throw new StandInFault('Sender', 'BL.PSS.003', 'WS-Addressing: no Action');
}
