import { defineEvent } from '../kit/events';

/** Process input: the submitted application that opened the case (SocialAssistanceApplicationService.submit). */
export interface SocialAssistanceInput {
  municipalityId: string;
  applicationId: string;
  /** Canonical personal code of the applicant. */
  applicantCode: string;
  /** The application date (municipal local date): the rules in force on it apply. */
  appliedOn: string;
}

export type GrantedBenefit = 'gmi' | 'housing';

/** Decision form `social-assistance.review`. */
export interface SocialAssistanceReviewDecision {
  outcome: 'approve' | 'partly' | 'refuse' | 'request-information';
  /** `partly`: the benefits granted (the rest refused, with reasons). */
  benefits?: GrantedBenefit[];
  /** Required on refuse and partly. */
  reason?: string;
  /** `request-information`: what the applicant is to supply, and by when (YYYY-MM-DD). */
  question?: string;
  answerBy?: string;
}

/**
 * Decision form `social-assistance.review-v2` (v2 cases): the review's outcomes plus
 * `arrange-visit`, which opens the interview / home visit task and brings the case back to review.
 */
export interface SocialAssistanceReviewV2Decision extends Omit<
  SocialAssistanceReviewDecision,
  'outcome'
> {
  outcome: SocialAssistanceReviewDecision['outcome'] | 'arrange-visit';
}

/** Decision form `social-assistance.visit`: the record of an interview or home visit. */
export interface VisitDecision {
  kind: 'office-interview' | 'home-visit';
  /** The day it was held (YYYY-MM-DD, municipal local date; not in the future). */
  heldOn: string;
  /** Who took part (the household members and staff present). */
  participants: string;
  findings: string;
  conclusion: 'confirms-declaration' | 'differences-found' | 'did-not-attend';
}

/** Decision form `social-assistance.cooperation`: the co-operation duties agreement (SPSPL 7(1)). */
export interface CooperationDecision {
  outcome: 'agreed' | 'declined';
  note?: string;
}

/** The applicant answered a request for information (the case page, or a reply by e-address). */
export interface InformationSupplied {
  round: number;
  answeredAt: string;
  via: 'portal' | 'e-address';
}
export const informationSupplied = defineEvent<InformationSupplied>(
  'social-assistance.information-supplied',
);

/**
 * Something changed an award while its run pays it (e.g. the integrity monitor stopped it): the
 * run reads the award again at once instead of at the next month. The payload only says "look";
 * the award row is the truth.
 */
export interface AwardChanged {
  reason: string;
}
export const awardChanged = defineEvent<AwardChanged>('social-assistance.award-changed');
