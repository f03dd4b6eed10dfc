import type { createRequire as CreateRequire } from 'node:module';

/**
 * Loads an ESM-only package (oidc-provider 9, openid-client 6) from our CommonJS output.
 * Node >= 20.19 can require() ES modules synchronously. We take `require` from node:module through
 * process.getBuiltinModule so that Jest, whose own module registry cannot load ESM, hands the
 * call to Node instead of transforming it.
 */
export function requireEsm<T>(specifier: string): T {
  const mod = (process.getBuiltinModule?.('node:module') ?? { createRequire: undefined }) as {
    createRequire?: typeof CreateRequire;
  };
  const createRequire =
    mod.createRequire ??
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('node:module') as { createRequire: typeof CreateRequire }).createRequire;
  return createRequire(__filename)(specifier) as T;
}

type Copier = <T>(v: T) => T;
let copier: Copier | undefined;

/**
 * Rebuilds plain objects and arrays in Node's main realm. Under Jest our code runs in a vm context
 * whose Object.prototype differs from the one the natively loaded ESM packages see, and
 * oidc-provider rejects such objects as "not plain". In a normal process this is a shallow-cost copy.
 */
export function hostRealm<T>(value: T): T {
  if (!copier) {
    const vm = (process.getBuiltinModule?.('node:vm') ?? null) as typeof import('node:vm') | null;
    copier = vm
      ? (vm.runInThisContext(`(function copy(v) {
          if (Array.isArray(v)) return v.map(copy);
          if (v && typeof v === 'object') {
            const p = Object.getPrototypeOf(v);
            if (p === null || Object.getPrototypeOf(p) === null) {
              const o = {};
              for (const k of Object.keys(v)) o[k] = copy(v[k]);
              return o;
            }
          }
          return v;
        })`) as Copier)
      : (v) => v;
  }
  return copier(value);
}
