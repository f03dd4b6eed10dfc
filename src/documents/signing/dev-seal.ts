import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';
import { parsePkcs12 } from './seal-material';

export interface DevSealOptions {
  dir: string;
  municipalityCode: string;
  municipalityName: string;
  country?: string;
  passphrase: string;
  /** Validity of the seal certificate; defaults to now − 1 day … now + 2 years. */
  notBefore?: Date;
  notAfter?: Date;
  /** Replace an existing seal file even if it is still valid. */
  force?: boolean;
}

export interface DevSealResult {
  caCertPath: string;
  sealPath: string;
  created: { ca: boolean; seal: boolean };
}

const DAY = 86_400_000;
export const DEV_CA_CERT = 'dev-ca.crt.pem';
const DEV_CA_KEY = 'dev-ca.key.pem';

function newKeys(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // PEM straight from the generation: exporting the generated key object afterwards can deadlock
  // Node 20 when a GC frees the generation job meanwhile (see dev-idp.service.ts).
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'pkcs1', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey);
  return { privateKey: key, publicKey: forge.pki.setRsaPublicKey(key.n, key.e) };
}

const serial = (): string => `01${randomBytes(15).toString('hex')}`;

function loadOrCreateCa(
  dir: string,
  passphrase: string,
): { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey; created: boolean } {
  const certPath = join(dir, DEV_CA_CERT);
  const keyPath = join(dir, DEV_CA_KEY);
  if (existsSync(certPath) && existsSync(keyPath)) {
    const cert = forge.pki.certificateFromPem(readFileSync(certPath, 'utf8'));
    const key = forge.pki.decryptRsaPrivateKey(readFileSync(keyPath, 'utf8'), passphrase);
    if (key && cert.validity.notAfter.getTime() > Date.now() + 30 * DAY)
      return { cert, key, created: false };
  }
  const { privateKey, publicKey } = newKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * DAY);
  const name = [
    { name: 'commonName', value: 'Civitas Development CA (not for production)' },
    { name: 'organizationName', value: 'Civitas development' },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(privateKey, forge.md.sha256.create());
  writeFileSync(certPath, forge.pki.certificateToPem(cert));
  writeFileSync(
    keyPath,
    forge.pki.encryptRsaPrivateKey(privateKey, passphrase, { algorithm: 'aes256' }),
    { mode: 0o600 },
  );
  return { cert, key: privateKey, created: true };
}

/**
 * Development and test only: a CA and a municipality e-seal certificate signed by it, written as
 * <dir>/<code>.p12 (key encrypted with the passphrase) plus the CA certificate to trust.
 * Idempotent: an existing, readable, unexpired seal is kept.
 */
export function ensureDevSeal(o: DevSealOptions): DevSealResult {
  mkdirSync(o.dir, { recursive: true, mode: 0o700 });
  const sealPath = join(o.dir, `${o.municipalityCode}.p12`);
  const ca = loadOrCreateCa(o.dir, o.passphrase);
  const caCertPath = join(o.dir, DEV_CA_CERT);
  if (!o.force && !ca.created && existsSync(sealPath)) {
    try {
      const seal = parsePkcs12(readFileSync(sealPath), o.passphrase);
      if (seal.notAfter.getTime() > Date.now())
        return { caCertPath, sealPath, created: { ca: false, seal: false } };
    } catch {
      // unreadable: replace below
    }
  }
  const { privateKey, publicKey } = newKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = o.notBefore ?? new Date(Date.now() - DAY);
  cert.validity.notAfter = o.notAfter ?? new Date(Date.now() + 2 * 365 * DAY);
  // Without the UTF8String tag forge writes non-ASCII names as broken PrintableStrings.
  const utf8 = (value: string) => ({ value, valueTagClass: forge.asn1.Type.UTF8 as number });
  cert.setSubject([
    { name: 'commonName', ...utf8(`${o.municipalityName} e-seal`) },
    { name: 'organizationName', ...utf8(o.municipalityName) },
    { name: 'countryName', value: o.country ?? 'LV' },
  ]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(privateKey, [cert, ca.cert], o.passphrase, {
    algorithm: 'aes256',
    friendlyName: `${o.municipalityCode}-seal`,
  });
  writeFileSync(sealPath, Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary'), { mode: 0o600 });
  return { caCertPath, sealPath, created: { ca: ca.created, seal: true } };
}
