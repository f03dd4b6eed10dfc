import { IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { defineForm, textFields } from '../../processes/process-module';

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

export const referenceReview = defineForm({
  key: 'reference.review',
  dto: ReferenceReviewForm,
  view: 'modules/reference/views/forms/reference-review',
  toDecision: (body) => textFields(body, ['outcome', 'reason']),
});
