import type { ModuleRef } from '@nestjs/core';

/**
 * Resolves a port that another module may provide anywhere in the application (documents, case
 * timeline, manager directory), or undefined when none does. Looked up on first use, not at boot,
 * so module order does not matter.
 */
export function optionalPort<T>(moduleRef: ModuleRef, token: symbol): () => T | undefined {
  let resolved = false;
  let value: T | undefined;
  return () => {
    if (!resolved) {
      try {
        value = moduleRef.get<T>(token, { strict: false });
      } catch {
        value = undefined;
      }
      resolved = true;
    }
    return value;
  };
}
