/**
 * Names of the effective-dated periods the residence processes read (through the `readParameters`
 * activity, recorded in the run's history) instead of code constants. The values and their legal
 * sources are in src/modules/residence/residence.parameters.ts; administrators change them by
 * adding a version with a later validFrom, per country or for one municipality.
 */
export const RESIDENCE_PERIODS = {
  /** Days the person has to show a legal basis after being invited (annulment). */
  annulmentResponseDays: 'residence-annulment.response-days',
  /** Days the applicant has to supply documents the caseworker requested (declaration). */
  documentsDueDays: 'residence-declaration.documents-days',
  /** Days before a review task's due date when the caseworker is reminded. */
  reviewReminderDays: 'residence-declaration.review-reminder-days',
} as const;

/** The list parameter holding the grounds for annulment in force. */
export const ANNULMENT_GROUNDS_KEY = 'residence-annulment.grounds';

export const DAY_MS = 86_400_000;
