import type { ActivityMap } from '../../workflows/kit/types';

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
