import type { ActivityMap } from '../../workflows/kit/types';
import type { ProcessEngine } from './process-engine';

/** Merges activity factories' results; two factories defining one name is a wiring error. */
export function mergeActivities(...groups: ActivityMap[]): ActivityMap {
  const all: ActivityMap = {};
  for (const g of groups) {
    for (const [name, fn] of Object.entries(g)) {
      if (name in all) throw new Error(`activity ${name} is defined twice`);
      all[name] = fn;
    }
  }
  return all;
}

/**
 * The engine for activities that send through it (signalCase) where the engine is built from a
 * ready activity map (the engine tests' harness): bound once built. In the application the
 * ProcessRegistry builds the map when the engine launches, so activities take the engine port itself.
 */
export class LateEngine {
  private engine: ProcessEngine | null = null;

  bind<E extends ProcessEngine>(engine: E): E {
    this.engine = engine;
    return engine;
  }

  readonly get = (): ProcessEngine => {
    if (!this.engine) throw new Error('the process engine is not built yet');
    return this.engine;
  };
}
