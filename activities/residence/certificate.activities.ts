import type { DocumentService } from '../../src/documents/document.service';
import type { AddressRegister } from '../../src/integrations/address/address-register.port';
import type { PopulationRegister } from '../../src/integrations/population/population-register.port';
import { lastNotAnnulled } from '../../src/modules/residence/residence.rules';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';

export const CERTIFICATE_KINDS = ['declared', 'history', 'last', 'at-property'] as const;
export type CertificateKind = (typeof CERTIFICATE_KINDS)[number];

export interface CertificatePorts {
  population: PopulationRegister;
  address: AddressRegister;
  documents: Pick<DocumentService, 'issue'>;
  t(lang: string, key: string, vars?: Record<string, unknown>): string;
}

/** Issues the certificate a person asked for, from the registers' current data (idempotent per case). */
export function createCertificateActivities(ports: CertificatePorts) {
  const addressText = async (code: string): Promise<string> => (await ports.address.getByCode(code))?.fullText ?? code;
  const person = async (code: string) => {
    const p = await ports.population.getPerson(code);
    if (!p) throw new DomainError(ErrorCode.NotFound, `person ${code} not in the population register`);
    return p;
  };

  return {
    async issueRequestedCertificate(req: { caseId: string; municipalityId: string; kind: CertificateKind; requesterCode: string; subjectCode: string; addressCode?: string; lang: string }): Promise<{ documentId: string }> {
      const signatory = { name: ports.t(req.lang, 'residence:certificate.signatoryName'), position: ports.t(req.lang, 'residence:certificate.signatoryPosition') };
      const base = { municipalityId: req.municipalityId, caseId: req.caseId, stepKey: 'certificate', language: req.lang };
      const issue = async (templateKey: string, data: unknown) => (await ports.documents.issue({ ...base, templateKey, data })).id;
      const p = await person(req.subjectCode);
      const who = { givenName: p.givenName, familyName: p.familyName, personalCode: p.personalCode };
      switch (req.kind) {
        case 'declared': {
          const r = await ports.population.getDeclaredResidence(req.subjectCode);
          if (!r) throw new DomainError(ErrorCode.NotFound, 'no declared residence');
          return { documentId: await issue('residence-declaration/residence-certificate', { person: who, address: await addressText(r.addressCode), declaredFrom: r.validFrom, signatory }) };
        }
        case 'history':
        case 'last': {
          const all = await ports.population.getResidenceHistory(req.subjectCode);
          const last = req.kind === 'last' ? lastNotAnnulled(all) : null;
          const rows = req.kind === 'last' ? (last ? [last] : []) : all;
          if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, 'no residence history');
          const entries = await Promise.all(rows.map(async (r) => ({ address: await addressText(r.addressCode), from: r.validFrom, ...(r.validTo ? { to: r.validTo } : {}), status: ports.t(req.lang, `residence:residenceStatus.${r.status}`) })));
          return { documentId: await issue('residence-declaration/residence-history', { person: who, lastOnly: req.kind === 'last', entries, signatory }) };
        }
        case 'at-property': {
          const code = req.addressCode ?? '';
          const declared = await ports.population.listDeclaredAt(code);
          const persons = await Promise.all(
            declared.map(async (x) => ({ givenName: x.givenName, familyName: x.familyName, declaredFrom: (await ports.population.getDeclaredResidence(x.personalCode))?.validFrom ?? '1970-01-01' })),
          );
          return { documentId: await issue('residence-declaration/declared-at-property', { owner: { name: `${p.givenName} ${p.familyName}`, personalCode: p.personalCode }, address: await addressText(code), persons, signatory }) };
        }
      }
    },
  };
}

export type ResidenceCertificateActivities = ReturnType<typeof createCertificateActivities>;
