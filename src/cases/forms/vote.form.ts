import { IsIn } from 'class-validator';
import { VOTES, type Vote } from '../../../workflows/kit/collect';
import { registerForm } from './form-registry';

/** Decision form `kit.vote`: one participant's answer in a group decision (kit `collect`). */
export class VoteForm {
  @IsIn(VOTES)
  vote: Vote;
}

registerForm('kit.vote', VoteForm);
