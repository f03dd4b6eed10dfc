import type { NestExpressApplication } from '@nestjs/platform-express';

export interface Route {
  method: string;
  path: string;
  params: string[];
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

interface ExpressLayer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
}

/**
 * Every route the Nest router registered on Express, read from the live router stack: a new
 * controller or handler is found (fuzzed, put in the access matrix) without anyone listing it here.
 */
export function routesOf(app: NestExpressApplication): Route[] {
  const express = app.getHttpAdapter().getInstance() as {
    router?: { stack: ExpressLayer[] };
    _router?: { stack: ExpressLayer[] };
  };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const routes: Route[] = [];
  for (const layer of stack) {
    if (!layer.route) continue;
    const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
    for (const path of paths) {
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (!on || !METHODS.has(method)) continue;
        routes.push({
          method: method.toUpperCase(),
          path,
          params: [...path.matchAll(/[:*](\w+)/g)].map((m) => m[1]),
        });
      }
    }
  }
  return routes;
}

/** Fills the route's parameters (`:id`, `*path`, `{/*rest}`) with one value. */
export function fill(path: string, value: string): string {
  return path
    .replace(/\{\/\*\w+\}/g, `/${value}`)
    .replace(/\*\w+/g, value)
    .replace(/:\w+/g, value)
    .replace(/[{}]/g, '');
}

/** The route's path as a pattern matching concrete URLs (`/cases/:id` matches `/cases/4f…`). */
export function routePattern(path: string): RegExp {
  const body = path
    .replace(/\{\/\*\w+\}/g, '(?:/.+)?')
    .replace(/\*\w+/g, '.+')
    .replace(/:\w+/g, '[^/]+')
    .replace(/[{}]/g, '');
  return new RegExp(`^${body}$`);
}
