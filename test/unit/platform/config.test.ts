import { ConfigError, demoModeWarning, loadConfig } from '../../../src/config/config';
import { DEV_SECRETS } from '../../../src/config/config.schema';

describe('configuration', () => {
  it('fills every default for an empty environment', () => {
    const c = loadConfig({});
    expect(c.ENGINE).toBe('dbos');
    expect(c.PORT).toBe(3000);
    expect(c.DEFAULT_LOCALE).toBe('lv');
  });

  it('stops with a message naming the variable and what is expected', () => {
    expect(() => loadConfig({ ENGINE: 'camunda' })).toThrow(
      /ENGINE: expected dbos or temporal \(got "camunda"\)/,
    );
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(
      /DATABASE_URL: expected a postgres/,
    );
  });

  it('reports every wrong variable at once', () => {
    try {
      loadConfig({ ENGINE: 'x', SESSION_SECRET: 'short' });
      throw new Error('should have thrown');
    } catch (e) {
      expect((e as ConfigError).problems).toHaveLength(2);
    }
  });

  it('refuses several web processes while the development IdP (state in one process) is on', () => {
    expect(() => loadConfig({ WEB_PROCESSES: '2' })).toThrow(
      /WEB_PROCESSES: more than 1 needs DEV_IDP_ENABLED=false \(got 2\)/,
    );
    expect(loadConfig({ WEB_PROCESSES: '2', DEV_IDP_ENABLED: 'false' }).WEB_PROCESSES).toBe(2);
    expect(() => loadConfig({ WEB_PROCESSES: '0' })).toThrow(/WEB_PROCESSES: expected 1 or more/);
  });
});

describe('production configuration', () => {
  /** A production environment with every secret of its own and no development component. */
  const real = {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-real-session-secret-of-at-least-32-chars',
    OIDC_CLIENT_SECRET: 'a-real-oidc-client-secret',
    SEAL_PASSPHRASE: 'a-real-seal-passphrase',
    DEV_IDP_ENABLED: 'false',
    REGISTERS: 'gateway',
    EADRESE_MODE: 'div',
    EADRESE_ENDPOINT: 'https://div.example.lv/UnifiedService.svc',
    EADRESE_CERT_P12: '/etc/civitas/div-client.p12',
    EADRESE_CERT_PASSWORD: 'a-real-p12-password',
    PSPP_MODE: 'http',
    PSPP_ENDPOINT: 'https://pspp.example.lv/api/v1/service-status',
  };

  it('starts with secrets of its own, the real registers and e-adrese, and Secure cookies by default', () => {
    const c = loadConfig(real);
    expect(c.SECURE_COOKIES).toBe(true);
    expect(c.DEMO_MODE).toBe(false);
    expect(demoModeWarning(c)).toBeNull();
  });

  it.each([
    ['SESSION_SECRET', undefined, /SESSION_SECRET: the development value/],
    ['SESSION_SECRET', DEV_SECRETS.SESSION_SECRET, /SESSION_SECRET: the development value/],
    ['OIDC_CLIENT_SECRET', undefined, /OIDC_CLIENT_SECRET: the development value/],
    [
      'OIDC_CLIENT_SECRET',
      DEV_SECRETS.OIDC_CLIENT_SECRET,
      /OIDC_CLIENT_SECRET: the development value/,
    ],
    ['SEAL_PASSPHRASE', undefined, /SEAL_PASSPHRASE: the development value/],
    ['SEAL_PASSPHRASE', DEV_SECRETS.SEAL_PASSPHRASE, /SEAL_PASSPHRASE: the development value/],
    ['DEV_IDP_ENABLED', 'true', /DEV_IDP_ENABLED: the development identity provider/],
    ['DEV_IDP_ENABLED', undefined, /DEV_IDP_ENABLED: the development identity provider/],
    ['REGISTERS', 'simulator', /REGISTERS: the register simulators/],
    ['EADRESE_MODE', undefined, /EADRESE_MODE: the e-adrese simulator/],
    ['PSPP_MODE', undefined, /PSPP_MODE: the services-platform simulator/],
    ['SECURE_COOKIES', 'false', /SECURE_COOKIES: cookies would be sent over plain HTTP/],
    [
      'DATABASE_URL',
      'postgres://civitas_app:civitas_app@db:5432/civitas',
      /DATABASE_URL: the development password/,
    ],
    [
      'DATABASE_ENGINE_URL',
      'postgres://civitas_engine:civitas_engine@db:5432/civitas',
      /DATABASE_ENGINE_URL: the development password/,
    ],
    [
      'DATABASE_OWNER_URL',
      'postgres://civitas_owner:civitas_owner@db:5432/civitas',
      /DATABASE_OWNER_URL: the development password/,
    ],
    [
      'ADMIN_TOTP_REQUIRED',
      'false',
      /ADMIN_TOTP_REQUIRED: administrators could work without a second factor/,
    ],
    ['CLOCK', 'controllable', /CLOCK: a controllable clock lets legal periods be skipped/],
  ])('refuses to start with %s=%s unless DEMO_MODE', (name, value, message) => {
    const env: Record<string, string | undefined> = { ...real, [name]: value };
    expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig(env)).toThrow(/not allowed in production/);
    const demo = loadConfig({ ...env, DEMO_MODE: 'true' });
    expect(demo.DEMO_MODE).toBe(true);
    expect(demoModeWarning(demo)).toContain(name);
  });

  it('refuses the services-platform adapter without an endpoint, or over plain HTTP in production', () => {
    expect(() => loadConfig({ ...real, PSPP_ENDPOINT: undefined })).toThrow(
      /PSPP_ENDPOINT: required when PSPP_MODE=http/,
    );
    expect(() => loadConfig({ ...real, PSPP_ENDPOINT: 'http://pspp.example.lv/status' })).toThrow(
      /PSPP_ENDPOINT: expected an https:\/\/ URL in production/,
    );
    expect(() => loadConfig({ PSPP_SERVICE_CODES: 'residence-declaration' })).toThrow(
      /PSPP_SERVICE_CODES: expected process-key=CODE pairs/,
    );
  });

  it('refuses the controllable clock with Temporal, whose workflow time it cannot move', () => {
    expect(() => loadConfig({ CLOCK: 'controllable', ENGINE: 'temporal' })).toThrow(
      /CLOCK: controllable works with ENGINE=dbos only/,
    );
    expect(loadConfig({ CLOCK: 'controllable' }).CLOCK).toBe('controllable');
    expect(loadConfig({}).CLOCK).toBe('system');
  });

  it('lets a demonstration run on every development default, with a start-up warning naming them', () => {
    const c = loadConfig({ NODE_ENV: 'production', DEMO_MODE: 'true' });
    expect(c.DEV_IDP_ENABLED).toBe(true);
    expect(c.SECURE_COOKIES).toBe(true);
    expect(demoModeWarning(c)).toMatch(
      /^WARNING: DEMO_MODE=true: demonstration installation, not for real data \(development settings in use: SESSION_SECRET, OIDC_CLIENT_SECRET, SEAL_PASSPHRASE, DEV_IDP_ENABLED, REGISTERS, EADRESE_MODE, PSPP_MODE\)$/,
    );
  });

  it('takes database roles with passwords of their own, or none (certificate or peer authentication)', () => {
    const c = loadConfig({
      ...real,
      DATABASE_URL: 'postgres://civitas_app:s3cret@db:5432/civitas',
      DATABASE_ENGINE_URL: 'postgres://civitas_engine:0ther@db:5432/civitas',
    });
    expect(new URL(c.DATABASE_ENGINE_URL).password).toBe('0ther');
    expect(() =>
      loadConfig({ ...real, DATABASE_OWNER_URL: 'postgres://civitas_owner@db/civitas' }),
    ).not.toThrow();
  });

  it("puts the engine role on the app's database and host when DATABASE_ENGINE_URL is unset (no password)", () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://civitas_app:pw@db.example:6432/cases?sslmode=require',
    });
    expect(c.DATABASE_ENGINE_URL).toBe(
      'postgres://civitas_engine@db.example:6432/cases?sslmode=require',
    );
    expect(loadConfig({}).DATABASE_ENGINE_URL).toBe(
      'postgres://civitas_engine@127.0.0.1:5432/civitas',
    );
  });

  it('keeps development and test installs as they were (dev defaults, cookies not Secure)', () => {
    expect(loadConfig({}).SECURE_COOKIES).toBe(false);
    expect(loadConfig({ NODE_ENV: 'test' }).DEV_IDP_ENABLED).toBe(true);
  });
});
