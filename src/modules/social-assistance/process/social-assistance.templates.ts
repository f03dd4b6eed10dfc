import { z } from 'zod';
import {
  templateFields,
  type TemplateDefinitions,
} from '../../../documents/templates/template-registry';

const { text, isoDate, signatory, addressee } = templateFields;

/**
 * The social-assistance decision (templates/documents/social-assistance/decision.<lang>.hbs),
 * numbered in the decisions register like every decision. The key is stored with every issued
 * document: never rename it.
 */
export const SOCIAL_ASSISTANCE_TEMPLATES = {
  'social-assistance/decision': {
    register: 'DEC',
    schema: z
      .object({
        addressee,
        title: text(300),
        applicant: z.object({ name: text(200), personalCode: text(32) }).strict(),
        appliedOn: isoDate,
        outcome: text(300),
        status: text(200).optional(),
        validFrom: isoDate.optional(),
        validUntil: isoDate.optional(),
        benefits: z
          .array(
            z
              .object({
                name: text(200),
                monthly: text(20),
                from: isoDate,
                until: isoDate,
                payee: text(200),
              })
              .strict(),
          )
          .max(4),
        lines: z
          .array(
            z
              .object({
                label: text(300),
                value: z.string().max(100),
                formula: z.string().max(500),
                legalReference: z.string().max(300),
              })
              .strict(),
          )
          .max(200),
        reasons: z.array(text(4000)).max(20),
        legalBasis: z.array(text(2000)).min(1).max(20),
        appeal: text(2000),
        signatory,
      })
      .strict(),
    sample: {
      addressee: { name: 'Jānis Bērziņš' },
      title: 'Par trūcīgas mājsaimniecības statusu un pabalstiem',
      applicant: { name: 'Jānis Bērziņš', personalCode: '010190-12345' },
      appliedOn: '2026-02-10',
      outcome: 'Piešķirt',
      status: 'trūcīgas mājsaimniecības statuss',
      validFrom: '2026-02-20',
      validUntil: '2026-08-19',
      benefits: [
        {
          name: 'GMI pabalsts',
          monthly: '249.00',
          from: '2026-02-20',
          until: '2026-05-19',
          payee: 'Jānis Bērziņš',
        },
      ],
      lines: [
        {
          label: 'GMI slieksnis',
          value: '€449.00',
          formula: '187 + 131 × 2',
          legalReference: 'SPSPL 33. panta otrā daļa',
        },
      ],
      reasons: [],
      legalBasis: [
        'Sociālo pakalpojumu un sociālās palīdzības likums; MK 2020. gada 17. decembra noteikumi Nr. 809.',
      ],
      appeal:
        'Lēmumu var apstrīdēt viena mēneša laikā no tā spēkā stāšanās dienas pašvaldības Administratīvo aktu strīdu komisijā.',
      signatory: { name: 'Anna Ozoliņa', position: 'Sociālā darbiniece' },
    },
  },
} as const satisfies TemplateDefinitions;
