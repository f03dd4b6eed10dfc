import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import draft7 from 'ajv/dist/refs/json-schema-draft-07.json';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/config';
import { configSchema } from '../../../src/config/config.schema';
import { APP_ROLE, ENGINE_ROLE, OWNER_ROLE } from '../../../src/platform/database/roles';

const root = join(__dirname, '..', '..', '..');
const read = (f: string): string => readFileSync(join(root, f), 'utf8');

/**
 * The Compose Specification schema as shipped in the dclint package (its update script downloads
 * compose-spec/compose-spec schema/compose-spec.json; MIT). Its exports map hides the file, so it
 * is read from the package directory.
 */
function composeValidator(): ValidateFunction {
  const dir = dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(
    readFileSync(join(dir, 'schemas', 'compose.schema.json'), 'utf8'),
  ) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // The schema names draft-07 by its https URL; Ajv knows the meta-schema by the http one.
  ajv.addMetaSchema({ ...draft7, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(schema);
}

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  configs?: { source: string; target: string }[];
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
}

// Compose allows YAML merge keys (<<), which the app, worker and migration use to share settings.
const compose = (): Compose => parse(read('docker-compose.yml'), { merge: true }) as Compose;

/** Resolves ${VAR:-default} the way Compose does when VAR is unset. */
const withDefaults = (v: string | number): string =>
  String(v).replace(/\$\{([A-Z0-9_]+):-([^}]*)\}/g, (_m, _name: string, def: string) => def);

describe('docker-compose.yml', () => {
  let validate: ValidateFunction;
  beforeAll(() => {
    validate = composeValidator();
  });

  it('is valid against the Compose Specification JSON schema', () => {
    const ok = validate(compose());
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('would be rejected by the schema with a misspelt key or an unknown depends_on condition', () => {
    const bad = compose();
    (bad.services.app as Record<string, unknown>).imagee = 'x';
    bad.services.worker.depends_on = { temporal: { condition: 'service_ready' } };
    expect(validate(bad)).toBe(false);
    const paths = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`).join('\n');
    expect(paths).toMatch(/\/services\/app must NOT have additional properties/);
    expect(paths).toMatch(
      /\/services\/worker\/depends_on\/temporal\/condition must be equal to one of the allowed values/,
    );
  });

  it('runs PostgreSQL 16, Temporal with its UI, the migration, the app on ENGINE=temporal and the worker', () => {
    const { services } = compose();
    expect(Object.keys(services).sort()).toEqual([
      'app',
      'migrate',
      'postgres',
      'temporal',
      'temporal-ui',
      'worker',
    ]);
    expect(services.postgres.image).toBe('postgres:16');
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:\d+\.\d+\.\d+$/);
    expect(services.temporal.environment).toMatchObject({
      DB: 'postgres12',
      POSTGRES_SEEDS: 'postgres',
    });
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:\d+\.\d+\.\d+$/);
    expect(services.app.environment?.ENGINE).toBe('temporal');
    expect(services.worker.environment?.ENGINE).toBe('temporal');
    expect(services.app.ports).toEqual(['3000:3000']);
    expect(services.app.build).toBe('.');
    expect(services.worker.image).toBe(services.app.image);
    expect(services.migrate.image).toBe(services.app.image);
    expect(services.worker.command).toEqual(['node', 'dist/src/worker.js']);
    expect(services.migrate.command).toEqual(['node', 'dist/src/cli.js', 'db:setup']);
    expect(services.app.command).toBeUndefined(); // the image's CMD: node dist/src/main.js
  });

  it('starts each service only after what it needs is healthy or done', () => {
    const { services } = compose();
    expect(services.postgres.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(services.temporal.healthcheck).toBeDefined();
    expect(services.app.healthcheck?.test.join(' ')).toMatch(/\/health/);
    expect(services.temporal.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    for (const s of ['app', 'worker']) {
      expect(services[s].depends_on).toEqual({
        migrate: { condition: 'service_completed_successfully' },
        temporal: { condition: 'service_healthy' },
      });
    }
  });

  it('gives the app and worker a valid Civitas configuration as the app role, and the superuser URL only to the migration', () => {
    const { services } = compose();
    const known = new Set(Object.keys(configSchema.shape));
    for (const name of ['app', 'worker', 'migrate']) {
      const env = Object.fromEntries(
        Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, withDefaults(v)]),
      );
      expect(Object.keys(env).filter((k) => !known.has(k))).toEqual([]);
      const config = loadConfig(env);
      expect(config.ENGINE).toBe('temporal');
      expect(new URL(config.DATABASE_URL).username).toBe(APP_ROLE);
      expect(new URL(config.DATABASE_URL).hostname).toBe('postgres');
      expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
    }
    expect(services.app.environment?.DATABASE_ADMIN_URL).toBeUndefined();
    expect(services.worker.environment?.DATABASE_ADMIN_URL).toBeUndefined();
    expect(services.migrate.environment?.DATABASE_ADMIN_URL).toMatch(/^postgres:\/\/postgres:/);
  });

  it('gives the owner URL to the migration only; the app and worker hold the app and engine roles (issue 12 M6)', () => {
    const { services } = compose();
    for (const name of ['app', 'worker']) {
      expect(services[name].environment?.DATABASE_OWNER_URL).toBeUndefined();
      const config = loadConfig(
        Object.fromEntries(
          Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, withDefaults(v)]),
        ),
      );
      expect(new URL(config.DATABASE_ENGINE_URL).username).toBe(ENGINE_ROLE);
    }
    expect(
      new URL(withDefaults(services.migrate.environment?.DATABASE_OWNER_URL ?? '')).username,
    ).toBe(OWNER_ROLE);
  });

  it('declares itself a demonstration (DEMO_MODE) and keeps the Temporal UI off the network', () => {
    const { services } = compose();
    for (const name of ['app', 'worker', 'migrate']) {
      expect(services[name].environment?.DEMO_MODE).toBe('true');
      const env = Object.fromEntries(
        Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, withDefaults(v)]),
      );
      // Without DEMO_MODE the same environment is refused: it uses the development IdP and secrets.
      expect(() => loadConfig({ ...env, DEMO_MODE: 'false' })).toThrow(
        /DEV_IDP_ENABLED: the development identity provider/,
      );
    }
    expect(services['temporal-ui'].ports).toEqual(['127.0.0.1:8080:8080']);
    for (const s of Object.values(services))
      for (const p of s.ports ?? [])
        expect(p === '3000:3000' || p.startsWith('127.0.0.1:')).toBe(true);
  });

  it('creates the three Civitas roles on first start with the same attributes db:setup would', () => {
    const c = compose();
    expect(c.services.postgres.configs).toEqual([
      { source: 'civitas-roles', target: '/docker-entrypoint-initdb.d/10-civitas-roles.sql' },
    ]);
    const sql = c.configs?.['civitas-roles'].content ?? '';
    expect(sql).toMatch(
      /CREATE ROLE civitas_app LOGIN PASSWORD '[^']+' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;/,
    );
    expect(sql).toMatch(
      /CREATE ROLE civitas_owner LOGIN PASSWORD '[^']+' NOSUPERUSER NOBYPASSRLS NOCREATEROLE CREATEDB;/,
    );
    expect(sql).toMatch(
      /CREATE ROLE civitas_engine LOGIN PASSWORD '[^']+' NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT;/,
    );
    const provision = read('src/platform/database/provision.ts');
    expect(provision).toContain(
      `'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB NOINHERIT'`,
    );
    expect(provision).toContain(`'LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE CREATEDB'`);
  });
});

describe('Dockerfile', () => {
  const lines = (): string[] =>
    read('Dockerfile')
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));

  it('builds in one node:24-bookworm-slim stage and runs in another, as a non-root user', () => {
    const l = lines();
    expect(l.filter((x) => x.startsWith('FROM '))).toEqual([
      'FROM node:24-bookworm-slim AS build',
      'FROM node:24-bookworm-slim AS runtime',
    ]);
    expect(l).toContain('RUN npm ci --no-audit --no-fund');
    expect(l.some((x) => /^RUN npm run build && npm prune --omit=dev/.test(x))).toBe(true);
    const users = l.filter((x) => x.startsWith('USER '));
    expect(users).toEqual(['USER node']);
    expect(l.indexOf('USER node')).toBeGreaterThan(
      l.findIndex((x) => x.startsWith('FROM node:24-bookworm-slim AS runtime')),
    );
    expect(l[l.length - 1]).toBe('CMD ["node", "dist/src/main.js"]');
  });

  it('runs in production with the development IdP off, so the image alone refuses development settings', () => {
    const env = Object.fromEntries(
      lines()
        .filter((x) => x.startsWith('ENV '))
        .flatMap((x) =>
          x
            .slice(4)
            .split(/\s+/)
            .filter((t) => t.includes('='))
            .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)]),
        ),
    ) as Record<string, string>;
    expect(env).toMatchObject({ NODE_ENV: 'production', DEV_IDP_ENABLED: 'false' });
    expect(env.DEMO_MODE).toBeUndefined();
    expect(() => loadConfig(env)).toThrow(/SESSION_SECRET: the development value/);
  });

  it('installs Chromium, DejaVu fonts and poppler-utils without recommends and cleans the apt lists', () => {
    const apt = lines().find((x) => x.includes('apt-get install')) ?? '';
    expect(apt).toMatch(/--no-install-recommends/);
    for (const p of ['chromium', 'fonts-dejavu-core', 'poppler-utils'])
      expect(apt.split(/\s+/)).toContain(p);
    expect(apt).toMatch(/rm -rf \/var\/lib\/apt\/lists\/\*/);
  });

  it('does not keep out of the build context what the build needs, and keeps node_modules and secrets out', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const needed of [
      'src',
      'workflows',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'nest-cli.json',
      'scripts',
    ]) {
      expect(ignored).not.toContain(needed);
    }
    for (const kept of ['node_modules', 'dist', '.git', '.env', '*.p12', '*.key'])
      expect(ignored).toContain(kept);
    // nest build emits the entry points the image and docker-compose.yml start.
    const nest = JSON.parse(read('nest-cli.json')) as { entryFile: string };
    expect(nest.entryFile).toBe('src/main');
    expect(JSON.parse(read('tsconfig.build.json')).compilerOptions.outDir).toBe('./dist');
  });
});
