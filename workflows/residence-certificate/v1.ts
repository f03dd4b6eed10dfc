import { defineProcess } from '../kit';
import type { CaseActivities } from '../../activities/case/case.activities';
import type { CertificateKind, ResidenceCertificateActivities } from '../../activities/residence/certificate.activities';

/** A residence certificate on request: issued and sealed at once from the registers, then the case closes. */
export interface CertificateInput {
  municipalityId: string;
  kind: CertificateKind;
  requesterCode: string;
  subjectCode: string;
  addressCode?: string;
  lang: string;
}

export interface CertificateResult {
  documentId: string;
}

type Activities = CaseActivities & ResidenceCertificateActivities;

export const residenceCertificateV1 = defineProcess<CertificateInput, CertificateResult, Activities>(
  {
    key: 'residence-certificate',
    version: 1,
    activities: { issueRequestedCertificate: { retry: { maxAttempts: 6, initialIntervalMs: 200 }, timeoutMs: 60_000 } },
  },
  async (ctx, input) => {
    const ref = { caseId: ctx.caseId, municipalityId: input.municipalityId };
    const doc = await ctx.act.issueRequestedCertificate({ ...ref, kind: input.kind, requesterCode: input.requesterCode, subjectCode: input.subjectCode, addressCode: input.addressCode, lang: input.lang });
    await ctx.act.closeCase({ ...ref, outcome: 'issued' });
    return { documentId: doc.documentId };
  },
);
