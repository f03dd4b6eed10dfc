import { Controller, Get, Module } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config/config';
import { Public } from '../../../src/platform/auth/access.decorators';
import { maskPersonalCodes, safeUrl } from '../../../src/platform/logging/redact';
import { signInStaff } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';

jest.setTimeout(120_000);

/**
 * Issue 12 L3: what the application logs for real requests holds no session cookie, password,
 * CSRF token or personal code, and a server error answers with a generic message and the request
 * id under which the details were logged.
 */
const CODE = '010190-12345';
const PASSWORD = 'correct-horse-battery-staple-9';
const INTERNAL = 'relation "secret_table" does not exist at 10.0.0.7:5432';

const lines: string[] = [];

/** A route that fails the way a bug would: an internal error naming internals and a personal code. */
@Controller('test-l3')
class FailingController {
  @Get('boom')
  @Public()
  boom(): never {
    throw new Error(`${INTERNAL} for ${CODE}`);
  }
}

@Module({ controllers: [FailingController] })
class FailingRoute {}

// The app writes its log lines to stdout, as in production; this test reads them there.
const realWrite = process.stdout.write.bind(process.stdout);

let app: NestExpressApplication;
let url: string;
let municipalityId: string;

beforeAll(async () => {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    NODE_ENV: 'test',
  });
  process.stdout.write = ((chunk: string | Uint8Array) => (
    lines.push(chunk.toString()),
    true
  )) as typeof process.stdout.write;
  app = await createApp(config, [FailingRoute]);
  await app.listen(0, '127.0.0.1');
  url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  municipalityId = (await createMunicipality(app, { name: 'Redaction' })).id;
});
afterAll(async () => {
  await app?.close();
  process.stdout.write = realWrite;
});

/** The log lines of one request id (the request log and anything logged under it). */
async function logged(requestId: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const mine = lines.filter((l) => l.includes(requestId));
    if (mine.some((l) => l.includes('"responseTime"'))) return mine.join('\n');
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`no request log for ${requestId} in:\n${lines.join('\n')}`);
}

describe('logs (issue 12 L3)', () => {
  it('hold no password, CSRF token, cookie or personal code of a real sign-in and look-up', async () => {
    const staff = await signInStaff(app, municipalityId, [
      { role: 'caseworker', process: 'residence-declaration' },
    ]);
    const before = lines.length;
    // A failed sign-in: the password and the CSRF token are in the body.
    const session = await fetch(`${url}/api/auth/session`);
    const cookie = session.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const { csrfToken } = (await session.json()) as { csrfToken: string };
    await fetch(`${url}/auth/sign-in`, {
      method: 'POST',
      headers: {
        cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'x-request-id': 'l3-sign-in',
      },
      body: new URLSearchParams({
        _csrf: csrfToken,
        username: staff.username,
        password: PASSWORD,
        municipalityId,
      }).toString(),
      redirect: 'manual',
    });
    // A personal code in the path and the query, a CSRF token in the query and the header, the session cookie.
    await fetch(
      `${url}/workspace/residence/persons/${CODE}?q=${CODE}&_csrf=${staff.csrf}&other=${CODE.replace('-', '')}`,
      {
        headers: { ...staff.headers, 'x-request-id': 'l3-look-up' },
        redirect: 'manual',
      },
    );
    // The same link followed signed out: the sign-in page's way back holds the code and token.
    await fetch(`${url}/workspace/residence/persons/${CODE}?_csrf=${staff.csrf}`, {
      headers: { 'x-request-id': 'l3-signed-out' },
      redirect: 'follow',
    });
    // A look-up with the code in the JSON body.
    await fetch(`${url}/api/persons/search`, {
      method: 'POST',
      headers: { ...staff.headers, 'content-type': 'application/json', 'x-request-id': 'l3-api' },
      body: JSON.stringify({ q: CODE, purpose: 'counter-service' }),
    });
    const text = [
      await logged('l3-sign-in'),
      await logged('l3-look-up'),
      await logged('l3-signed-out'),
      await logged('l3-api'),
      ...lines.slice(before),
    ].join('\n');
    expect(text).toContain('returnTo=');
    expect(text).toContain('/workspace/residence/persons/010190-*****');
    // The session cookies (not flags such as a language choice).
    const cookieValues = (c: string) =>
      c
        .split('; ')
        .map((kv) => kv.slice(kv.indexOf('=') + 1))
        .filter((v) => v.length >= 16);
    expect(cookieValues(staff.headers.cookie).length).toBeGreaterThan(0);
    for (const secret of [
      PASSWORD,
      csrfToken,
      staff.csrf,
      CODE,
      CODE.replace('-', ''),
      ...cookieValues(cookie),
      ...cookieValues(staff.headers.cookie),
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('answer a server error with a generic message and the request id; the details are logged under it, redacted', async () => {
    const json = await fetch(`${url}/test-l3/boom?lang=en`, {
      headers: { accept: 'application/json', 'x-request-id': 'l3-boom-json' },
    });
    expect(json.status).toBe(500);
    const body = (await json.json()) as Record<string, unknown>;
    expect(body).toEqual({
      error: 'internal',
      code: 'internal',
      message: 'An unexpected error occurred. It has been logged.',
      retryable: false,
      fields: [],
      requestId: 'l3-boom-json',
    });

    const page = await fetch(`${url}/test-l3/boom?lang=en`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(500);
    const html = await page.text();
    const id = page.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(html).toContain(`Request id: ${id}`);
    expect(html).toContain('An unexpected error occurred. It has been logged.');
    for (const leak of ['secret_table', '10.0.0.7', CODE, 'Error:'])
      expect(html).not.toContain(leak);

    const log = await logged(id);
    expect(log).toContain('secret_table');
    expect(log).toContain('"msg":"request failed"');
    expect(log).not.toContain(CODE);
    expect(log).toContain('010190-*****');
  });

  it('mask personal codes and drop secret query values in any URL or text', () => {
    expect(safeUrl(`/x/${CODE}?q=Bērziņš&_csrf=abc&page=2&code=xyz&n=01019012345`)).toBe(
      '/x/010190-*****?q=[Redacted]&_csrf=[Redacted]&page=2&code=[Redacted]&n=010190-*****',
    );
    expect(
      maskPersonalCodes(
        'ids 12345678901234 and 0101901234 stay; 010190%2D12345 and %2F01019012345%3F do not',
      ),
    ).toBe('ids 12345678901234 and 0101901234 stay; 010190-***** and %2F010190-*****%3F do not');
    // The way back after sign-in is a URL in the URL: its code and token are cleaned too.
    expect(
      safeUrl(
        `/auth/sign-in?returnTo=${encodeURIComponent(`/workspace/residence/persons/${CODE}?_csrf=abc`)}`,
      ),
    ).toBe(
      `/auth/sign-in?returnTo=${encodeURIComponent('/workspace/residence/persons/010190-*****?_csrf=[Redacted]')}`,
    );
  });
});
