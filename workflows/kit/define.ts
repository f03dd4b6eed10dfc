import type { ActivityMap, ProcessContext, ProcessDefinition, ProcessMeta } from './types';

/**
 * Declares a process version. The result is what both engines register: its `id`
 * (`key@vN`) is the workflow type name, so a case started on v1 keeps running v1 code.
 */
export function defineProcess<I, O, A extends ActivityMap>(
  meta: ProcessMeta<A>,
  run: (ctx: ProcessContext<A>, input: I) => Promise<O>,
): ProcessDefinition<I, O, A> {
  if (!/^[a-z][a-z0-9-]*$/.test(meta.key))
    throw new Error(`process key must be kebab-case: ${meta.key}`);
  if (!Number.isInteger(meta.version) || meta.version < 1)
    throw new Error(`process version must be a positive integer: ${meta.version}`);
  return Object.freeze({ ...meta, id: processId(meta.key, meta.version), run });
}

export const processId = (key: string, version: number): string => `${key}@v${version}`;

/** Inverse of processId; null when the name is not a process id. */
export function parseProcessId(id: string): { key: string; version: number } | null {
  const m = /^([a-z][a-z0-9-]*)@v(\d+)$/.exec(id);
  return m ? { key: m[1], version: Number(m[2]) } : null;
}
