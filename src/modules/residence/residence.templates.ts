import { z } from 'zod';
import { documentRequestOf } from '../../documents/document.service';
import {
  templateFields,
  type TemplateDataOf,
  type TemplateDefinitions,
} from '../../documents/templates/template-registry';

const { text, isoDate, sex, signatory } = templateFields;
const person = z
  .object({ givenName: text(100), familyName: text(100), personalCode: text(32), sex })
  .strict();
const SAMPLE_PERSON = {
  givenName: 'Līga',
  familyName: 'Ķēniņa',
  personalCode: '010190-12345',
  sex: 'F',
} as const;
const SAMPLE_SIGNATORY = {
  name: 'Anna Ozoliņa',
  position: 'Dzīvesvietas deklarēšanas speciāliste',
};

/**
 * The residence module's document templates (templates/documents/residence-declaration/), served
 * through its manifest. The keys are stored with every issued document: never rename one.
 */
export const RESIDENCE_TEMPLATES = {
  'residence-declaration/residence-certificate': {
    register: 'CERT',
    schema: z
      .object({
        person,
        address: text(500),
        declaredFrom: isoDate,
        purpose: text(300).optional(),
        signatory,
      })
      .strict(),
    sample: {
      person: SAMPLE_PERSON,
      address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101',
      declaredFrom: '2024-03-15',
      purpose: 'iesniegšanai bankā',
      signatory: SAMPLE_SIGNATORY,
    },
  },
  'residence-declaration/residence-history': {
    register: 'CERT',
    schema: z
      .object({
        person,
        /** Only the last declared residence (the "last declared residence" certificate). */
        lastOnly: z.boolean(),
        entries: z
          .array(
            z
              .object({
                address: text(500),
                from: isoDate,
                to: isoDate.optional(),
                status: text(50),
              })
              .strict(),
          )
          .min(1)
          .max(200),
        signatory,
      })
      .strict(),
    sample: {
      person: SAMPLE_PERSON,
      lastOnly: false,
      entries: [
        {
          address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101',
          from: '2024-03-15',
          status: 'active',
        },
        {
          address: 'Pils iela 1, Tukums, Tukuma nov., LV-3101',
          from: '2019-01-10',
          to: '2024-03-14',
          status: 'ended',
        },
      ],
      signatory: SAMPLE_SIGNATORY,
    },
  },
  'residence-declaration/declared-at-property': {
    register: 'CERT',
    schema: z
      .object({
        owner: z.object({ name: text(200), personalCode: text(32), sex }).strict(),
        address: text(500),
        persons: z
          .array(
            z
              .object({ givenName: text(100), familyName: text(100), declaredFrom: isoDate })
              .strict(),
          )
          .max(500),
        signatory,
      })
      .strict(),
    sample: {
      owner: { name: 'Jānis Bērziņš', personalCode: '150385-12346', sex: 'M' },
      address: 'Ūdens iela 7-3, Tukums, Tukuma nov., LV-3101',
      persons: [{ givenName: 'Līga', familyName: 'Ķēniņa', declaredFrom: '2024-03-15' }],
      signatory: SAMPLE_SIGNATORY,
    },
  },
} as const satisfies TemplateDefinitions;

export type ResidenceTemplateKey = keyof typeof RESIDENCE_TEMPLATES;
/** The data a residence template expects, typed. */
export type ResidenceTemplateData<K extends ResidenceTemplateKey> = TemplateDataOf<
  typeof RESIDENCE_TEMPLATES,
  K
>;

/** A document request for a residence template, its data checked at compile time. */
export const residenceDocumentRequest = documentRequestOf(RESIDENCE_TEMPLATES);
