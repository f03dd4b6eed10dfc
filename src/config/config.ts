import { configSchema, type AppConfig } from './config.schema';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once into a typed, validated object; names every wrong variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(cleaned[String(i.path[0])])})`),
    );
  }
  const config = parsed.data;
  // The development identity provider keeps its sign-in state in the memory of one process.
  if (config.WEB_PROCESSES > 1 && config.DEV_IDP_ENABLED)
    throw new ConfigError([`WEB_PROCESSES: more than 1 needs DEV_IDP_ENABLED=false (got ${config.WEB_PROCESSES})`]);
  // The real e-adrese adapter is a port: chosen but unreachable, every delivery would dead-letter.
  if (config.EADRESE_MODE === 'div') {
    const missing = (['EADRESE_ENDPOINT', 'EADRESE_CERT_P12'] as const).filter((k) => !config[k]);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when EADRESE_MODE=div (the real e-adrese adapter)`));
  }
  return Object.freeze(config);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
export type { AppConfig };
