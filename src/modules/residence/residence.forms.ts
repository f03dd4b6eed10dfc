import { IsBoolean, IsIn, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { registerForm } from '../../cases/forms/form-registry';

/** Decision form `residence.review`: a rejection needs reasons, a request names the documents. */
export class ResidenceReviewForm {
  @IsIn(['approve', 'reject', 'request-documents'])
  outcome: 'approve' | 'reject' | 'request-documents';

  @ValidateIf((o: ResidenceReviewForm) => o.outcome === 'reject' || o.reason !== undefined)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason?: string;

  @ValidateIf((o: ResidenceReviewForm) => o.outcome === 'request-documents' || o.documentsRequested !== undefined)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  documentsRequested?: string;
}

/** Decision form `residence.annulment-review`. */
export class AnnulmentReviewForm {
  @IsIn(['annul', 'keep'])
  outcome: 'annul' | 'keep';

  @ValidateIf((o: AnnulmentReviewForm) => o.outcome === 'annul')
  @IsBoolean()
  basisAtDeclaration?: boolean;

  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  reason: string;
}

registerForm('residence.review', ResidenceReviewForm);
registerForm('residence.annulment-review', AnnulmentReviewForm);
