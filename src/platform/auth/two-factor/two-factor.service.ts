import { createHash, randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../../../config/config';
import { DomainError, ErrorCode } from '../../errors/domain-error';
import { Clock } from '../clock';
import { SecretBox } from '../secret-box';
import { TOTP_ENGINE, type TotpEngine } from './totp';

const ISSUER = 'Civitas';
const RECOVERY_CODES = 10;
/** Base32's letters and digits (no 0, 1, 8, 9: nothing to confuse with O, I, B, g). */
const RECOVERY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** What the enrolment page shows: the key to type, the URI and its QR code. */
export interface Enrolment {
  secret: string;
  uri: string;
  qrDataUrl: string;
}

/**
 * Staff second factor: TOTP enrolment (confirmed with a code), verification with replay refused
 * (a code is accepted once: the last accepted time step is stored and must grow), and one-use
 * recovery codes kept as SHA-256 hashes (they are random, 50 bits: a slow hash adds nothing).
 * The secret is stored encrypted (AES-256-GCM) and never logged.
 */
@Injectable()
export class TwoFactorService {
  private readonly box: SecretBox;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
    @Inject(TOTP_ENGINE) private readonly totp: TotpEngine,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const material = config.TOTP_ENCRYPTION_KEY ?? config.SESSION_SECRET;
    this.box = new SecretBox(material, 'totp-secret-encryption');
  }

  async isEnrolled(accountId: string): Promise<boolean> {
    const rows: unknown[] = await this.ds.query(
      `SELECT 1 FROM staff_totp WHERE account_id = $1 AND enabled_at IS NOT NULL`,
      [accountId],
    );
    return rows.length > 0;
  }

  /** A new secret for an account without a confirmed one (replacing an unconfirmed one). */
  async start(accountId: string, accountName: string): Promise<Enrolment> {
    if (await this.isEnrolled(accountId))
      throw new DomainError(ErrorCode.AlreadyDone, 'second factor already set up', [
        { field: 'code', message: 'auth:twoFactor.alreadyEnrolled' },
      ]);
    const secret = this.totp.generateSecret();
    await this.ds.query(
      `INSERT INTO staff_totp (account_id, secret_encrypted) VALUES ($1, $2)
       ON CONFLICT (account_id) DO UPDATE SET secret_encrypted = EXCLUDED.secret_encrypted, last_step = NULL, recovery_hashes = '{}', created_at = now()
       WHERE staff_totp.enabled_at IS NULL`,
      [accountId, this.encrypt(secret)],
    );
    return this.enrolment(secret, accountName);
  }

  /** The unconfirmed enrolment again (after a wrong code), or null. */
  async pending(accountId: string, accountName: string): Promise<Enrolment | null> {
    const [row] = (await this.ds.query(
      `SELECT secret_encrypted FROM staff_totp WHERE account_id = $1 AND enabled_at IS NULL`,
      [accountId],
    )) as { secret_encrypted: string }[];
    return row ? this.enrolment(this.decrypt(row.secret_encrypted), accountName) : null;
  }

  /** Confirms the enrolment with a code from the app; returns the recovery codes (shown once). */
  async confirm(accountId: string, code: string): Promise<string[]> {
    const [row] = (await this.ds.query(
      `SELECT secret_encrypted FROM staff_totp WHERE account_id = $1 AND enabled_at IS NULL`,
      [accountId],
    )) as { secret_encrypted: string }[];
    if (!row)
      throw new DomainError(ErrorCode.Conflict, 'no enrolment to confirm', [
        { field: 'code', message: 'auth:twoFactor.noEnrolment' },
      ]);
    const step = this.totp.matchStep(
      code.replace(/\s/g, ''),
      this.decrypt(row.secret_encrypted),
      this.clock.now(),
    );
    if (step === null)
      throw DomainError.validation([{ field: 'code', message: 'auth:twoFactor.wrongCode' }]);
    const codes = Array.from({ length: RECOVERY_CODES }, () => {
      const c = Array.from(
        { length: 10 },
        () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)],
      ).join('');
      return `${c.slice(0, 5)}-${c.slice(5)}`;
    });
    await this.ds.query(
      `UPDATE staff_totp SET enabled_at = $2, last_step = $3, recovery_hashes = $4 WHERE account_id = $1 AND enabled_at IS NULL`,
      [accountId, this.clock.now(), step, codes.map(hashRecovery)],
    );
    return codes;
  }

  /** A current one-time code not used before, or an unused recovery code (used up by this). */
  async verify(accountId: string, code: string): Promise<boolean> {
    if (/^\d{6}$/.test(code)) {
      const [row] = (await this.ds.query(
        `SELECT secret_encrypted FROM staff_totp WHERE account_id = $1 AND enabled_at IS NOT NULL`,
        [accountId],
      )) as { secret_encrypted: string }[];
      if (!row) return false;
      const step = this.totp.matchStep(code, this.decrypt(row.secret_encrypted), this.clock.now());
      if (step === null) return false;
      // Atomic: of two requests with the same code only one moves last_step forward.
      const [, n]: [unknown[], number] = await this.ds.query(
        `UPDATE staff_totp SET last_step = $2 WHERE account_id = $1 AND enabled_at IS NOT NULL AND (last_step IS NULL OR last_step < $2)`,
        [accountId, step],
      );
      return n === 1;
    }
    const [, n]: [unknown[], number] = await this.ds.query(
      `UPDATE staff_totp SET recovery_hashes = array_remove(recovery_hashes, $2) WHERE account_id = $1 AND enabled_at IS NOT NULL AND $2 = ANY(recovery_hashes)`,
      [accountId, hashRecovery(code)],
    );
    return n === 1;
  }

  async recoveryCodesLeft(accountId: string): Promise<number> {
    const [row] = (await this.ds.query(
      `SELECT cardinality(recovery_hashes) AS n FROM staff_totp WHERE account_id = $1 AND enabled_at IS NOT NULL`,
      [accountId],
    )) as { n: number }[];
    return row?.n ?? 0;
  }

  private async enrolment(secret: string, accountName: string): Promise<Enrolment> {
    const uri = this.totp.keyUri(accountName, ISSUER, secret);
    return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
  }

  private encrypt(secret: string): string {
    return this.box.encrypt(secret);
  }

  private decrypt(stored: string): string {
    return this.box.decrypt(stored);
  }
}

const hashRecovery = (code: string): string =>
  createHash('sha256')
    .update(code.toUpperCase().replace(/[^A-Z2-7]/g, ''))
    .digest('hex');
