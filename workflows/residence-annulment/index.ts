import type { AnyProcess } from '../index';
import { residenceAnnulmentV1 } from './v1';
import { residenceAnnulmentV2 } from './v2';
import { residenceAnnulmentV3 } from './v3';
import { residenceAnnulmentV4 } from './v4';

/** Every released version of the annulment of a declared residence, oldest first (v1 stays while its runs last). */
export const residenceAnnulmentVersions = [
  residenceAnnulmentV1,
  residenceAnnulmentV2,
  residenceAnnulmentV3,
  residenceAnnulmentV4,
] as unknown as readonly AnyProcess[];
