import type { CaseFact, CaseViewProvider } from '../../../processes/process-module';
import { formatCents } from '../calculation/exact';
import { SocialAssistanceAward, SocialAssistanceAwardAmount } from './award.entity';

const NS = 'social-assistance';

/**
 * The award's facts on the staff case page (for the manifest's `caseViews`, next to the
 * application's): status and period, state (stopped: from when and why), and every amount row
 * oldest first — decision and recalculations — so a recalculation shows as a new amount from its
 * date. Null when the case has no award (yet).
 */
export async function awardFacts(
  ...[em, caseId]: Parameters<CaseViewProvider>
): Promise<CaseFact[] | null> {
  const award = await em.findOne(SocialAssistanceAward, { where: { caseId } });
  if (!award) return null;
  const facts: CaseFact[] = [
    { label: `${NS}:award.status`, valueKey: `${NS}:status.${award.status}` },
    { label: `${NS}:award.period`, value: `${award.validFrom} – ${award.validUntil}` },
    { label: `${NS}:award.state`, valueKey: `${NS}:award.stateName.${award.state}` },
  ];
  if (award.stoppedOn) facts.push({ label: `${NS}:award.stoppedOn`, value: award.stoppedOn });
  if (award.stopReason)
    facts.push({
      label: `${NS}:award.stopReason`,
      valueKey: `${NS}:findings.kind.${award.stopReason}`,
    });
  const amounts = await em.find(SocialAssistanceAwardAmount, {
    where: { awardId: award.id },
    order: { benefit: 'ASC', validFrom: 'ASC' },
  });
  for (const a of amounts)
    facts.push({
      label: `${NS}:award.amountOf.${a.benefit}.${a.reason}`,
      value: `${a.validFrom} – ${a.validUntil}: ${formatCents(a.monthlyCents)} EUR · ${a.payeeName}${a.payeeIban ? `, ${a.payeeIban}` : ''}${a.payeeReference ? ` (${a.payeeReference})` : ''}`,
    });
  return facts;
}

/** The award as a case view of its own (when the application's view is not shown with it). */
export const awardView: CaseViewProvider = async (em, caseId) => {
  const facts = await awardFacts(em, caseId);
  return facts ? { facts, uploads: [], requests: [] } : null;
};
