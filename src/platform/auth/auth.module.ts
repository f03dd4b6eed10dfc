import { Global, Inject, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
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
import { OidcClient } from './oidc-client.service';
import { SessionLayer } from './session.middleware';
import { SignInLog } from './sign-in-log.service';
import { signInRateLimiter } from './sign-in-rate-limit';

/**
 * Accounts, sessions, sign-in (password, OIDC) and the deny-by-default access guard.
 * createApp must call configureAuth(app) (auth.setup.ts) for headers, the dev IdP and sessions.
 */
@Global()
@Module({
  controllers: [AuthController, AccountsAdminController],
  providers: [
    PasswordHasher,
    AccountsService,
    AuthService,
    SignInLog,
    OidcClient,
    SessionLayer,
    { provide: DevIdp, inject: [APP_CONFIG], useFactory: (c: AppConfig) => (c.DEV_IDP_ENABLED ? new DevIdp(c) : null) },
    { provide: AUTH_AUDIT, useClass: PlatformAuthAudit },
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AccountsService, AuthService, PasswordHasher, SessionLayer],
})
export class AuthModule implements NestModule {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(signInRateLimiter(this.config, 'password')).forRoutes({ path: 'auth/sign-in', method: RequestMethod.POST });
    consumer.apply(signInRateLimiter(this.config, 'oidc')).forRoutes({ path: 'auth/oidc/callback', method: RequestMethod.GET });
  }
}
