import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import i18next, { type i18n as I18next, type Resource } from 'i18next';
import { Memo } from '../memo';
import { fromRoot } from '../paths';

export const LANGUAGES = ['lv', 'en', 'el'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const isLang = (v: unknown): v is Lang =>
  typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);

/**
 * Adds `from` into `into` key by key: a process module's locale folder may add its own keys to a
 * shared namespace (e.g. its timeline labels under workspace:timeline); defining a key twice is an error.
 */
function mergeKeys(
  into: Record<string, unknown>,
  from: Record<string, unknown>,
  where: string,
): void {
  for (const [k, v] of Object.entries(from)) {
    const have = into[k];
    if (have === undefined) into[k] = v;
    else if (isObject(have) && isObject(v)) mergeKeys(have, v, `${where}.${k}`);
    else throw new Error(`translation ${where}.${k} is defined twice`);
  }
}
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Every src/**\/locales/<lang>/<namespace>.json; the file name is the namespace. Several folders
 * may hold one namespace (a process module adds its labels to the shared pages' namespace).
 */
export function loadResources(srcDir = fromRoot('src')): Resource {
  const resources: Resource = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) continue;
      if (name === 'locales') {
        for (const lang of readdirSync(p)) {
          for (const file of readdirSync(join(p, lang)).filter((f) => f.endsWith('.json'))) {
            const ns = basename(file, '.json');
            const bundle = ((resources[lang] ??= {})[ns] ??= {}) as Record<string, unknown>;
            mergeKeys(
              bundle,
              JSON.parse(readFileSync(join(p, lang, file), 'utf8')) as Record<string, unknown>,
              `${lang}/${ns}`,
            );
          }
        }
      } else if (name !== 'node_modules') walk(p);
    }
  };
  walk(srcDir);
  return resources;
}

const MEMO_LIMIT = 20_000;
/** `namespace:path.to.key`, as processes store task and case titles and forms give their messages. */
/** Namespace translating texts that locked process versions stored instead of a key. */
const STORED_TEXTS = 'stored-texts';
const I18N_KEY = /^[a-z][a-z0-9-]*:[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
export const isI18nKey = (text: string): boolean => I18N_KEY.test(text);

/** A cache key when every variable is a string, number or boolean (the usual case in views); otherwise null. */
function memoKeyOf(lang: Lang, key: string, vars: Record<string, unknown>): string | null {
  let k = `${lang}\u0000${key}`;
  for (const name in vars) {
    const v = vars[name];
    const type = typeof v;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return null;
    k += `\u0000${name}\u0001${type[0]}${String(v)}`;
  }
  return k;
}

/** Translations for lv (default), en and el; keys are `namespace:path.to.key`. */
@Injectable()
export class I18nService {
  private readonly i18n: I18next;

  constructor(resources: Resource = loadResources()) {
    this.i18n = i18next.createInstance();
    void this.i18n.init({
      resources,
      lng: 'lv',
      fallbackLng: 'lv',
      supportedLngs: [...LANGUAGES],
      ns: Object.keys(resources.lv ?? {}),
      defaultNS: 'common',
      interpolation: { escapeValue: false }, // Handlebars escapes output
      initAsync: false,
      returnNull: false,
    });
  }

  /** Resources never change at run time, so a translation is a pure function of its inputs. */
  private readonly memo = new Memo<string, string>(MEMO_LIMIT);

  t(lang: Lang, key: string, vars: Record<string, unknown> = {}): string {
    const memoKey = memoKeyOf(lang, key, vars);
    if (memoKey === null) return this.i18n.t(key, { ...vars, lng: lang });
    return this.memo.get(memoKey, () => this.i18n.t(key, { ...vars, lng: lang }));
  }

  /**
   * A stored label (task or case title) in the viewer's language: processes store an i18n key
   * (`residence:review.taskTitle`). A locked process version that stored its title as text (the
   * reference process's "Review the application") is translated by the `stored-texts` namespace,
   * keyed by that text; other free-text titles stay as they are.
   */
  label(lang: Lang, value: string): string {
    if (!I18N_KEY.test(value)) {
      // The namespace as an option: i18next reads a key with spaces as text, not `ns:key`.
      const opts = { ns: STORED_TEXTS, keySeparator: false as const, nsSeparator: false as const };
      return this.i18n.exists(value, { ...opts, lng: 'lv', fallbackLng: [] })
        ? this.i18n.t(value, { ...opts, lng: lang })
        : value;
    }
    return this.memo.get(`label|${lang}|${value}`, () =>
      this.has(lang, value) || this.has('lv', value) ? this.t(lang, value) : value,
    );
  }

  has(lang: Lang, key: string): boolean {
    return this.i18n.exists(key, { lng: lang, fallbackLng: [] });
  }

  namespaces(): string[] {
    return [...(this.i18n.options.ns as string[])];
  }

  keys(lang: Lang, ns: string): string[] {
    const flatten = (o: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        v && typeof v === 'object'
          ? flatten(v as Record<string, unknown>, `${prefix}${k}.`)
          : [`${prefix}${k}`],
      );
    return flatten((this.i18n.getResourceBundle(lang, ns) ?? {}) as Record<string, unknown>);
  }
}
