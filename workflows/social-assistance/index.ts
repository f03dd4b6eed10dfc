import type { AnyProcess } from '../index';
import { socialAssistanceV1 } from './v1';
import { socialAssistanceV2 } from './v2';
import { socialAssistanceV3 } from './v3';

/** Every released version of the social-assistance process, oldest first (new cases start on v3). */
export const socialAssistanceVersions = [
  socialAssistanceV1,
  socialAssistanceV2,
  socialAssistanceV3,
] as unknown as readonly AnyProcess[];
