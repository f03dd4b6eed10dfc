import { ConfigError, loadConfig } from '../../../src/config/config';

describe('configuration', () => {
  it('fills every default for an empty environment', () => {
    const c = loadConfig({});
    expect(c.ENGINE).toBe('dbos');
    expect(c.PORT).toBe(3000);
    expect(c.DEFAULT_LOCALE).toBe('lv');
  });

  it('stops with a message naming the variable and what is expected', () => {
    expect(() => loadConfig({ ENGINE: 'camunda' })).toThrow(/ENGINE: expected dbos or temporal \(got "camunda"\)/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: expected a postgres/);
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
    expect(() => loadConfig({ WEB_PROCESSES: '2' })).toThrow(/WEB_PROCESSES: more than 1 needs DEV_IDP_ENABLED=false \(got 2\)/);
    expect(loadConfig({ WEB_PROCESSES: '2', DEV_IDP_ENABLED: 'false' }).WEB_PROCESSES).toBe(2);
    expect(() => loadConfig({ WEB_PROCESSES: '0' })).toThrow(/WEB_PROCESSES: expected 1 or more/);
  });
});
