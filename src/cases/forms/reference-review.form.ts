import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { registerForm } from './form-registry';

/** Decision form `reference.review` of the reference process. A rejection needs a reason. */
export class ReferenceReviewForm {
  @IsIn(['approve', 'reject'])
  outcome: 'approve' | 'reject';

  @ValidateIf((o: ReferenceReviewForm) => o.outcome === 'reject' || o.reason !== undefined)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason?: string;
}

registerForm('reference.review', ReferenceReviewForm);
