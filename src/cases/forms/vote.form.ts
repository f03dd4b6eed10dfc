import { IsIn } from 'class-validator';
import { VOTES, type Vote } from '../../../workflows/kit/collect';
import { defineForm, textFields } from '../../processes/process-module';

/** Decision form `kit.vote`: one participant's answer in a group decision (kit `collect`). */
export class VoteForm {
  @IsIn(VOTES, { message: 'cases:errors.vote' })
  vote: Vote;
}

/** The platform's own form for every process's group decisions; the ProcessRegistry serves it beside the modules' forms. */
export const voteForm = defineForm({
  key: 'kit.vote',
  dto: VoteForm,
  view: 'cases/forms/views/kit-vote',
  toDecision: (body) => textFields(body, ['vote']),
});
