import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module';
import type { AppConfig } from './config/config';
import { configureAuth } from './platform/auth/auth.setup';
import { assertRuntimeRoles } from './platform/database/runtime-roles';
import { I18nService } from './platform/i18n/i18n.service';
import { languageMiddleware } from './platform/i18n/language.middleware';
import { municipalityMiddleware } from './web/municipality.middleware';
import { ProcessRegistry } from './processes/process-registry';
import { staffMenuMiddleware } from './workspace/page-support';
import { bodyLimits } from './web/body-limits';
import { setUpViews } from './web/view-engine';

/** Builds the whole HTTP application; main.ts listens, tests call this directly. */
export async function createApp(
  config: AppConfig,
  extraModules: (Type | DynamicModule)[] = [],
): Promise<NestExpressApplication> {
  // Before anything connects: never serve requests as the owner, a superuser or a BYPASSRLS role.
  await assertRuntimeRoles(config);
  // abortOnError false: a missing or misconfigured port is thrown to the caller (main.ts names it and exits).
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, extraModules),
    {
      bufferLogs: true,
      abortOnError: false,
      bodyParser: false, // bodyLimits below parses, with each route's limit
    },
  );
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.use(cookieParser());
  configureAuth(app); // security headers, dev IdP, sessions, res.locals.user (read by the language middleware)
  app.use(languageMiddleware(config));
  app.use(municipalityMiddleware(app.get(DataSource)));
  app.use(staffMenuMiddleware(app.get(I18nService), app.get(ProcessRegistry)));
  // Small body limits per route (src/web/body-limits.ts): an oversized body is refused (413) before
  // it is read; uploads are read by their handlers only after the request is authorised.
  app.use(bodyLimits(config));
  setUpViews(app, app.get(I18nService));
  return app;
}
