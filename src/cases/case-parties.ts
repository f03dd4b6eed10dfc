import type { EntityManager } from 'typeorm';

/**
 * Residents a process names as party to its cases besides the applicant (`cases.applicant_ref`),
 * by personal code: e.g. everyone declared at an address, the person whose residence is annulled.
 * Processes register here (one line each); read inside the caller's tenant transaction.
 */
export type CasePartiesProvider = (em: EntityManager, caseId: string) => Promise<string[]>;
const providers = new Map<string, CasePartiesProvider>();

export function registerCaseParties(processKey: string, provider: CasePartiesProvider): void {
  providers.set(processKey, provider);
}

export const findCaseParties = (processKey: string): CasePartiesProvider | undefined => providers.get(processKey);
