import { registerService, registerTaskFormView } from './service-catalogue';

/** The reference process in the shared pages (also the example for real processes). */
registerService({
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
      { name: 'note', label: 'catalogue:reference.form.note', kind: 'textarea', required: false, maxLength: 2000 },
    ],
    toCase: (v) => ({ title: `Reference: ${v.subjectRef}`, input: { subjectRef: v.subjectRef, note: v.note ?? '' } }),
  },
});

registerTaskFormView({
  formKey: 'reference.review',
  partial: 'reference-review',
  toDecision: (body) => {
    const d: Record<string, unknown> = {};
    if (typeof body.outcome === 'string' && body.outcome) d.outcome = body.outcome;
    if (typeof body.reason === 'string' && body.reason.trim()) d.reason = body.reason.trim();
    return d;
  },
});
