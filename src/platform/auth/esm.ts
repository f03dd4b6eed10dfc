import type { createRequire as CreateRequire } from 'node:module';

/**
 * Loads an ESM-only package (oidc-provider 9, openid-client 6) from our CommonJS output.
 * Node >= 20.19 can require() ES modules synchronously. We take `require` from node:module through
 * process.getBuiltinModule so that Jest, whose own module registry cannot load ESM, hands the
 * call to Node instead of transforming it.
 */
export function requireEsm<T>(specifier: string): T {
  const mod = (process.getBuiltinModule?.('node:module') ?? { createRequire: undefined }) as { createRequire?: typeof CreateRequire };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const createRequire = mod.createRequire ?? (require('node:module') as { createRequire: typeof CreateRequire }).createRequire;
  return createRequire(__filename)(specifier) as T;
}
