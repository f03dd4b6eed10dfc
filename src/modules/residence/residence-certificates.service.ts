import type { IntakeChannel } from '../../cases/service-status/case-status';
import { Inject, Injectable } from '@nestjs/common';
import { CaseService } from '../../cases/case.service';
import { DocumentService, type IssuedDocumentSummary } from '../../documents/document.service';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../../integrations/population/population-register.port';
import {
  PROPERTY_REGISTER,
  type PropertyRegister,
} from '../../integrations/property/property-register.port';
import { DomainError, ErrorCode, type FieldError } from '../../platform/errors/domain-error';
import {
  CERTIFICATE_KINDS,
  type CertificateKind,
} from '../../../activities/residence/certificate.activities';
import { parsePersonalCode } from '../../persons/personal-code';
import { MunicipalDates } from './municipal-dates';
import { lastNotAnnulled, representable } from './residence.rules';

export interface CertificateRequest {
  municipalityId: string;
  kind: string;
  /** Who asks: the signed-in citizen, or the person at the counter. */
  requesterCode: string;
  /** Whose certificate: the requester or a person they represent (defaults to the requester). */
  subjectCode?: string;
  /** For `at-property`: the owner's dwelling. */
  addressCode?: string;
  lang: string;
  enteredBy: string;
  /** Asked online (e-service) or at the counter (reported to the services platform). */
  channel?: IntakeChannel;
}

const err = (field: string, key: string): FieldError => ({
  field,
  message: `residence:errors.${key}`,
});

/** Certificates on request: validated, then a short case whose run issues and seals the PDF at once. */
@Injectable()
export class ResidenceCertificatesService {
  constructor(
    private readonly cases: CaseService,
    private readonly documents: DocumentService,
    @Inject(POPULATION_REGISTER) private readonly population: PopulationRegister,
    @Inject(PROPERTY_REGISTER) private readonly property: PropertyRegister,
    private readonly dates: MunicipalDates,
  ) {}

  async request(
    r: CertificateRequest,
  ): Promise<{ caseId: string; document: IssuedDocumentSummary }> {
    const { kind, requester, subject, addressCode } = await this.validate(r);
    const c = await this.cases.open({
      municipalityId: r.municipalityId,
      processKey: 'residence-certificate',
      title: `residence:certificates.kind.${kind}`,
      applicantRef: requester,
      actor: r.enteredBy,
      channel: r.channel ?? 'counter',
      input: {
        kind,
        requesterCode: requester,
        subjectCode: subject,
        ...(addressCode ? { addressCode } : {}),
        lang: ['lv', 'en', 'el'].includes(r.lang) ? r.lang : 'lv',
      },
    });
    // Issued at once: the run takes well under a second; wait for its document.
    for (let i = 0; i < 300; i++) {
      const [doc] = await this.documents.listForCase(r.municipalityId, c.id);
      if (doc) return { caseId: c.id, document: doc };
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new DomainError(ErrorCode.ExternalTimeout, 'the certificate is not ready yet');
  }

  private async validate(r: CertificateRequest): Promise<{
    kind: CertificateKind;
    requester: string;
    subject: string;
    addressCode: string | null;
  }> {
    const errors: FieldError[] = [];
    if (!(CERTIFICATE_KINDS as readonly string[]).includes(r.kind))
      errors.push(err('kind', 'certificateKind'));
    const requester = parsePersonalCode(r.requesterCode ?? '', 'requesterCode');
    if (!requester.ok) errors.push(requester.error);
    const subject = r.subjectCode?.trim()
      ? parsePersonalCode(r.subjectCode, 'subjectCode')
      : requester;
    if (!subject.ok && subject !== requester) errors.push(subject.error);
    if (r.kind === 'at-property' && !/^\d{9}$/.test(r.addressCode ?? ''))
      errors.push(err('addressCode', 'addressFormat'));
    if (errors.length || !requester.ok || !subject.ok) throw DomainError.validation(errors);
    const kind = r.kind as CertificateKind;
    const req = requester.value.code;
    const sub = subject.value.code;
    if (sub !== req) {
      const allowed = representable(
        req,
        await this.population.getFamily(req),
        await this.dates.today(r.municipalityId),
      );
      if (!allowed.has(sub))
        throw DomainError.validation([
          { ...err('subjectCode', 'notRepresentable'), params: { code: sub } },
        ]);
    }
    if (kind === 'at-property') {
      const props = await this.property.getByAddress(r.addressCode!);
      if (!props.some((p) => p.owners.some((o) => o.ownerCode === req)))
        throw DomainError.validation([err('addressCode', 'notOwner')]);
      return { kind, requester: req, subject: req, addressCode: r.addressCode! };
    }
    if (kind === 'declared') {
      const current = await this.population.getDeclaredResidence(sub);
      if (!current || current.status !== 'active')
        throw DomainError.validation([err('subjectCode', 'noDeclaredResidence')]);
    } else {
      const history = await this.population.getResidenceHistory(sub);
      if (kind === 'last' ? !lastNotAnnulled(history) : history.length === 0)
        throw DomainError.validation([err('subjectCode', 'noDeclaredResidence')]);
    }
    return { kind, requester: req, subject: sub, addressCode: null };
  }
}
