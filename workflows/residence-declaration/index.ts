import type { AnyProcess } from '../index';
import { residenceDeclarationV1 } from './v1';

/** Every released version of the residence declaration, oldest first. */
export const residenceDeclarationVersions = [
  residenceDeclarationV1,
] as unknown as readonly AnyProcess[];
