import type { ActivityMap, ProcessDefinition } from './kit';
import { referenceVersions } from './reference';
import { residenceAnnulmentVersions } from './residence-annulment';
import { residenceCertificateVersions } from './residence-certificate';
import { residenceDeclarationVersions } from './residence-declaration';
import { socialAssistanceVersions } from './social-assistance';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProcess = ProcessDefinition<any, any, ActivityMap>;

/**
 * Every process version the engines register (key@version), one line per process (its folder's
 * index lists its versions). Released versions stay listed until no running case uses them; a new
 * behaviour is a new version, never an edit.
 */
export const PROCESSES: readonly AnyProcess[] = [
  ...referenceVersions,
  ...residenceDeclarationVersions,
  ...residenceAnnulmentVersions,
  ...residenceCertificateVersions,
  ...socialAssistanceVersions,
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
