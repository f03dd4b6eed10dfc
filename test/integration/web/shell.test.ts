import { startApp, type RunningApp } from '../../support/app';

describe('web shell', () => {
  let s: RunningApp;
  beforeAll(async () => {
    s = await startApp();
  });
  afterAll(() => s.close());

  it('serves the citizen portal home in Latvian by default', async () => {
    const res = await fetch(`${s.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="lv"');
    expect(html).toContain('Pašvaldības e-pakalpojumi');
    expect(html).toContain('govuk-skip-link');
  });

  it('switches language with ?lang= and remembers it in a cookie', async () => {
    const res = await fetch(`${s.url}/?lang=el`);
    const html = await res.text();
    expect(html).toContain('<html lang="el"');
    expect(html).toContain('Ηλεκτρονικές υπηρεσίες του δήμου');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/civitas_lang=el/);
    const again = await fetch(`${s.url}/`, { headers: { cookie: cookie.split(';')[0] } });
    expect(await again.text()).toContain('<html lang="el"');
  });

  it('follows Accept-Language when nothing was chosen', async () => {
    const res = await fetch(`${s.url}/`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(await res.text()).toContain('Municipal e-services');
  });

  it('renders a localized 404 page for browsers and JSON for the API', async () => {
    const page = await fetch(`${s.url}/no-such-page?lang=en`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('Page not found');
    const api = await fetch(`${s.url}/api/no-such-thing`, { headers: { 'accept-language': 'lv' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({
      error: 'not_found',
      message: 'Meklētais ieraksts vai lapa neeksistē.',
    });
  });
});
