import type { AnyProcess } from '../index';
import { residenceAnnulmentV1 } from './v1';
import { residenceAnnulmentV2 } from './v2';

/** Every released version of the annulment of a declared residence, oldest first (v1 stays while its runs last). */
export const residenceAnnulmentVersions = [
  residenceAnnulmentV1,
  residenceAnnulmentV2,
] as unknown as readonly AnyProcess[];
