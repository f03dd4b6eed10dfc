import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1');

const pgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// connection URL' });

/**
 * Every environment variable Civitas reads, with its default and what it must look like.
 * Nothing outside src/config touches process.env.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.string().url({ message: 'expected an absolute URL such as http://localhost:3000' }).default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_LOCALE: z.enum(['lv', 'en', 'el']).default('lv'),

  DATABASE_URL: pgUrl.default('postgres://civitas_app@127.0.0.1:5432/civitas'),
  DATABASE_OWNER_URL: pgUrl.default('postgres://civitas_owner@127.0.0.1:5432/civitas'),
  /** Superuser/maintenance connection used only by setup scripts and tests to create roles and databases. */
  DATABASE_ADMIN_URL: pgUrl.default('postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),

  ENGINE: z.enum(['dbos', 'temporal'], { message: 'expected dbos or temporal' }).default('dbos'),
  ENGINE_APP_VERSION: z.string().min(1).default('civitas-1'),
  /** DBOS executor id: stable per app instance across restarts (on launch it recovers its own pending runs); unique per instance. */
  ENGINE_EXECUTOR_ID: z.string().regex(/^[\w.-]{1,64}$/, { message: 'expected letters, digits, dot, dash or underscore' }).default('local'),
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('civitas'),

  SESSION_SECRET: z.string().min(32, { message: 'expected at least 32 characters' }).default('dev-only-session-secret-change-me-0123456789'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  SECURE_COOKIES: bool.default(false),

  DEV_IDP_ENABLED: bool.default(true),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().default('civitas'),
  OIDC_CLIENT_SECRET: z.string().default('dev-only-oidc-secret'),

  SMTP_URL: z.string().regex(/^smtps?:\/\//, { message: 'expected smtp://host:port' }).default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().default('Civitas <no-reply@civitas.local>'),

  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  PDF_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(2),
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  SEAL_DIR: z.string().default('var/seal'),

  DATA_DIR: z.string().default('var'),
  SIMULATOR_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(100_000),
});

export type AppConfig = z.infer<typeof configSchema>;
