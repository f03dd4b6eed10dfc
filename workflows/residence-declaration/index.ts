import type { AnyProcess } from '../index';
import { residenceDeclarationV1 } from './v1';
import { residenceDeclarationV2 } from './v2';

/** Every released version of the residence declaration, oldest first. */
export const residenceDeclarationVersions = [
  residenceDeclarationV1,
  residenceDeclarationV2,
] as unknown as readonly AnyProcess[];
