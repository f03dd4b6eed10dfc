import { getMetadataStorage } from 'class-validator';
import { I18nService } from '../../../src/platform/i18n/i18n.service';

export { fill, routePattern, routesOf, type Route } from '../../support/routes';

/** Field names the app validates (class-validator DTOs) and the names of inputs in its views. */
export function fieldNames(viewHtmlNames: string[]): string[] {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<unknown, { propertyName: string }[]>;
  };
  const fromDtos = [...storage.validationMetadatas.values()].flat().map((m) => m.propertyName);
  return [...new Set([...fromDtos, ...viewHtmlNames])].filter((n) => n && n !== '_csrf').sort();
}

/**
 * A translation key left raw in a page or JSON answer: `namespace:some.key` for any namespace the
 * app has, or a bare `errors.some_code` of the documents area.
 */
export function rawKeyFinder(i18n: I18nService): (body: string) => string | null {
  const ns = i18n
    .namespaces()
    .map((n) => n.replace(/-/g, '\\-'))
    .join('|');
  const re = new RegExp(
    `(?<![\\w/.-])(?:${ns}):[A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*|"(?:errors|validation)\\.[a-z_]+(?:\\.[A-Za-z0-9_]+)*"`,
  );
  return (body) => re.exec(body)?.[0] ?? null;
}

const SKIP = /sign-out|export|\/oidc|\/assets|\/auth\/|\.pdf|\/documents\//;

/**
 * Pages and form actions reachable from the start pages by links, as one signed-in person sees
 * them: real ids and list kinds to fuzz with. Bounded, GET only, never an export or sign-out.
 */
export async function crawl(
  get: (path: string) => Promise<{ text: string; location: string | null }>,
  starts: string[],
  maxPages = 60,
): Promise<{ pages: string[]; actions: string[] }> {
  const seen = new Set<string>();
  const actions = new Set<string>();
  const queue = [...starts];
  while (queue.length && seen.size < maxPages) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    seen.add(path);
    const { text: html, location } = await get(path);
    if (location?.startsWith('/') && !SKIP.test(location)) queue.push(location.split(/[?#]/)[0]);
    for (const m of html.matchAll(/href="(\/[^"#?]*)/g))
      if (!SKIP.test(m[1]) && !seen.has(m[1])) queue.push(m[1]);
    for (const m of html.matchAll(
      /<form[^>]*method="post"[^>]*action="(\/[^"#?]*)|<form[^>]*action="(\/[^"#?]*)"[^>]*method="post"/gi,
    ))
      actions.add(m[1] ?? m[2]);
  }
  return { pages: [...seen], actions: [...actions] };
}
