import type { CaseFact, CaseViewProvider } from '../../../processes/process-module';
import { applicationCaseView } from '../application/application.case-views';
import { awardFacts } from '../awards/award.case-view';
import type { CalculationResult } from '../calculation/types';
import {
  SocialAssistanceAssessment,
  SocialAssistanceInformationRequest,
} from './assessment.entity';
import { SocialAssistanceVisit } from '../visits/visit.entity';
import { answerFiles } from './social-assistance-case.service';

const euro = (cents: number): string => `€${(cents / 100).toFixed(2)}`;

/**
 * The social-assistance case page (and its review task page): the application's facts and bills,
 * the latest assessment line by line ("how this was computed": value, formula, legal reference),
 * the interviews / home visits held,
 * the award with its amounts and payees, and the requests for information. Register checks are
 * the case page's own panel.
 */
export const socialAssistanceCaseView: CaseViewProvider = async (em, caseId) => {
  const base = await applicationCaseView(em, caseId);
  if (!base) return null;
  const facts: CaseFact[] = [...base.facts];
  const a = await em.findOne(SocialAssistanceAssessment, {
    where: { caseId },
    order: { round: 'DESC' },
  });
  if (a) {
    const r = a.result as CalculationResult;
    facts.push({ label: 'social-assistance:case.assessedOn', value: `${a.asOf} (${a.round})` });
    for (const l of r.lines)
      facts.push({
        label: l.labelKey,
        labelParams: l.labelParams,
        value: [
          l.amountCents !== null ? euro(l.amountCents) : (l.value ?? ''),
          l.formula,
          l.legalReference,
          l.excluded ? '—' : '',
        ]
          .filter(Boolean)
          .join(' · '),
      });
  }
  // Interviews / home visits: why, when, who, what was found and the conclusion (also on the review task page).
  const visits = await em.find(SocialAssistanceVisit, {
    where: { caseId },
    order: { visit: 'ASC' },
  });
  for (const v of visits) {
    const k = 'social-assistance:visit';
    facts.push(
      { label: `${k}.fact`, labelParams: { n: v.visit }, valueKey: `${k}.kinds.${v.kind}` },
      ...v.reasons.map((r) => ({ label: `${k}.reason`, valueKey: `${k}.reasons.${r}` })),
      { label: `${k}.heldOn`, value: v.heldOn },
      { label: `${k}.participants`, value: v.participants },
      { label: `${k}.findings`, value: v.findings },
      { label: `${k}.conclusion`, valueKey: `${k}.conclusions.${v.conclusion}` },
    );
  }
  // The award: status, period, state, and each amount row (decision and recalculations) with its payee.
  facts.push(...((await awardFacts(em, caseId)) ?? []));
  // The award's months as the payment schedule has them (one line per benefit and month).
  const lines: { key: string; amount_cents: number; status: string }[] = await em.query(
    `SELECT key, amount_cents, status FROM payment_lines WHERE case_id = $1 ORDER BY due_month, key`,
    [caseId],
  );
  for (const l of lines)
    facts.push({
      label: 'social-assistance:status.payments',
      value: `${l.key} · ${euro(l.amount_cents)} · ${l.status}`,
    });
  const requests = await em.find(SocialAssistanceInformationRequest, {
    where: { caseId },
    order: { round: 'ASC' },
  });
  // The answer with its files (from the case page or by e-address), downloaded through the application's audited read.
  const files = await answerFiles(em, caseId);
  return {
    facts,
    uploads: base.uploads,
    requests: requests.map((q) => ({
      question: q.question,
      answerBy: q.answerBy,
      status: q.answeredAt ? 'answered' : 'open',
      requestedAt: q.createdAt,
      answer: q.answer,
      files: files
        .filter((f) => f.requestId === q.id)
        .map((f) => ({
          fileName: f.fileName,
          sizeBytes: f.sizeBytes,
          href: `/workspace/social-assistance/applications/${f.applicationId}/housing/bills/${f.id}`,
        })),
    })),
  };
};
