import type { AnyProcess } from '../index';
import { referenceV1 } from './v1';

/** Every released version of the reference process, oldest first. */
export const referenceVersions = [referenceV1] as unknown as readonly AnyProcess[];
