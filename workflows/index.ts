import type { ActivityMap, ProcessDefinition } from './kit';
import { referenceV1 } from './reference/v1';
import { residenceAnnulmentV1 } from './residence-annulment/v1';
import { residenceAnnulmentV2 } from './residence-annulment/v2';
import { residenceAnnulmentV3 } from './residence-annulment/v3';
import { residenceCertificateV1 } from './residence-certificate/v1';
import { residenceDeclarationV1 } from './residence-declaration/v1';
import { residenceDeclarationV2 } from './residence-declaration/v2';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcess = ProcessDefinition<any, any, ActivityMap>;

/**
 * Every process version the engines register (key@version). Released versions stay listed
 * until no running case uses them; a new behaviour is a new entry, never an edit.
 */
export const PROCESSES: readonly AnyProcess[] = [
  referenceV1 as unknown as AnyProcess,
  residenceDeclarationV1 as unknown as AnyProcess,
  residenceDeclarationV2 as unknown as AnyProcess,
  residenceAnnulmentV1 as unknown as AnyProcess,
  residenceAnnulmentV2 as unknown as AnyProcess,
  residenceAnnulmentV3 as unknown as AnyProcess,
  residenceCertificateV1 as unknown as AnyProcess,
];

/** The version new cases of `key` start on: the highest listed. */
export function currentVersion(key: string): number | null {
  const versions = PROCESSES.filter((p) => p.key === key).map((p) => p.version);
  return versions.length ? Math.max(...versions) : null;
}

export function findProcess(key: string, version?: number): AnyProcess | null {
  const v = version ?? currentVersion(key);
  return PROCESSES.find((p) => p.key === key && p.version === v) ?? null;
}
