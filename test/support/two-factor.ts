import type { INestApplication } from '@nestjs/common';
import { Clock } from '../../src/platform/auth/clock';
import { TOTP_ENGINE, type TotpEngine } from '../../src/platform/auth/two-factor/totp';
import { TwoFactorService } from '../../src/platform/auth/two-factor/two-factor.service';

/** Enrols an account's authenticator directly (as the enrolment page would) and returns what a phone would hold. */
export async function enrolTotp(
  app: INestApplication,
  accountId: string,
): Promise<{ secret: string; recoveryCodes: string[]; codeAt: (at: Date) => string }> {
  const service = app.get(TwoFactorService);
  const engine = app.get<TotpEngine>(TOTP_ENGINE);
  const { secret } = await service.start(accountId, 'test');
  const recoveryCodes = await service.confirm(
    accountId,
    engine.generate(secret, app.get(Clock).now()),
  );
  return { secret, recoveryCodes, codeAt: (at) => engine.generate(secret, at) };
}
