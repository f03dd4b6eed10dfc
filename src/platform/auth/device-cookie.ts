import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { Clock } from './clock';

export const DEVICE_COOKIE = 'civitas_device';
const LIFETIME_DAYS = 90;

/**
 * OWASP's "device cookie": a browser where an account signed in successfully gets a signed
 * cookie naming (by HMAC) that account name. Attempts for that name from that browser are not
 * held back by the address limit, so a flood from the same NAT or proxy does not shut out staff
 * who have signed in there before. The account's own delay still applies.
 */
@Injectable()
export class DeviceCookie {
  private readonly key: Buffer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.key = Buffer.from(
      hkdfSync('sha256', config.SESSION_SECRET, 'civitas', 'sign-in-device-cookie', 32),
    );
  }

  issue(res: Response, identifier: string): void {
    const expires = Math.floor(this.clock.now().getTime() / 1000) + LIFETIME_DAYS * 86_400;
    res.cookie(DEVICE_COOKIE, `${expires}.${this.mac(identifier, expires)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.SECURE_COOKIES,
      path: '/auth',
      maxAge: LIFETIME_DAYS * 86_400_000,
    });
  }

  /** True when this browser holds a valid, unexpired device cookie for this account name. */
  trusted(req: Request, identifier: string): boolean {
    const value = (req as Request & { cookies?: Record<string, string> }).cookies?.[DEVICE_COOKIE];
    if (typeof value !== 'string' || !identifier) return false;
    const dot = value.indexOf('.');
    const expires = Number(value.slice(0, dot));
    if (dot < 0 || !Number.isInteger(expires) || expires * 1000 < this.clock.now().getTime())
      return false;
    const given = Buffer.from(value.slice(dot + 1));
    const want = Buffer.from(this.mac(identifier, expires));
    return given.length === want.length && timingSafeEqual(given, want);
  }

  private mac(identifier: string, expires: number): string {
    return createHmac('sha256', this.key)
      .update(`${identifier.trim().toLowerCase()}|${expires}`)
      .digest('base64url');
  }
}
