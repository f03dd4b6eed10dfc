import {
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsNotEmpty,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { localDate, TIME_ZONES } from '../../../deadlines/calendar/time-zone';
import { defineForm, textFields } from '../../../processes/process-module';

const NS = 'social-assistance:errors';

/**
 * The review's fields besides the outcome: reasons are required when refusing and when granting
 * only part; a request names what is needed and by when.
 */
abstract class ReviewFields {
  abstract outcome: string;

  @ValidateIf((o: ReviewFields) => o.outcome === 'partly')
  @IsArray({ message: `${NS}.benefits` })
  @ArrayNotEmpty({ message: `${NS}.benefits` })
  @IsIn(['gmi', 'housing'], { each: true, message: `${NS}.benefits` })
  benefits?: ('gmi' | 'housing')[];

  @ValidateIf(
    (o: ReviewFields) => o.outcome === 'refuse' || o.outcome === 'partly' || o.reason !== undefined,
  )
  @IsString({ message: `${NS}.reason` })
  @MinLength(3, { message: `${NS}.reason` })
  @MaxLength(2000, { message: `${NS}.tooLong` })
  reason?: string;

  @ValidateIf((o: ReviewFields) => o.outcome === 'request-information')
  @IsString({ message: `${NS}.question` })
  @MinLength(3, { message: `${NS}.question` })
  @MaxLength(2000, { message: `${NS}.tooLong` })
  question?: string;

  @ValidateIf((o: ReviewFields) => o.outcome === 'request-information')
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${NS}.answerBy` })
  answerBy?: string;
}

/** Decision form `social-assistance.review` (v1 cases): approve, partly (which benefits), refuse, or request information. */
export class SocialAssistanceReviewForm extends ReviewFields {
  @IsIn(['approve', 'partly', 'refuse', 'request-information'], { message: `${NS}.outcome` })
  outcome: 'approve' | 'partly' | 'refuse' | 'request-information';
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

/**
 * Decision form `social-assistance.review-v2` (cases on v2): the review's outcomes plus
 * `arrange-visit`, which opens the interview / home visit task and brings the case back to review.
 * v1 cases keep `social-assistance.review` (their run does not know the new outcome).
 */
export class SocialAssistanceReviewV2Form extends ReviewFields {
  @IsIn(['approve', 'partly', 'refuse', 'request-information', 'arrange-visit'], {
    message: `${NS}.outcome`,
  })
  outcome: 'approve' | 'partly' | 'refuse' | 'request-information' | 'arrange-visit';
}

export const socialAssistanceReviewV2 = defineForm({
  ...socialAssistanceReview,
  key: 'social-assistance.review-v2',
  dto: SocialAssistanceReviewV2Form,
  view: 'modules/social-assistance/process/views/review-v2-form',
});

/**
 * Decision form `social-assistance.visit`: the record of an interview at the office or a home
 * visit: when it was held (not in the future), who took part, what was found, and the conclusion.
 */
export class VisitForm {
  @IsIn(['office-interview', 'home-visit'], { message: `${NS}.visitKind` })
  kind: 'office-interview' | 'home-visit';

  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: `${NS}.visitHeldOn` })
  heldOn: string;

  @IsString({ message: `${NS}.visitParticipants` })
  @IsNotEmpty({ message: `${NS}.visitParticipants` })
  @MaxLength(1000, { message: `${NS}.tooLong` })
  participants: string;

  @IsString({ message: `${NS}.visitFindings` })
  @MinLength(3, { message: `${NS}.visitFindings` })
  @MaxLength(4000, { message: `${NS}.tooLong` })
  findings: string;

  @IsIn(['confirms-declaration', 'differences-found', 'did-not-attend'], {
    message: `${NS}.visitConclusion`,
  })
  conclusion: 'confirms-declaration' | 'differences-found' | 'did-not-attend';
}

/** A real calendar day, YYYY-MM-DD (2026-02-30 is not one). */
const isCalendarDay = (d: string): boolean => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

export const socialAssistanceVisit = defineForm({
  key: 'social-assistance.visit',
  dto: VisitForm,
  view: 'modules/social-assistance/process/views/visit-form',
  toDecision: (body) =>
    textFields(body, ['kind', 'heldOn', 'participants', 'findings', 'conclusion']),
  // Social assistance is Latvian: "today" is Riga's.
  check: (decision, now) => {
    const heldOn = String(decision.heldOn);
    if (!isCalendarDay(heldOn)) return [{ field: 'decision.heldOn', message: `${NS}.visitHeldOn` }];
    return heldOn > localDate(now, TIME_ZONES.LV)
      ? [{ field: 'decision.heldOn', message: `${NS}.visitHeldOnFuture` }]
      : [];
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
