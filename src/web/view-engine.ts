import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import hbs from 'hbs';
import { fromRoot } from '../platform/paths';
import { I18nService, isLang, LANGUAGES } from '../platform/i18n/i18n.service';

/** Handlebars views rooted at src/, one default layout, shared partials and helpers. */
export function setUpViews(app: NestExpressApplication, i18n: I18nService): void {
  app.setBaseViewsDir(fromRoot('src'));
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'web/views/layouts/main' });
  registerPartials(fromRoot('src/web/views/partials'));
  registerHelpers(i18n);
  const assets = fromRoot('dist/public');
  if (existsSync(assets)) app.useStaticAssets(assets, { prefix: '/assets/', maxAge: '1h' });
  // /favicon.ico (browsers ask for it unprompted) and /favicon.svg, straight from the source tree.
  app.useStaticAssets(fromRoot('src/web/public'), { index: false, maxAge: '1d' });
  app.use((_req: unknown, res: { locals: Record<string, unknown> }, next: () => void) => {
    res.locals.languages = LANGUAGES;
    next();
  });
}

/** Synchronous, so the first request never races partial loading (hbs.registerPartials is async). */
export function registerPartials(dir: string): void {
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.hbs'))) {
    hbs.registerPartial(basename(f, '.hbs'), readFileSync(join(dir, f), 'utf8'));
  }
}

let registered = false;
function registerHelpers(i18n: I18nService): void {
  if (registered) return;
  registered = true;
  const h = hbs.handlebars;
  h.registerHelper(
    't',
    function (
      this: unknown,
      key: string,
      options: { hash: Record<string, unknown>; data: { root: { lang?: string } } },
    ) {
      const lang = options.data.root.lang;
      return i18n.t(isLang(lang) ? lang : 'lv', key, options.hash);
    },
  );
  // A key with its interpolation values given as one object (e.g. a case fact's labelParams).
  h.registerHelper(
    'tp',
    function (
      this: unknown,
      key: string,
      params: Record<string, unknown> | undefined,
      options: { data: { root: { lang?: string } } },
    ) {
      const lang = options.data.root.lang;
      return i18n.t(
        isLang(lang) ? lang : 'lv',
        key,
        params && typeof params === 'object' ? params : {},
      );
    },
  );
  // A title stored as an i18n key is shown translated; any other text as it is.
  h.registerHelper(
    'titleText',
    (value: unknown, options: { data: { root: { lang?: string } } }) => {
      const lang = options.data.root.lang;
      return typeof value === 'string' ? i18n.label(isLang(lang) ? lang : 'lv', value) : '';
    },
  );
  h.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  h.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  h.registerHelper('json', (v: unknown) => JSON.stringify(v));
  // Staff (any role but resident) get the link to their two-step verification settings.
  h.registerHelper(
    'isStaff',
    (u: unknown) =>
      Array.isArray((u as { roles?: unknown } | null)?.roles) &&
      (u as { roles: string[] }).roles.some((r) => r !== 'citizen'),
  );
}
