import { configSchema, DEV_DATABASE_PASSWORDS, DEV_SECRETS, type AppConfig } from './config.schema';
import { ENGINE_ROLE } from '../platform/database/roles';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once into a typed, validated object; names every wrong variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) =>
          `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`,
      ),
    );
  }
  const config: AppConfig = {
    ...parsed.data,
    SECURE_COOKIES: parsed.data.SECURE_COOKIES ?? parsed.data.NODE_ENV === 'production',
    DATABASE_ENGINE_URL: parsed.data.DATABASE_ENGINE_URL ?? engineUrlFrom(parsed.data.DATABASE_URL),
  };
  // The development identity provider keeps its sign-in state in the memory of one process.
  if (config.WEB_PROCESSES > 1 && config.DEV_IDP_ENABLED)
    throw new ConfigError([
      `WEB_PROCESSES: more than 1 needs DEV_IDP_ENABLED=false (got ${config.WEB_PROCESSES})`,
    ]);
  const problems: string[] = [];
  // Without an endpoint and a certificate every e-address delivery would dead-letter.
  if (config.EADRESE_MODE === 'div')
    for (const k of ['EADRESE_ENDPOINT', 'EADRESE_CERT_P12'] as const)
      if (!config[k])
        problems.push(`${k}: required when EADRESE_MODE=div (the real e-adrese adapter)`);
  if (
    config.EADRESE_MODE === 'div' &&
    config.EADRESE_ENDPOINT &&
    !config.EADRESE_ENDPOINT.startsWith('https://')
  )
    problems.push(
      'EADRESE_ENDPOINT: expected an https:// URL (the gateway is reached over mutual TLS)',
    );
  if (
    config.NODE_ENV === 'production' &&
    config.EADRESE_MODE === 'div' &&
    !config.EADRESE_CERT_PASSWORD
  )
    problems.push(
      'EADRESE_CERT_PASSWORD: required in production (the PKCS#12 key must be encrypted)',
    );
  // Without an endpoint every status report would dead-letter: refuse to start instead.
  if (config.PSPP_MODE === 'http' && !config.PSPP_ENDPOINT)
    problems.push('PSPP_ENDPOINT: required when PSPP_MODE=http (the services platform adapter)');
  if (
    config.NODE_ENV === 'production' &&
    config.PSPP_MODE === 'http' &&
    config.PSPP_ENDPOINT &&
    !config.PSPP_ENDPOINT.startsWith('https://')
  )
    problems.push('PSPP_ENDPOINT: expected an https:// URL in production');
  if (config.PROPERTY_TAX_MODE === 'http' && !config.PROPERTY_TAX_ENDPOINT)
    problems.push('PROPERTY_TAX_ENDPOINT: required when PROPERTY_TAX_MODE=http');
  if (config.CLOCK === 'controllable' && config.ENGINE === 'temporal')
    problems.push(
      'CLOCK: controllable works with ENGINE=dbos only (Temporal keeps workflow time on its server)',
    );
  const unsafe = developmentSettings(config);
  if (config.NODE_ENV === 'production' && !config.DEMO_MODE && unsafe.length)
    problems.push(
      ...unsafe.map((u) => `${u}: not allowed in production`),
      'DEMO_MODE: set DEMO_MODE=true only for a demonstration installation without real data',
    );
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * Settings that are fine on a developer's machine and unsafe with real data: public secrets, the
 * development identity provider (vouches for anyone), simulated registers and e-address, cookies
 * sent over plain HTTP. Each entry names the variable and why.
 */
export function developmentSettings(c: AppConfig): string[] {
  const out: string[] = [];
  for (const name of Object.keys(DEV_SECRETS) as (keyof typeof DEV_SECRETS)[])
    if (c[name] === DEV_SECRETS[name])
      out.push(
        `${name}: the development value (public, in the repository) is in use; set a secret of your own`,
      );
  for (const name of Object.keys(DEV_DATABASE_PASSWORDS) as (keyof typeof DEV_DATABASE_PASSWORDS)[])
    if (decodeURIComponent(new URL(c[name]).password) === DEV_DATABASE_PASSWORDS[name])
      out.push(
        `${name}: the development password (public, in docker-compose.yml) is in use; give the role a password of your own`,
      );
  if (c.DEV_IDP_ENABLED)
    out.push(
      'DEV_IDP_ENABLED: the development identity provider lets anyone sign in as anyone; set DEV_IDP_ENABLED=false',
    );
  if (c.REGISTERS === 'simulator')
    out.push('REGISTERS: the register simulators hold synthetic data; set REGISTERS=gateway');
  if (c.EADRESE_MODE === 'simulator')
    out.push('EADRESE_MODE: the e-adrese simulator delivers nothing; set EADRESE_MODE=div');
  if (c.PSPP_MODE === 'simulator')
    out.push('PSPP_MODE: the services-platform simulator reports nothing; set PSPP_MODE=http');
  if (!c.ADMIN_TOTP_REQUIRED)
    out.push(
      'ADMIN_TOTP_REQUIRED: administrators could work without a second factor; leave it unset or set it true',
    );
  if (c.CLOCK === 'controllable')
    out.push(
      'CLOCK: a controllable clock lets legal periods be skipped; leave it unset or set it to system',
    );
  if (!c.SECURE_COOKIES)
    out.push(
      'SECURE_COOKIES: cookies would be sent over plain HTTP; leave it unset or set it true',
    );
  return out;
}

/** The engine role's URL when none is given: the app's database and host, the user civitas_engine, no password. */
function engineUrlFrom(appUrl: string): string {
  const u = new URL(appUrl);
  u.username = ENGINE_ROLE;
  u.password = '';
  return u.toString();
}

/** The start-up warning of a demonstration installation (null when DEMO_MODE is off). */
export function demoModeWarning(c: AppConfig): string | null {
  if (!c.DEMO_MODE) return null;
  const unsafe = developmentSettings(c).map((u) => u.split(':')[0]);
  return `WARNING: DEMO_MODE=true: demonstration installation, not for real data${unsafe.length ? ` (development settings in use: ${unsafe.join(', ')})` : ''}`;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export type { AppConfig };
