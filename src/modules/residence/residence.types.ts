/** Legal bases for using a dwelling (Dzīvesvietas deklarēšanas likums). */
export const LEGAL_BASES = [
  'ownership',
  'lease',
  'owner-family',
  'owner-consent',
  'other',
] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

export const CHANNELS = ['online', 'counter'] as const;
export type SubmissionChannel = (typeof CHANNELS)[number];

export type DeclarationStatus = 'submitted' | 'registered' | 'rejected';
export type AnnulmentStatus = 'open' | 'annulled' | 'kept' | 'ended-redeclared';

/** Attachments a citizen may upload when asked for documents. */
export const ATTACHMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
