import type { EntityManager } from 'typeorm';
import type {
  CaseFact,
  CasePartiesProvider,
  CaseViewProvider,
  ProcessCaseView,
} from '../../processes/process-module';
import {
  ResidenceAnnulment,
  ResidenceAttachment,
  ResidenceDeclaration,
} from './residence-declaration.entity';
import { documentRequests } from './residence.requests';

/** The person's card, with the case offered as the purpose of the look-up (issue 12 M7). */
const person = (code: string, caseId: string) =>
  `/workspace/residence/persons/${encodeURIComponent(code)}?case=${caseId}`;

/** The evidence uploaded to a residence case (without its bytes), each downloadable by staff. */
async function uploads(em: EntityManager, caseId: string): Promise<ProcessCaseView['uploads']> {
  const rows = await em.find(ResidenceAttachment, {
    where: { caseId },
    select: ['id', 'fileName', 'mimeType', 'sizeBytes', 'createdAt'],
    order: { createdAt: 'ASC' },
  });
  return rows.map((a) => ({
    id: a.id,
    fileName: a.fileName,
    mimeType: a.mimeType,
    sizeBytes: a.sizeBytes,
    at: a.createdAt,
    href: `/workspace/residence/attachments/${a.id}`,
  }));
}

/** The declaration's facts: applicant, persons declared, address and basis, channel and fee. */
export const declarationView: CaseViewProvider = async (em, caseId) => {
  const d = await em.findOne(ResidenceDeclaration, { where: { caseId } });
  if (!d) return null;
  const facts: CaseFact[] = [
    {
      label: 'residence:case.applicant',
      value: d.applicantCode,
      href: person(d.applicantCode, caseId),
      personalCode: true,
    },
    ...d.personCodes.map((code): CaseFact => ({
      label: 'residence:case.persons',
      value: code,
      href: person(code, caseId),
      personalCode: true,
    })),
    { label: 'residence:status.address', value: `${d.addressText} (${d.addressCode})` },
    { label: 'residence:declare.basis', valueKey: `residence:basis.${d.basis}` },
    ...(d.basisNote ? [{ label: 'residence:case.basisNote', value: d.basisNote }] : []),
    { label: 'residence:case.declaredOn', value: d.declaredOn },
    { label: 'residence:case.channel', valueKey: `residence:channel.${d.channel}` },
    { label: 'residence:status.fee', value: `€${(d.feeCents / 100).toFixed(2)}` },
  ];
  return {
    facts,
    uploads: await uploads(em, caseId),
    requests: await documentRequests(em, caseId),
  };
};

/** The annulment's facts: whose residence, who asked, since when, on what grounds. */
export const annulmentView: CaseViewProvider = async (em, caseId) => {
  const a = await em.findOne(ResidenceAnnulment, { where: { caseId } });
  if (!a) return null;
  const facts: CaseFact[] = [
    {
      label: 'residence:case.person',
      value: a.personCode,
      href: person(a.personCode, caseId),
      personalCode: true,
    },
    ...(a.applicantCode
      ? [
          {
            label: 'residence:case.applicant',
            value: a.applicantCode,
            href: person(a.applicantCode, caseId),
            personalCode: true as const,
          },
        ]
      : []),
    { label: 'residence:case.declaredOn', value: a.declaredOn },
    // The ground as it was in force when the case was opened, in the decision's language (lv).
    ...(a.ground
      ? [
          {
            label: 'residence:case.ground',
            value: `${a.ground.label.lv} (${a.ground.code}; ${a.ground.legalReference})`,
          },
        ]
      : []),
    {
      label: a.ground ? 'residence:case.groundsExplanation' : 'residence:case.grounds',
      value: a.grounds,
    },
  ];
  return { facts, uploads: await uploads(em, caseId), requests: [] };
};

/** Party to a declaration besides its applicant: everyone declared at the address. */
export const declarationParties: CasePartiesProvider = async (em, caseId) =>
  (await em.findOne(ResidenceDeclaration, { where: { caseId } }))?.personCodes ?? [];

/** Party to an annulment: the person whose residence is annulled. */
export const annulmentParties: CasePartiesProvider = async (em, caseId) => {
  const a = await em.findOne(ResidenceAnnulment, { where: { caseId } });
  return a ? [a.personCode] : [];
};
