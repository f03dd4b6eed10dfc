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
  documents: Pick<DocumentService, 'issue' | 'languages'>;
  t(lang: string, key: string, vars?: Record<string, unknown>): string;
}

/**
 * Issues the certificate a person asked for, from the registers' current data (idempotent per
 * case). It is in the municipality's official language whatever language the requester used,
 * with a translation when the municipality issues bilingual documents.
 */
export function createCertificateActivities(ports: CertificatePorts) {
  const addressText = async (code: string): Promise<string> =>
    (await ports.address.getByCode(code))?.fullText ?? code;
  const person = async (code: string) => {
    const p = await ports.population.getPerson(code);
    if (!p)
      throw new DomainError(ErrorCode.NotFound, `person ${code} not in the population register`);
    return p;
  };
  const signatory = (lang: string) => ({
    name: ports.t(lang, 'residence:certificate.signatoryName'),
    position: ports.t(lang, 'residence:certificate.signatoryPosition'),
  });

  /**
   * The template, its data in a given language (only texts differ between languages) and the
   * personal codes of everyone it shows, stored with the document so each staff read names them.
   */
  const certificate = async (
    req: CertificateRequest,
  ): Promise<{ templateKey: string; data: (lang: string) => unknown; persons: string[] }> => {
    const p = await person(req.subjectCode);
    const who = {
      givenName: p.givenName,
      familyName: p.familyName,
      personalCode: p.personalCode,
      sex: p.sex,
    };
    switch (req.kind) {
      case 'declared': {
        const r = await ports.population.getDeclaredResidence(req.subjectCode);
        if (!r) throw new DomainError(ErrorCode.NotFound, 'no declared residence');
        const address = await addressText(r.addressCode);
        return {
          templateKey: 'residence-declaration/residence-certificate',
          data: (lang) => ({
            person: who,
            address,
            declaredFrom: r.validFrom,
            signatory: signatory(lang),
          }),
          persons: [p.personalCode],
        };
      }
      case 'history':
      case 'last': {
        const all = await ports.population.getResidenceHistory(req.subjectCode);
        const last = req.kind === 'last' ? lastNotAnnulled(all) : null;
        const rows = req.kind === 'last' ? (last ? [last] : []) : all;
        if (rows.length === 0) throw new DomainError(ErrorCode.NotFound, 'no residence history');
        const entries = await Promise.all(
          rows.map(async (r) => ({
            address: await addressText(r.addressCode),
            from: r.validFrom,
            ...(r.validTo ? { to: r.validTo } : {}),
            status: r.status,
          })),
        );
        return {
          templateKey: 'residence-declaration/residence-history',
          data: (lang) => ({
            person: who,
            lastOnly: req.kind === 'last',
            entries: entries.map((e) => ({
              ...e,
              status: ports.t(lang, `residence:residenceStatus.${e.status}`),
            })),
            signatory: signatory(lang),
          }),
          persons: [p.personalCode],
        };
      }
      case 'at-property': {
        const code = req.addressCode ?? '';
        const declared = await ports.population.listDeclaredAt(code);
        const persons = await Promise.all(
          declared.map(async (x) => ({
            givenName: x.givenName,
            familyName: x.familyName,
            declaredFrom:
              (await ports.population.getDeclaredResidence(x.personalCode))?.validFrom ??
              '1970-01-01',
          })),
        );
        const address = await addressText(code);
        return {
          templateKey: 'residence-declaration/declared-at-property',
          data: (lang) => ({
            owner: {
              name: `${p.givenName} ${p.familyName}`,
              personalCode: p.personalCode,
              sex: p.sex,
            },
            address,
            persons,
            signatory: signatory(lang),
          }),
          persons: [p.personalCode, ...declared.map((x) => x.personalCode)],
        };
      }
    }
  };

  return {
    /** `lang` (the requester's) is kept in the input for running cases; the document ignores it. */
    async issueRequestedCertificate(req: CertificateRequest): Promise<{ documentId: string }> {
      const { templateKey, data, persons } = await certificate(req);
      const { language, translation } = await ports.documents.languages(req.municipalityId);
      const doc = await ports.documents.issue({
        municipalityId: req.municipalityId,
        caseId: req.caseId,
        stepKey: 'certificate',
        templateKey,
        language,
        data: data(language),
        ...(translation ? { translation: { language: translation, data: data(translation) } } : {}),
        persons,
      });
      return { documentId: doc.id };
    },
  };
}

interface CertificateRequest {
  caseId: string;
  municipalityId: string;
  kind: CertificateKind;
  requesterCode: string;
  subjectCode: string;
  addressCode?: string;
  lang: string;
}

export type ResidenceCertificateActivities = ReturnType<typeof createCertificateActivities>;
