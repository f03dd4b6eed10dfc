import hbs from 'hbs';
import { Memo } from '../platform/memo';
import { fromRoot } from '../platform/paths';
import { registerPartials } from '../web/view-engine';

interface HelperOptions {
  data: { root: { lang?: string; municipality?: { country?: string } } };
}

const ZONES: Record<string, string> = { LV: 'Europe/Riga', GR: 'Europe/Athens' };
const LOCALES: Record<string, string> = { lv: 'lv-LV', en: 'en-GB', el: 'el-GR' };
const formats = new Memo<string, Intl.DateTimeFormat>(256);

function format(
  opts: HelperOptions,
  kind: 'date' | 'datetime',
  dateOnly: boolean,
): Intl.DateTimeFormat {
  const lang = opts.data.root.lang ?? 'lv';
  const zone = dateOnly
    ? 'UTC'
    : (ZONES[opts.data.root.municipality?.country ?? 'LV'] ?? 'Europe/Riga');
  return formats.get(
    `${lang}|${zone}|${kind}`,
    () =>
      new Intl.DateTimeFormat(
        LOCALES[lang] ?? 'lv-LV',
        kind === 'date'
          ? { dateStyle: 'medium', timeZone: zone }
          : { dateStyle: 'medium', timeStyle: 'short', timeZone: zone },
      ),
  );
}

const toDate = (v: unknown): { d: Date; dateOnly: boolean } | null => {
  if (v instanceof Date) return { d: v, dateOnly: false };
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v))
    return { d: new Date(`${v}T00:00:00Z`), dateOnly: true };
  if (typeof v === 'string' && !Number.isNaN(Date.parse(v)))
    return { d: new Date(v), dateOnly: false };
  return null;
};

/**
 * A date as the page shows it, remembered: Intl formatting costs microseconds and an inbox page
 * shows a hundred dates, mostly the same few dozen.
 */
const shown = new Memo<string, string>(20_000);
function formatted(v: unknown, opts: HelperOptions, kind: 'date' | 'datetime'): string {
  const key = `${opts.data.root.lang ?? ''}|${opts.data.root.municipality?.country ?? ''}|${kind}|${v instanceof Date ? v.getTime() : String(v)}`;
  return shown.get(key, () => {
    const x = toDate(v);
    return x
      ? format(opts, kind === 'datetime' && !x.dateOnly ? 'datetime' : 'date', x.dateOnly).format(
          x.d,
        )
      : '';
  });
}

const moneyFormats = new Memo<string, Intl.NumberFormat>(8);
const moneyFormat = (lang: string): Intl.NumberFormat =>
  moneyFormats.get(
    lang,
    () => new Intl.NumberFormat(LOCALES[lang] ?? 'lv-LV', { style: 'currency', currency: 'EUR' }),
  );

let done = false;

/** Helpers and partials the shared pages use: dates in the page language and the municipality's time zone, logic helpers. */
export function registerWorkspaceViews(): void {
  if (done) return;
  done = true;
  const h = hbs.handlebars;
  // Called without a value (`{{date}}` where a field was meant) the only argument is Handlebars' options: nothing to show.
  h.registerHelper('date', (v: unknown, opts?: HelperOptions) =>
    opts ? formatted(v, opts, 'date') : '',
  );
  h.registerHelper('datetime', (v: unknown, opts?: HelperOptions) =>
    opts ? formatted(v, opts, 'datetime') : '',
  );
  h.registerHelper('iso', (v: unknown) => toDate(v)?.d.toISOString() ?? '');
  // Integer cents as euros in the page language (123,45 € in lv, €123.45 in en).
  h.registerHelper('money', (cents: unknown, opts?: HelperOptions) =>
    typeof cents === 'number' && opts
      ? moneyFormat(opts.data.root.lang ?? 'lv').format(cents / 100)
      : '',
  );
  h.registerHelper('kb', (n: unknown) => Math.max(1, Math.round(Number(n) / 1024)));
  h.registerHelper('abs', (n: unknown) => Math.abs(Number(n)));
  // A code no label was written for, as words ("arrange-visit" → "arrange visit"): readable, never blank.
  h.registerHelper('words', (v: unknown) =>
    typeof v === 'string' ? v.replace(/[-_.]+/g, ' ').trim() : '',
  );
  h.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  h.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  h.registerHelper('not', (v: unknown) => !v);
  h.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
  registerPartials(fromRoot('src/workspace/views/partials'));
}
