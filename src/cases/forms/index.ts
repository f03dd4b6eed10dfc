import type { ProcessForm } from '../../processes/process-module';
import { voteForm } from './vote.form';

export { validateDecision } from './validate-decision';

/** Decision forms of the platform itself (not of one process): the kit's group decision. */
export const CORE_FORMS: readonly ProcessForm[] = [voteForm];
