import type { AnyProcess } from '../index';
import { socialAssistanceV1 } from './v1';

/** Every released version of the social-assistance process, oldest first. */
export const socialAssistanceVersions = [socialAssistanceV1] as unknown as readonly AnyProcess[];
