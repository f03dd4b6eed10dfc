import { ProcessRegistry } from '../../../src/processes/process-registry';
import { staffMenuEntries } from '../../../src/workspace/page-support';
import { startApp, type RunningApp } from '../../support/app';
import { signInStaff } from '../../support/session';
import { createMunicipality } from '../../factories/municipalities';
import { type GrantSpec } from '../../factories/accounts';

jest.setTimeout(120_000);

let running: RunningApp;
beforeAll(async () => {
  running = await startApp({ DELIVERY_POLL_MS: '0' });
});
afterAll(() => running?.close());

const menuOf = (html: string): string[] => {
  const nav = /<nav class="moj-sub-navigation civitas-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '';
  return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
};

const USERS: [string, GrantSpec[]][] = [
  ['caseworker (all processes)', ['caseworker']],
  [
    'caseworker (residence declaration only)',
    [{ role: 'caseworker', process: 'residence-declaration' }],
  ],
  ['caseworker (reference process only)', [{ role: 'caseworker', process: 'reference' }]],
  ['manager', ['manager']],
  ['council secretary', ['council_secretary']],
  ['deputy', ['deputy']],
  ['administrator', ['administrator']],
];

describe.each([['LV'], ['GR']])('the staff menu in a %s municipality', (country) => {
  it.each(USERS)(
    'offers a %s exactly the features they may open, and each opens',
    async (_who, grants) => {
      const m = await createMunicipality(running.app, { country: country as 'LV' | 'GR' });
      const s = await signInStaff(running.app, m.id, grants);
      const home = await s.agent.get('/workspace?lang=en');
      expect(home.status).toBe(200);
      const menu = menuOf(home.text);
      expect(menu[0]).toBe('/workspace');
      for (const entry of staffMenuEntries(running.app.get(ProcessRegistry))) {
        const res = await s.agent.get(`${entry.href}?lang=en`).redirects(2);
        const opens = res.status === 200;
        // In the menu if and only if it opens; nothing that opens is missing from the menu.
        expect({ href: entry.href, inMenu: menu.includes(entry.href) }).toEqual({
          href: entry.href,
          inMenu: opens,
        });
        if (opens) expect(menuOf(res.text)).toEqual(menu);
      }
    },
  );
});
