import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for secrets the app must read back (a TOTP key, a directory service password). The key
 * is derived by HKDF from the configured material with a purpose label, so each use has its own key.
 * Stored form: `v1:<iv>:<tag>:<ciphertext>` (base64).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(material: string, purpose: string) {
    this.key = Buffer.from(hkdfSync('sha256', material, 'civitas', purpose, 32));
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([c.update(secret, 'utf8'), c.final()]);
    return [
      'v1',
      iv.toString('base64'),
      c.getAuthTag().toString('base64'),
      body.toString('base64'),
    ].join(':');
  }

  decrypt(stored: string): string {
    const [, iv, tag, body] = stored.split(':');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
  }
}
