import { createReferenceActivities } from '../../../activities/reference/reference.activities';
import type { ReferenceRegistry } from '../../../activities/reference/registry.port';
import { referenceVersions } from '../../../workflows/reference';
import { TenantDb } from '../../platform/tenancy/tenant-db';
import { defineProcessModule, wire } from '../../processes/process-module';
import { seedReferenceCases } from './reference.demo';
import { referenceReview } from './reference.forms';

/** The register the reference process consults (a simulator: it stands in for a state register port). */
export const REFERENCE_REGISTRY = Symbol('REFERENCE_REGISTRY');

/** The reference process: the smallest complete process, and the example for real ones. */
export const referenceProcess = defineProcessModule({
  name: 'reference',
  processes: referenceVersions,
  timelineKinds: ['registry.checked'],
  stages: ['review'],
  activities: wire(
    { tenantDb: TenantDb, registry: REFERENCE_REGISTRY },
    (p: { tenantDb: TenantDb; registry: ReferenceRegistry }) => createReferenceActivities(p),
  ),
  forms: [referenceReview],
  // Its status changes go to the services platform like a real service's (unverified placeholder code).
  serviceCodes: { reference: 'CIVITAS-REFERENCE' },
  demoCases: seedReferenceCases,
  catalogue: [
    {
      key: 'reference',
      name: 'catalogue:reference.name',
      description: 'catalogue:reference.description',
      who: 'catalogue:reference.who',
      documents: 'catalogue:reference.documents',
      fee: 'catalogue:reference.fee',
      deadline: 'catalogue:reference.deadline',
      howTo: 'catalogue:reference.howTo',
      result: 'catalogue:reference.result',
      startUrl: '/services/reference/apply',
      applyForm: {
        fields: [
          {
            name: 'subjectRef',
            label: 'catalogue:reference.form.subjectRef',
            hint: 'catalogue:reference.form.subjectRefHint',
            kind: 'text',
            required: true,
            maxLength: 64,
            pattern: /^[A-Za-z0-9-]{3,64}$/,
            patternMessage: 'catalogue:reference.form.subjectRefPattern',
          },
          {
            name: 'note',
            label: 'catalogue:reference.form.note',
            kind: 'textarea',
            required: false,
            maxLength: 2000,
          },
        ],
        toCase: (v) => ({
          title: `Reference: ${v.subjectRef}`,
          input: { subjectRef: v.subjectRef, note: v.note ?? '' },
        }),
      },
    },
  ],
});
