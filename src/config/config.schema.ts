import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1');

const pgUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// connection URL' });

/**
 * Development values of the secrets: public (they are in this repository), so production refuses
 * them (loadConfig). The dev IdP's cookie keys are derived from SESSION_SECRET.
 */
export const DEV_SECRETS = {
  SESSION_SECRET: 'dev-only-session-secret-change-me-0123456789',
  OIDC_CLIENT_SECRET: 'dev-only-oidc-secret',
  SEAL_PASSPHRASE: 'dev-only-seal-passphrase',
} as const;

/**
 * Development passwords of the database roles (docker-compose.yml's defaults, each the role's
 * name): public, so production refuses a database URL that carries one (loadConfig).
 */
export const DEV_DATABASE_PASSWORDS = {
  DATABASE_URL: 'civitas_app',
  DATABASE_ENGINE_URL: 'civitas_engine',
  DATABASE_OWNER_URL: 'civitas_owner',
} as const;

/**
 * Every environment variable Civitas reads, with its default and what it must look like.
 * Nothing outside src/config touches process.env.
 */
export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /**
   * A demonstration installation: lets production run with the development IdP, simulators and
   * development secrets, and shows a banner on every page. Never for real data.
   */
  DEMO_MODE: bool.default(false),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** HTTP processes sharing PORT (node:cluster), e.g. one per core; each is an engine executor of its own. */
  WEB_PROCESSES: z.coerce
    .number()
    .int()
    .min(1, { message: 'expected 1 or more' })
    .max(64)
    .default(1),
  PUBLIC_URL: z
    .string()
    .url({ message: 'expected an absolute URL such as http://localhost:3000' })
    .default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** auto: readable lines when NODE_ENV=development and stdout is a terminal, JSON otherwise. */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  DEFAULT_LOCALE: z.enum(['lv', 'en', 'el']).default('lv'),

  /** The app role (civitas_app): every request; row-level security applies, no DDL. */
  DATABASE_URL: pgUrl.default('postgres://civitas_app@127.0.0.1:5432/civitas'),
  /**
   * The engine role (civitas_engine): DBOS's system tables (schema dbos) only. Unset: DATABASE_URL
   * with the user civitas_engine and no password.
   */
  DATABASE_ENGINE_URL: pgUrl.optional(),
  /** The schema owner (civitas_owner): migrations and the CLI only; the web process never uses it. */
  DATABASE_OWNER_URL: pgUrl.default('postgres://civitas_owner@127.0.0.1:5432/civitas'),
  /** Superuser/maintenance connection used only by setup scripts and tests to create roles and databases. */
  DATABASE_ADMIN_URL: pgUrl.default('postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),
  /** Connections of the engine's pool (DBOS system tables; one is held for its notifications); unset: DATABASE_POOL_SIZE. */
  DATABASE_ENGINE_POOL_SIZE: z.coerce.number().int().min(2).max(200).optional(),
  /**
   * How long a query waits for a free pooled connection before it fails (and an engine step is
   * retried) instead of waiting for ever; 0 = for ever.
   */
  DATABASE_POOL_WAIT_MS: z.coerce.number().int().min(0).default(60_000),
  /** Repeated queries as named prepared statements (src/platform/database/preparing-client.ts). */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),

  /**
   * system: real time. controllable: real time plus an offset that tests (or a training
   * installation) move forward so legal periods pass at once; refused in production, DBOS only.
   */
  CLOCK: z
    .enum(['system', 'controllable'], { message: 'expected system or controllable' })
    .default('system'),
  ENGINE: z.enum(['dbos', 'temporal'], { message: 'expected dbos or temporal' }).default('dbos'),
  ENGINE_APP_VERSION: z.string().min(1).default('civitas-1'),
  /** DBOS executor id: stable per app instance across restarts (on launch it recovers its own pending runs); unique per instance. */
  ENGINE_EXECUTOR_ID: z
    .string()
    .regex(/^[\w.-]{1,64}$/, { message: 'expected letters, digits, dot, dash or underscore' })
    .default('local'),
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('civitas'),

  SESSION_SECRET: z
    .string()
    .min(32, { message: 'expected at least 32 characters' })
    .default(DEV_SECRETS.SESSION_SECRET),
  /** Idle timeout, rolling; fractions allowed (tests use a few seconds). */
  SESSION_IDLE_MINUTES: z.coerce
    .number()
    .positive({ message: 'expected a positive number of minutes' })
    .default(30),
  /** Absolute session lifetime from sign-in, checked on every request; fractions allowed. */
  SESSION_ABSOLUTE_HOURS: z.coerce
    .number()
    .positive({ message: 'expected a positive number of hours' })
    .default(12),
  /** Failed sign-ins of one account name before each further try waits (30 s, doubling; SignInThrottle). */
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().min(1).default(5),
  /** Failed sign-ins from one client address (any usernames) per window, then 429 until the window ends. */
  SIGN_IN_IP_LIMIT: z.coerce.number().int().min(1).default(30),
  /** The window of the address limit; an account's count restarts after a window without failures. */
  SIGN_IN_RATE_WINDOW_MINUTES: z.coerce.number().positive().default(15),
  /** The longest an account name's delay grows to. */
  SIGN_IN_MAX_DELAY_SECONDS: z.coerce.number().int().min(1).default(900),
  /** Staff directory (LDAP): connect and per-operation timeout; past it the directory counts as unreachable. */
  DIRECTORY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** A directory session is checked against the directory again (disabled, groups) after this many minutes. */
  DIRECTORY_RECHECK_MINUTES: z.coerce.number().min(0).default(5),
  /** Administrators must enrol a one-time-code app before using administration routes. */
  ADMIN_TOTP_REQUIRED: bool.default(true),
  /** Key for the stored TOTP secrets (AES-256-GCM); unset: derived from SESSION_SECRET (rotating that then needs re-enrolment). */
  TOTP_ENCRYPTION_KEY: z
    .string()
    .min(32, { message: 'expected at least 32 characters' })
    .optional(),
  /** Secure cookies (HTTPS only). Unset: on in production, off otherwise (see loadConfig). */
  SECURE_COOKIES: bool.optional(),

  DEV_IDP_ENABLED: bool.default(true),
  OIDC_ISSUER: z.string().url().optional(),
  OIDC_CLIENT_ID: z.string().default('civitas'),
  OIDC_CLIENT_SECRET: z.string().default(DEV_SECRETS.OIDC_CLIENT_SECRET),

  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { message: 'expected smtp://host:port' })
    .default('smtp://127.0.0.1:2525'),
  MAIL_FROM: z.string().default('Civitas <no-reply@civitas.local>'),

  CHROMIUM_PATH: z.string().default('/usr/bin/chromium'),
  PDF_POOL_SIZE: z.coerce.number().int().min(1).max(16).default(2),
  PDF_RENDER_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  SEAL_DIR: z.string().default('var/seal'),
  /** Passphrase of the PKCS#12 seal files in SEAL_DIR (<municipality code>.p12); the key inside must be encrypted. */
  SEAL_PASSPHRASE: z.string().min(1).default(DEV_SECRETS.SEAL_PASSPHRASE),
  /** Largest PDF accepted by the public verification upload. */
  VERIFY_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  /** Uploaded PDFs are parsed in worker threads: how many at once (a few more wait, the rest get 503). */
  VERIFY_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  /** Time one worker may spend on a file (after it has started), then it is terminated and the file refused. */
  VERIFY_TIME_BUDGET_MS: z.coerce.number().int().min(10).default(5_000),
  /** Heap limit of one verification worker (V8 old generation); past it the file is refused. */
  VERIFY_WORKER_MEMORY_MB: z.coerce.number().int().min(16).max(4096).default(96),

  DATA_DIR: z.string().default('var'),
  SIMULATOR_PERSONS: z.coerce.number().int().min(0).max(1_000_000).default(100_000),
  /** Seed of the register simulators' synthetic population: same seed, same data. */
  SIMULATOR_SEED: z.coerce.number().int().min(0).max(2_147_483_647).default(20260101),
  /** Which adapters back the state register ports: the in-repo simulators or the real gateway. */
  REGISTERS: z
    .enum(['simulator', 'gateway'], { message: 'expected simulator or gateway' })
    .default('simulator'),
  REGISTER_GATEWAY_URL: z.string().url().optional(),
  REGISTER_GATEWAY_CERT_PATH: z.string().optional(),
  REGISTER_GATEWAY_SYSTEM_CODE: z.string().default('CIVITAS'),
  REGISTER_GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),

  // Legal deadlines and delivery (src/deadlines, src/delivery)
  /** How long a loaded working-day calendar is trusted before re-reading exceptions (other instances' edits). */
  CALENDAR_CACHE_SECONDS: z.coerce.number().int().min(0).default(300),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().min(0).default(30_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(6 * 3_600_000),
  DELIVERY_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Poll for due outbox messages not driven by a process (e.g. extension notices); 0 = off. */
  DELIVERY_POLL_MS: z.coerce.number().int().min(0).default(15_000),
  /**
   * Social assistance applications: `open` (default) takes applications online and at the counter,
   * each submitted one opening a `social-assistance` case; `off` answers every application page
   * "not open" (an installation that does not run the service yet). `preview` is the former name
   * of `open`, still accepted.
   */
  SOCIAL_ASSISTANCE_APPLICATIONS: z.enum(['open', 'off', 'preview']).default('open'),
  /**
   * Look every this many ms for municipalities whose daily award integrity check (deaths, moves,
   * the same benefit elsewhere) has not run today, and run it (IntegrityMonitorJob); 0 = off.
   */
  SOCIAL_ASSISTANCE_MONITOR_MS: z.coerce.number().int().min(0).default(3_600_000),
  /**
   * Look for social-assistance parameter versions dated inside awards in force and recalculate
   * those awards (AwardRecalculationJob) every this many ms; 0 = off.
   */
  SOCIAL_ASSISTANCE_RECALCULATION_MS: z.coerce.number().int().min(0).default(600_000),
  /** Read incoming e-address mail (DIV GetMessageList) every this many ms; 0 = off. Only with EADRESE_MODE=div. */
  INCOMING_MAIL_POLL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Sweep for open cases whose run was never recorded as started (CaseRunRecovery); 0 = off. */
  CASE_RUN_SWEEP_MS: z.coerce.number().int().min(0).default(60_000),
  /** How old such a case must be before the sweep starts its run (the start after commit goes first). */
  CASE_RUN_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  /** e-adrese gateway: the in-repo simulator (unit tests), or the DIV UnifiedService SOAP adapter (state gateway or the in-repo stand-in). */
  EADRESE_MODE: z
    .enum(['simulator', 'div'], { message: 'expected simulator or div' })
    .default('simulator'),
  /** UnifiedService.svc URL (HTTPS), from VDAA with the test or production certificate. */
  EADRESE_ENDPOINT: z.string().url().optional(),
  /** PKCS#12 with the connection's client certificate and key: mutual TLS, WS-Security and the envelope signature. */
  EADRESE_CERT_P12: z.string().optional(),
  EADRESE_CERT_PASSWORD: z.string().optional(),
  /** PEM file of the CA(s) that issued the gateway's TLS certificate; unset = the system's trust store. */
  EADRESE_SERVER_CA: z.string().optional(),
  /** Per-call timeout; a call that times out is retried by the outbox with the same sender reference. */
  EADRESE_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  /**
   * A send whose reply never came (timeout, reset, the app stopped mid-call) is sent again only
   * after this long without a DIV notification naming it (DIV cannot be asked by sender reference).
   */
  EADRESE_RESEND_AFTER_MS: z.coerce.number().int().min(0).default(600_000),
  /** Unconfirmed (INTERFACE.md §13.5): send attachments as MTOM parts (true) or inline base64 (false). */
  EADRESE_MTOM: bool.default(true),
  /** Unconfirmed (§13.4): "4 MB" as 4194304 (MiB) or 4000000 bytes: the inline limit and the section size. */
  EADRESE_SECTION_BYTES: z.coerce.number().int().min(1024).default(4_194_304),
  /** WS-Security signature: the policy's Basic256 suite means RSA-SHA1 (what a working client sends); sha256 if VDAA allows. */
  EADRESE_WSS_ALGORITHM: z
    .enum(['sha1', 'sha256'], { message: 'expected sha1 or sha256' })
    .default('sha1'),
  /** Unconfirmed (§13.2): a natural person's e-address; {code} is the personal code without the hyphen. */
  EADRESE_PERSON_ADDRESS: z
    .string()
    .regex(/\{code\}/, { message: 'expected a template with {code}' })
    .default('_PRIVATE@{code}'),
  /** Development: the DIV stand-in's web page; /dev/e-adrese sends a signed-in resident to their inbox there. */
  EADRESE_STANDIN_INBOX_URL: z.string().url().optional(),
  /** DocumentKindCode registered in DIV for the municipality's notices (DOC_EMPTY is always registered). */
  EADRESE_DOCUMENT_KIND: z.string().max(50).default('DOC_EMPTY'),
  /** Calls one machine API client may make per minute (per app instance), then 429 until the minute ends. */
  API_CLIENT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /**
   * Needy / low-income status sent to the property-tax department (social assistance awards): the
   * in-repo stand-in (development default, tests) or JSON over HTTP(S) to the department's system.
   */
  PROPERTY_TAX_MODE: z
    .enum(['simulator', 'http'], { message: 'expected simulator or http' })
    .default('simulator'),
  /** Where status messages are POSTed (PROPERTY_TAX_MODE=http). */
  PROPERTY_TAX_ENDPOINT: z.string().url().optional(),
  /** Bearer token for the department's system, if it asks for one. */
  PROPERTY_TAX_TOKEN: z.string().optional(),
  PROPERTY_TAX_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /**
   * Service status reporting to the state services platform (PSPP): the in-memory simulator (unit
   * tests, development default; production refuses it) or the JSON-over-HTTPS adapter (the platform
   * or the in-repo stand-in). The platform's interface is not public: see docs/integrations.md.
   */
  PSPP_MODE: z
    .enum(['simulator', 'http'], { message: 'expected simulator or http' })
    .default('simulator'),
  /** Where status reports are POSTed (https:// in production). */
  PSPP_ENDPOINT: z.string().url().optional(),
  /** Bearer token the platform issued to the municipality (unconfirmed: the platform's authentication). */
  PSPP_TOKEN: z.string().optional(),
  /** PKCS#12 for mutual TLS, if the platform asks for a client certificate; and its password. */
  PSPP_CLIENT_P12: z.string().optional(),
  PSPP_CLIENT_PASSWORD: z.string().optional(),
  /** PEM of the CA of the platform's TLS certificate (the stand-in's test CA); unset = system store. */
  PSPP_SERVER_CA: z.string().optional(),
  PSPP_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** The request header that carries the idempotency key (unconfirmed). */
  PSPP_IDEMPOTENCY_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, { message: 'expected an HTTP header name' })
    .default('Idempotency-Key'),
  /**
   * Service codes by process key, overriding the process manifests' defaults:
   * `residence-declaration=LV-1234,reference=LV-0001`.
   */
  PSPP_SERVICE_CODES: z
    .string()
    .regex(/^(\s*[a-z][a-z0-9-]*\s*=\s*[^,=\s]+\s*)(,\s*[a-z][a-z0-9-]*\s*=\s*[^,=\s]+\s*)*$|^$/, {
      message: 'expected process-key=CODE pairs separated by commas',
    })
    .default(''),
});

/** The validated configuration; SECURE_COOKIES (production default on) and DATABASE_ENGINE_URL are resolved. */
export type AppConfig = Omit<
  z.infer<typeof configSchema>,
  'SECURE_COOKIES' | 'DATABASE_ENGINE_URL'
> & {
  SECURE_COOKIES: boolean;
  DATABASE_ENGINE_URL: string;
};
