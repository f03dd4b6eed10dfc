import type { EntityManager } from 'typeorm';
import { registerCaseParties } from '../../cases/case-parties';
import { ResidenceAnnulment, ResidenceAttachment, ResidenceDeclaration } from '../../modules/residence/residence-declaration.entity';
import { documentRequests } from '../../modules/residence/residence.requests';
import { registerCaseView, registerCitizenCaseHref, registerService, registerTaskFormView, type CaseFact, type ProcessCaseView } from './service-catalogue';

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

/** The person's card, with the case offered as the purpose of the look-up (issue 12 M7). */
const person = (code: string, caseId: string) => `/workspace/residence/persons/${encodeURIComponent(code)}?case=${caseId}`;

/** The evidence uploaded to a residence case (without its bytes), each downloadable by staff. */
async function uploads(em: EntityManager, caseId: string): Promise<ProcessCaseView['uploads']> {
  const rows = await em.find(ResidenceAttachment, { where: { caseId }, select: ['id', 'fileName', 'mimeType', 'sizeBytes', 'createdAt'], order: { createdAt: 'ASC' } });
  return rows.map((a) => ({ id: a.id, fileName: a.fileName, mimeType: a.mimeType, sizeBytes: a.sizeBytes, at: a.createdAt, href: `/workspace/residence/attachments/${a.id}` }));
}

registerCaseView('residence-declaration', async (em, caseId) => {
  const d = await em.findOne(ResidenceDeclaration, { where: { caseId } });
  if (!d) return null;
  const facts: CaseFact[] = [
    { label: 'residence:case.applicant', value: d.applicantCode, href: person(d.applicantCode, caseId), personalCode: true },
    ...d.personCodes.map((code): CaseFact => ({ label: 'residence:case.persons', value: code, href: person(code, caseId), personalCode: true })),
    { label: 'residence:status.address', value: `${d.addressText} (${d.addressCode})` },
    { label: 'residence:declare.basis', valueKey: `residence:basis.${d.basis}` },
    ...(d.basisNote ? [{ label: 'residence:case.basisNote', value: d.basisNote }] : []),
    { label: 'residence:case.declaredOn', value: d.declaredOn },
    { label: 'residence:case.channel', valueKey: `residence:channel.${d.channel}` },
    { label: 'residence:status.fee', value: `€${(d.feeCents / 100).toFixed(2)}` },
  ];
  return { facts, uploads: await uploads(em, caseId), requests: await documentRequests(em, caseId) };
});

registerCaseView('residence-annulment', async (em, caseId) => {
  const a = await em.findOne(ResidenceAnnulment, { where: { caseId } });
  if (!a) return null;
  const facts: CaseFact[] = [
    { label: 'residence:case.person', value: a.personCode, href: person(a.personCode, caseId), personalCode: true },
    ...(a.applicantCode ? [{ label: 'residence:case.applicant', value: a.applicantCode, href: person(a.applicantCode, caseId), personalCode: true as const }] : []),
    { label: 'residence:case.declaredOn', value: a.declaredOn },
    // The ground as it was in force when the case was opened, in the decision's language (lv).
    ...(a.ground ? [{ label: 'residence:case.ground', value: `${a.ground.label.lv} (${a.ground.code}; ${a.ground.legalReference})` }] : []),
    { label: a.ground ? 'residence:case.groundsExplanation' : 'residence:case.grounds', value: a.grounds },
  ];
  return { facts, uploads: await uploads(em, caseId), requests: [] };
});

// Party to a residence case (besides its applicant): everyone declared at the address; the person whose residence is annulled.
registerCaseParties('residence-declaration', async (em, caseId) => (await em.findOne(ResidenceDeclaration, { where: { caseId } }))?.personCodes ?? []);
registerCaseParties('residence-annulment', async (em, caseId) => {
  const a = await em.findOne(ResidenceAnnulment, { where: { caseId } });
  return a ? [a.personCode] : [];
});
