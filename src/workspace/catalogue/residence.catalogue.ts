import { registerCitizenCaseHref, registerService, registerTaskFormView } from './service-catalogue';

/** The residence services in the citizen catalogue; their forms are the residence module's own pages. */
for (const [key, ns, startUrl] of [
  ['residence-declaration', 'residence-catalogue:residenceDeclaration', '/residence/declare'],
  ['residence-certificate', 'residence-catalogue:residenceCertificates', '/residence/certificates'],
] as const) {
  registerService({
    key,
    name: `${ns}.name`,
    description: `${ns}.description`,
    who: `${ns}.who`,
    documents: `${ns}.documents`,
    fee: `${ns}.fee`,
    deadline: `${ns}.deadline`,
    howTo: `${ns}.howTo`,
    result: `${ns}.result`,
    startUrl,
  });
}

// The declaration's own status page has the uploads and the certificate; "my cases" links there.
registerCitizenCaseHref('residence-declaration', (caseId) => `/residence/cases/${caseId}`);

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The residence review tasks in the generic task page; the residence DTOs (residence.forms.ts) validate what these post. */
registerTaskFormView({
  formKey: 'residence.review',
  partial: 'residence-review',
  toDecision: (body) => {
    const d: Record<string, unknown> = {};
    if (text(body.outcome)) d.outcome = text(body.outcome);
    if (text(body.reason)) d.reason = text(body.reason);
    if (text(body.documentsRequested)) d.documentsRequested = text(body.documentsRequested);
    return d;
  },
});

registerTaskFormView({
  formKey: 'residence.annulment-review',
  partial: 'residence-annulment-review',
  toDecision: (body) => {
    const d: Record<string, unknown> = {};
    if (text(body.outcome)) d.outcome = text(body.outcome);
    // No default: an unanswered question stays unanswered, and the form says so when annulling.
    if (body.basisAtDeclaration === 'yes' || body.basisAtDeclaration === 'no') d.basisAtDeclaration = body.basisAtDeclaration === 'yes';
    if (text(body.reason)) d.reason = text(body.reason);
    return d;
  },
});
