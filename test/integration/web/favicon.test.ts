import { startApp, type RunningApp } from '../../support/app';

describe('favicon (D27)', () => {
  let s: RunningApp;
  beforeAll(async () => {
    s = await startApp();
  });
  afterAll(() => s.close());

  it('answers the browser’s unprompted /favicon.ico with an icon', async () => {
    const res = await fetch(`${s.url}/favicon.ico`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/(x-icon|vnd\.microsoft\.icon)/);
    const ico = Buffer.from(await res.arrayBuffer());
    // ICONDIR: reserved 0, type 1 (icon), then at least one image; the images are PNGs.
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    expect(ico.readUInt16LE(4)).toBeGreaterThan(0);
    const firstImage = ico.readUInt32LE(6 + 12);
    expect(ico.subarray(firstImage, firstImage + 8).toString('latin1')).toBe('\x89PNG\r\n\x1a\n');
  });

  it('links the icons from every page of the layout, and each link answers', async () => {
    const html = await (await fetch(`${s.url}/`)).text();
    const links = [...html.matchAll(/<link rel="icon" href="([^"]+)"(?: [^>]*)?>/g)].map(
      (m) => m[1],
    );
    expect(links).toEqual(['/favicon.ico', '/favicon.svg']);
    const svg = await fetch(`${s.url}/favicon.svg`);
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await svg.text()).toContain('fill="#1d4f91"');
  });
});
