import { freePort } from '../../support/built-app';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../../../src/app';
import { loadConfig, type AppConfig } from '../../../src/config/config';
import { AccountsService } from '../../../src/platform/accounts/accounts.service';
import { Clock } from '../../../src/platform/auth/clock';

export interface AuthApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  ds: DataSource;
  accounts: AccountsService;
  close(): Promise<void>;
}

/**
 * The real app on a port known before it starts, so PUBLIC_URL (and with it the dev IdP issuer and
 * the OIDC redirect URI) point at the app itself.
 */
export async function startAuthApp(
  overrides: Record<string, string> = {},
  extraModules: (Type | DynamicModule)[] = [],
): Promise<AuthApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    NODE_ENV: 'test',
    PUBLIC_URL: url,
    ...overrides,
  });
  const app = await createApp(config, extraModules);
  await app.listen(port, '127.0.0.1');
  const ds = app.get(DataSource);
  return { app, url, config, ds, accounts: app.get(AccountsService), close: () => app.close() };
}

/**
 * A browser stand-in: fetch with a cookie jar, never following redirects by itself, so tests see
 * each hop. Cookies are kept per name (host-only; the tests talk to one origin).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const headers = new Headers(init.headers);
    if (this.cookies.size)
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    if (!headers.has('accept')) headers.set('accept', 'text/html');
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        attrs.some(
          (a) => /^\s*expires=/i.test(a) && new Date(a.split('=')[1]).getTime() < Date.now(),
        ) || attrs.some((a) => /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  postForm(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.request(path, {
      method: 'POST',
      body: new URLSearchParams(form).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  /** Follows redirects (GET), returning the final response and every URL visited. */
  async follow(res: Response, max = 15): Promise<{ res: Response; visited: string[] }> {
    const visited: string[] = [];
    let current = res;
    for (let i = 0; i < max && current.status >= 300 && current.status < 400; i++) {
      const next = new URL(current.headers.get('location')!, current.url || this.base).href;
      visited.push(next);
      current = await this.get(next);
    }
    return { res: current, visited };
  }

  /** The CSRF token from a page's form. */
  async csrfFrom(path: string): Promise<string> {
    const html = await (await this.get(path)).text();
    return csrfIn(html);
  }

  get sid(): string | undefined {
    return this.cookies.get('civitas.sid');
  }
}

export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1];
}

export async function signIn(
  b: Browser,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<Response> {
  const token = await b.csrfFrom('/auth/sign-in');
  return b.postForm('/auth/sign-in', { _csrf: token, username, password, ...extra });
}

export interface MovableClock {
  now(): number;
  /** Moves the app's clock (sessions, sign-in limits, one-time codes) forward; nothing sleeps. */
  advance(ms: number): void;
}

/** The app's auth clock, running from the real time plus an offset the test moves forward. */
export function movableClock(a: AuthApp): MovableClock {
  let offset = 0;
  jest.spyOn(a.app.get(Clock), 'now').mockImplementation(() => new Date(Date.now() + offset));
  return {
    now: () => Date.now() + offset,
    advance: (ms) => {
      offset += ms;
    },
  };
}
