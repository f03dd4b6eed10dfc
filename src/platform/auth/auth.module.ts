import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { AccountsService } from '../accounts/accounts.service';
import { PasswordHasher } from '../accounts/password-hasher';
import { AccessGuard } from './access.guard';
import { AccountsAdminController } from './accounts-admin.controller';
import { AUTH_AUDIT, PlatformAuthAudit } from './auth-audit';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { DevIdp } from './dev-idp/dev-idp.service';
import { DirectoryService } from './directory/directory.service';
import { OidcClient } from './oidc-client.service';
import { SessionLayer } from './session.middleware';
import { Clock } from './clock';
import { DeviceCookie } from './device-cookie';
import { SignInLog } from './sign-in-log.service';
import { SignInThrottle } from './sign-in-throttle.service';
import { OtplibTotp, TOTP_ENGINE } from './two-factor/totp';
import { TwoFactorController } from './two-factor/two-factor.controller';
import { TwoFactorService } from './two-factor/two-factor.service';

/**
 * Accounts, sessions, sign-in (password, OIDC) and the deny-by-default access guard.
 * createApp must call configureAuth(app) (auth.setup.ts) for headers, the dev IdP and sessions.
 */
@Global()
@Module({
  controllers: [AuthController, TwoFactorController, AccountsAdminController],
  providers: [
    Clock,
    DeviceCookie,
    SignInThrottle,
    TwoFactorService,
    { provide: TOTP_ENGINE, useValue: new OtplibTotp() },
    PasswordHasher,
    AccountsService,
    AuthService,
    DirectoryService,
    SignInLog,
    OidcClient,
    SessionLayer,
    {
      provide: DevIdp,
      inject: [APP_CONFIG],
      useFactory: (c: AppConfig) => (c.DEV_IDP_ENABLED ? new DevIdp(c) : null),
    },
    { provide: AUTH_AUDIT, useClass: PlatformAuthAudit },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [
    AccountsService,
    AuthService,
    DirectoryService,
    PasswordHasher,
    SessionLayer,
    Clock,
    TwoFactorService,
    SignInThrottle,
  ],
})
export class AuthModule {}
