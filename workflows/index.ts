/**
 * TEMPORARY registry (temporal branch): replaced by the engine branch's registry on merge.
 * Every released process version, the single list both engines register.
 */
import type { ProcessDefinition } from './kit/types';
import { referenceV1 } from './reference/reference.v1';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcess = ProcessDefinition<any, any, any>;

export const processes: readonly AnyProcess[] = [referenceV1];
