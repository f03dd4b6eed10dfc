import { IsBoolean, IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { defineForm, textFields } from '../../processes/process-module';

/** Decision form `residence.review`: a rejection needs reasons, a request names the documents. */
export class ResidenceReviewForm {
  @IsIn(['approve', 'reject', 'request-documents'], { message: 'residence:errors.decisionOutcome' })
  outcome: 'approve' | 'reject' | 'request-documents';

  @ValidateIf((o: ResidenceReviewForm) => o.outcome === 'reject' || o.reason !== undefined)
  @IsString({ message: 'residence:errors.decisionRejectReason' })
  @MinLength(3, { message: 'residence:errors.decisionRejectReason' })
  @MaxLength(2000, { message: 'residence:errors.decisionTooLong' })
  reason?: string;

  @ValidateIf(
    (o: ResidenceReviewForm) =>
      o.outcome === 'request-documents' || o.documentsRequested !== undefined,
  )
  @IsString({ message: 'residence:errors.decisionDocuments' })
  @MinLength(3, { message: 'residence:errors.decisionDocuments' })
  @MaxLength(2000, { message: 'residence:errors.decisionTooLong' })
  documentsRequested?: string;
}

/** Decision form `residence.annulment-review`. */
export class AnnulmentReviewForm {
  @IsIn(['annul', 'keep'], { message: 'residence:errors.annulmentOutcome' })
  outcome: 'annul' | 'keep';

  @ValidateIf((o: AnnulmentReviewForm) => o.outcome === 'annul')
  @IsBoolean({ message: 'residence:errors.basisAtDeclaration' })
  basisAtDeclaration?: boolean;

  @IsString({ message: 'residence:errors.annulmentReason' })
  @MinLength(3, { message: 'residence:errors.annulmentReason' })
  @MaxLength(2000, { message: 'residence:errors.decisionTooLong' })
  reason: string;
}

export const residenceReview = defineForm({
  key: 'residence.review',
  dto: ResidenceReviewForm,
  view: 'modules/residence/views/forms/residence-review',
  toDecision: (body) => textFields(body, ['outcome', 'reason', 'documentsRequested']),
});

export const annulmentReview = defineForm({
  key: 'residence.annulment-review',
  dto: AnnulmentReviewForm,
  view: 'modules/residence/views/forms/residence-annulment-review',
  toDecision: (body) => ({
    ...textFields(body, ['outcome', 'reason']),
    // No default: an unanswered question stays unanswered, and the form says so when annulling.
    ...(body.basisAtDeclaration === 'yes' || body.basisAtDeclaration === 'no'
      ? { basisAtDeclaration: body.basisAtDeclaration === 'yes' }
      : {}),
  }),
});
