import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { defineForm, textFields } from '../../../processes/process-module';

const NS = 'social-assistance:errors';

/**
 * Decision form `social-assistance.review`: approve, partly (which benefits), refuse, or request
 * information. Reasons are required when refusing and when granting only part; a request names
 * what is needed and by when.
 */
export class SocialAssistanceReviewForm {
  @IsIn(['approve', 'partly', 'refuse', 'request-information'], { message: `${NS}.outcome` })
  outcome: 'approve' | 'partly' | 'refuse' | 'request-information';

  @ValidateIf((o: SocialAssistanceReviewForm) => o.outcome === 'partly')
  @IsArray({ message: `${NS}.benefits` })
  @ArrayNotEmpty({ message: `${NS}.benefits` })
  @IsIn(['gmi', 'housing'], { each: true, message: `${NS}.benefits` })
  benefits?: ('gmi' | 'housing')[];

  @ValidateIf(
    (o: SocialAssistanceReviewForm) =>
      o.outcome === 'refuse' || o.outcome === 'partly' || o.reason !== undefined,
  )
  @IsString({ message: `${NS}.reason` })
  @MinLength(3, { message: `${NS}.reason` })
  @MaxLength(2000, { message: `${NS}.tooLong` })
  reason?: string;

  @ValidateIf((o: SocialAssistanceReviewForm) => o.outcome === 'request-information')
  @IsString({ message: `${NS}.question` })
  @MinLength(3, { message: `${NS}.question` })
  @MaxLength(2000, { message: `${NS}.tooLong` })
  question?: string;

  @ValidateIf((o: SocialAssistanceReviewForm) => o.outcome === 'request-information')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${NS}.answerBy` })
  answerBy?: string;
}

export const socialAssistanceReview = defineForm({
  key: 'social-assistance.review',
  dto: SocialAssistanceReviewForm,
  view: 'modules/social-assistance/process/views/review-form',
  toDecision: (body) => {
    const b = body.benefits;
    const benefits = (Array.isArray(b) ? b : typeof b === 'string' ? [b] : []).filter(
      (x): x is string => typeof x === 'string',
    );
    return {
      ...textFields(body, ['outcome', 'reason', 'question', 'answerBy']),
      ...(body.outcome === 'partly' ? { benefits } : {}),
    };
  },
});

/** Decision form `social-assistance.cooperation`: whether the co-operation duties agreement was signed (SPSPL 7(1)). */
export class CooperationForm {
  @IsIn(['agreed', 'declined'], { message: `${NS}.cooperation` })
  outcome: 'agreed' | 'declined';

  @ValidateIf((o: CooperationForm) => o.note !== undefined)
  @IsString({ message: `${NS}.tooLong` })
  @MaxLength(2000, { message: `${NS}.tooLong` })
  note?: string;
}

export const cooperationAgreement = defineForm({
  key: 'social-assistance.cooperation',
  dto: CooperationForm,
  view: 'modules/social-assistance/process/views/cooperation-form',
  toDecision: (body) => textFields(body, ['outcome', 'note']),
});
