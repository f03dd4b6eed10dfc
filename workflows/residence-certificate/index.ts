import type { AnyProcess } from '../index';
import { residenceCertificateV1 } from './v1';

/** Every released version of the residence certificate process, oldest first. */
export const residenceCertificateVersions = [
  residenceCertificateV1,
] as unknown as readonly AnyProcess[];
