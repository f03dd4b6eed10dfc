import type { EntityManager } from 'typeorm';
import { Task } from '../../src/cases/task.entity';
import { localDate } from '../../src/deadlines/calendar/time-zone';
import type { TaskService } from '../../src/cases/task.service';
import type { DocumentService } from '../../src/documents/document.service';
import type { ProcessEngine } from '../../src/engine/process-engine';
import type { AddressRegister } from '../../src/integrations/address/address-register.port';
import type { PopulationRegister } from '../../src/integrations/population/population-register.port';
import type { PropertyRegister } from '../../src/integrations/property/property-register.port';
import type { MunicipalDates } from '../../src/modules/residence/municipal-dates';
import type { DeliveryLegalEffect } from '../../src/delivery/legal/delivery-legal-effect';
import { endOfLocalDay } from '../../src/deadlines/calendar/time-zone';
import {
  ResidenceAnnulment,
  ResidenceDeclaration,
} from '../../src/modules/residence/residence-declaration.entity';
import {
  basisConfirmedByRegisters,
  minorsDeclaredWith,
  type OwnerRef,
} from '../../src/modules/residence/residence.rules';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { Language as Lang } from '../../src/platform/accounts/roles';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import {
  annulmentUpdate,
  type AnnulmentUpdate,
} from '../../workflows/residence-declaration/events';
import { addTimelineOnce } from '../case/case.activities';
import type { DeliveryPath, Party, PartyMessage } from '../delivery';

export interface ResidenceActivityPorts {
  tenantDb: TenantDb;
  population: PopulationRegister;
  address: AddressRegister;
  property: PropertyRegister;
  /** The one way to reach a person (activities/delivery). */
  delivery: Pick<DeliveryPath, 'run'>;
  documents: Pick<DocumentService, 'issue' | 'languages'>;
  engine: Pick<ProcessEngine, 'signal'>;
  tasks: Pick<TaskService, 'withdraw'>;
  dates: Pick<MunicipalDates, 'timeZone'>;
  /** Terms a person must act within, counted on the municipality's calendar. */
  legal: Pick<DeliveryLegalEffect, 'termEnd'>;
  t(lang: string, key: string, vars?: Record<string, unknown>): string;
}

interface Ref {
  caseId: string;
  municipalityId: string;
}

export interface AddressCheck {
  exists: boolean;
  fullText: string | null;
}

export interface BasisCheck {
  owners: OwnerRef[];
  confirmed: boolean;
  /** Why the registers confirm it (e.g. `declarant-owns-share`), or why a person must look. */
  reason: string;
}

export interface PersonsCheck {
  persons: { code: string; givenName: string; familyName: string; birthDate: string }[];
  missing: string[];
}

async function loadDeclaration(em: EntityManager, id: string): Promise<ResidenceDeclaration> {
  const d = await em.findOne(ResidenceDeclaration, { where: { id } });
  if (!d) throw new DomainError(ErrorCode.NotFound, `declaration ${id} not found`);
  return d;
}

/** The caseworker's completed annulment review of a case (its decision and when it was made), if any. */
function completedReview(em: EntityManager, caseId: string): Promise<Task | null> {
  return em.findOne(Task, { where: { caseId, step: 'annulment-review', status: 'completed' } });
}

/**
 * The date an annulment runs from when the basis was lost after the declaration: the local date of
 * the decision in the municipality. residence-annulment@v1 (hash-locked) passes the UTC date of the
 * decision instead, so the activity takes it from the completed review task; the declaration date
 * (no basis then) is passed through.
 */
async function annulledFromDate(
  em: EntityManager,
  caseId: string,
  passed: string,
  timeZone: string,
): Promise<string> {
  const review = await completedReview(em, caseId);
  if (!review?.completedAt || review.decision?.basisAtDeclaration !== true) return passed;
  return localDate(review.completedAt, timeZone);
}

async function loadAnnulment(em: EntityManager, id: string): Promise<ResidenceAnnulment> {
  const a = await em.findOne(ResidenceAnnulment, { where: { id } });
  if (!a) throw new DomainError(ErrorCode.NotFound, `annulment ${id} not found`);
  return a;
}

/**
 * Activities of the residence declaration and annulment processes. Each is idempotent per case
 * and step: register writes carry a request reference, outbox rows an idempotency key, documents
 * a step key, timeline entries a key.
 */
export function createResidenceActivities(ports: ResidenceActivityPorts) {
  const { tenantDb } = ports;

  type Vars = Record<string, unknown> | ((lang: string) => Record<string, unknown>);
  /** A message to a party through the one delivery path: keys rendered in the channel's language. */
  const message = (
    ref: Ref,
    m: {
      key: string;
      party: Party;
      purpose: 'notice' | 'decision';
      subjectKey: string;
      bodyKey: string;
      vars?: Vars;
      attachments?: string[];
    },
  ): PartyMessage => ({
    ...ref,
    key: m.key,
    party: m.party,
    purpose: m.purpose,
    documentIds: m.attachments ?? [],
    text: (lang) => {
      const vars = typeof m.vars === 'function' ? m.vars(lang) : (m.vars ?? {});
      return { subject: ports.t(lang, m.subjectKey), body: ports.t(lang, m.bodyKey, vars) };
    },
  });

  /**
   * The annulment decision as a sealed `generic/decision` document addressed to the declared
   * person, in the municipality's official language (plus a translation if it issues bilingual).
   */
  const issueAnnulmentDecision = async (
    req: Ref & { outcome: 'annulled' | 'kept'; annulledFrom: string | null },
    a: ResidenceAnnulment,
    address: string,
    reason: string | null,
  ): Promise<string> => {
    const person = await ports.population.getPerson(a.personCode);
    const name = person ? `${person.givenName} ${person.familyName}` : a.personCode;
    const others = a.annulledCodes.filter((c) => c !== a.personCode);
    const data = (lang: string) => {
      const t = (key: string, vars: Record<string, unknown> = {}) =>
        ports.t(lang, `residence:annulment.decisionDocument.${key}`, vars);
      const decision =
        req.outcome === 'annulled'
          ? [
              t('annul', { name, address, from: req.annulledFrom ?? '' }),
              ...(others.length ? [t('annulMinors', { codes: others.join(', ') })] : []),
            ]
          : [t('keep', { name, address })];
      return {
        addressee: { name, address },
        title: t('title'),
        facts: [
          // The ground chosen from the list in force when the case was opened, with its code and legal reference.
          ...(a.ground
            ? [
                t('ground', {
                  label: a.ground.label[lang as keyof typeof a.ground.label] ?? a.ground.label.lv,
                  code: a.ground.code,
                  reference: a.ground.legalReference,
                }),
              ]
            : []),
          t(a.initiatedBy === 'owner' ? 'factsOwner' : 'factsExOfficio', {
            declaredOn: a.declaredOn,
            grounds: a.grounds,
          }),
          ...(reason ? [t('reasons', { reason })] : []),
        ],
        legalBasis: [t('legalBasis')],
        decision,
        appeal: t('appeal'),
        signatory: {
          name: ports.t(lang, 'residence:certificate.signatoryName'),
          position: ports.t(lang, 'residence:certificate.signatoryPosition'),
        },
      };
    };
    const { language, translation } = await ports.documents.languages(req.municipalityId);
    const doc = await ports.documents.issue({
      municipalityId: req.municipalityId,
      caseId: req.caseId,
      stepKey: 'annulment-decision',
      templateKey: 'generic/decision',
      language,
      data: data(language),
      ...(translation ? { translation: { language: translation, data: data(translation) } } : {}),
      // The decision names the person, and the minors whose residence is annulled with theirs.
      persons: req.outcome === 'annulled' ? [a.personCode, ...others] : [a.personCode],
    });
    return doc.id;
  };

  return {
    async checkDeclarationAddress(req: Ref & { addressCode: string }): Promise<AddressCheck> {
      const a = await ports.address.getByCode(req.addressCode);
      const check = { exists: !!a, fullText: a?.fullText ?? null };
      await tenantDb.run(req.municipalityId, (em) =>
        addTimelineOnce(em, {
          ...req,
          key: 'residence.address-checked',
          kind: 'registry.checked',
          data: { register: 'address', ...check },
        }),
      );
      return check;
    },

    async checkDeclarationBasis(
      req: Ref & { applicantCode: string; addressCode: string; basis: string },
    ): Promise<BasisCheck> {
      const [properties, family] = await Promise.all([
        ports.property.getByAddress(req.addressCode),
        ports.population.getFamily(req.applicantCode),
      ]);
      const owners = properties.flatMap((p) =>
        p.owners.map((o) => ({ code: o.ownerCode, name: o.ownerName })),
      );
      const r = basisConfirmedByRegisters({
        basis: req.basis,
        applicantCode: req.applicantCode,
        owners,
        relatives: family
          .filter((f) => f.relation === 'parent' || f.relation === 'child')
          .map((f) => f.person.personalCode),
      });
      const check = { owners, ...r };
      await tenantDb.run(req.municipalityId, (em) =>
        addTimelineOnce(em, {
          ...req,
          key: 'residence.basis-checked',
          kind: 'registry.checked',
          data: {
            register: 'property',
            confirmed: r.confirmed,
            reason: r.reason,
            owners: owners.length,
          },
        }),
      );
      return check;
    },

    async checkDeclaredPersons(req: Ref & { personCodes: string[] }): Promise<PersonsCheck> {
      const found = await Promise.all(req.personCodes.map((c) => ports.population.getPerson(c)));
      const persons = found.flatMap((p) =>
        p
          ? [
              {
                code: p.personalCode,
                givenName: p.givenName,
                familyName: p.familyName,
                birthDate: p.birthDate,
              },
            ]
          : [],
      );
      const missing = req.personCodes.filter((c) => !persons.some((p) => p.code === c));
      await tenantDb.run(req.municipalityId, (em) =>
        addTimelineOnce(em, {
          ...req,
          key: 'residence.persons-checked',
          kind: 'registry.checked',
          data: { register: 'population', found: persons.length, missing: missing.length },
        }),
      );
      return { persons, missing };
    },

    /** Writes the declared residence of every declared person into the population register. */
    async registerDeclaredResidence(
      req: Ref & { declarationId: string },
    ): Promise<{ residenceIds: string[] }> {
      // The run starts after the declaration's transaction commits (CaseService.open with em).
      const d = await tenantDb.run(req.municipalityId, (em) =>
        loadDeclaration(em, req.declarationId),
      );
      const ids: string[] = [];
      for (const code of d.personCodes) {
        const r = await ports.population.registerResidence({
          requestRef: `${req.caseId}:${code}`,
          personalCode: code,
          addressCode: d.addressCode,
          validFrom: d.declaredOn,
          basis: d.basis,
        });
        ids.push(r.id);
      }
      await tenantDb.run(req.municipalityId, async (em) => {
        await em.update(
          ResidenceDeclaration,
          { id: d.id, status: 'submitted' },
          { status: 'registered', registeredAt: new Date() },
        );
        await addTimelineOnce(em, {
          ...req,
          key: 'residence.registered',
          kind: 'residence.registered',
          data: { persons: d.personCodes.length, addressCode: d.addressCode },
        });
      });
      return { residenceIds: ids };
    },

    async rejectDeclaration(req: Ref & { declarationId: string; reason: string }): Promise<void> {
      await ports.delivery.run(req.municipalityId, async (em, notify) => {
        const d = await loadDeclaration(em, req.declarationId);
        await em.update(
          ResidenceDeclaration,
          { id: d.id, status: 'submitted' },
          { status: 'rejected' },
        );
        await notify(
          message(req, {
            key: 'rejection-notice',
            party: { personalCode: d.applicantCode, email: d.contactEmail, lang: d.lang },
            purpose: 'decision',
            subjectKey: 'residence:messages.rejected.subject',
            bodyKey: 'residence:messages.rejected.body',
            vars: { address: d.addressText, reason: req.reason },
          }),
        );
      });
    },

    async requestDocuments(
      req: Ref & { declarationId: string; round: number; documents: string; respondBy: string },
    ): Promise<{ channel: string | null }> {
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const d = await loadDeclaration(em, req.declarationId);
        const channel = await notify(
          message(req, {
            key: `documents-request:${req.round}`,
            party: { personalCode: d.applicantCode, email: d.contactEmail, lang: d.lang },
            purpose: 'notice',
            subjectKey: 'residence:messages.documents.subject',
            bodyKey: 'residence:messages.documents.body',
            vars: { documents: req.documents, respondBy: req.respondBy.slice(0, 10) },
          }),
        );
        await em.update(
          'cases',
          { id: req.caseId, status: 'open' },
          { stage: 'awaiting-documents' },
        );
        await addTimelineOnce(em, {
          ...req,
          key: `residence.documents-requested:${req.round}`,
          kind: 'residence.documents-requested',
          data: { documents: req.documents, respondBy: req.respondBy },
        });
        return { channel };
      });
    },

    /** Notifies the owners of the dwelling who are not among the declared persons. */
    async notifyOwners(
      req: Ref & { declarationId: string; owners: OwnerRef[] },
    ): Promise<{ notified: string[] }> {
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const d = await loadDeclaration(em, req.declarationId);
        const notified: string[] = [];
        for (const o of req.owners) {
          if (d.personCodes.includes(o.code) || !/^\d{6}-\d{5}$/.test(o.code)) continue;
          const ch = await notify(
            message(req, {
              key: `owner-notice:${o.code}`,
              party: { personalCode: o.code, name: o.name, lang: 'lv' },
              purpose: 'notice',
              subjectKey: 'residence:messages.owner.subject',
              bodyKey: 'residence:messages.owner.body',
              vars: { address: d.addressText, count: d.personCodes.length, date: d.declaredOn },
            }),
          );
          if (ch) notified.push(o.code);
        }
        await addTimelineOnce(em, {
          ...req,
          key: 'residence.owners-notified',
          kind: 'residence.owners-notified',
          data: { owners: notified.length },
        });
        return { notified };
      });
    },

    /** One certificate per declared person, in the municipality's official language (not the applicant's). */
    async issueResidenceCertificates(
      req: Ref & { declarationId: string },
    ): Promise<{ documentIds: string[] }> {
      const d = await tenantDb.run(req.municipalityId, (em) =>
        loadDeclaration(em, req.declarationId),
      );
      const { language, translation } = await ports.documents.languages(req.municipalityId);
      const ids: string[] = [];
      for (const code of d.personCodes) {
        const p = await ports.population.getPerson(code);
        if (!p)
          throw new DomainError(
            ErrorCode.NotFound,
            `person ${code} not in the population register`,
          );
        const data = (lang: string) => ({
          person: {
            givenName: p.givenName,
            familyName: p.familyName,
            personalCode: p.personalCode,
            sex: p.sex,
          },
          address: d.addressText,
          declaredFrom: d.declaredOn,
          signatory: {
            name: ports.t(lang, 'residence:certificate.signatoryName'),
            position: ports.t(lang, 'residence:certificate.signatoryPosition'),
          },
        });
        const doc = await ports.documents.issue({
          municipalityId: req.municipalityId,
          caseId: req.caseId,
          // The step key is internal (idempotency per person); it is printed nowhere.
          stepKey: `certificate:${code}`,
          templateKey: 'residence-declaration/residence-certificate',
          language,
          data: data(language),
          ...(translation
            ? { translation: { language: translation, data: data(translation) } }
            : {}),
          persons: [code],
        });
        ids.push(doc.id);
      }
      return { documentIds: ids };
    },

    /** Sends the certificates to the applicant's e-address, else e-mail, else keeps them for collection. */
    async deliverCertificates(
      req: Ref & { declarationId: string; documentIds: string[] },
    ): Promise<{ channel: string }> {
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const d = await loadDeclaration(em, req.declarationId);
        const channel =
          (await notify(
            message(req, {
              key: 'certificate-delivery',
              // The applicant now lives at the declared address when they declared for themselves.
              party: {
                personalCode: d.applicantCode,
                email: d.contactEmail,
                lang: d.lang,
                postalAddress: d.personCodes.includes(d.applicantCode) ? d.addressText : null,
              },
              purpose: 'decision',
              subjectKey: 'residence:messages.registered.subject',
              bodyKey: 'residence:messages.registered.body',
              vars: { address: d.addressText, date: d.declaredOn },
              attachments: req.documentIds,
            }),
          )) ?? 'collection';
        await addTimelineOnce(em, {
          ...req,
          key: 'residence.certificate-delivery',
          kind: 'residence.certificate-delivery',
          data: { channel, documents: req.documentIds.length },
        });
        return { channel };
      });
    },

    /**
     * A declaration elsewhere ends any annulment pending for these persons (nothing is annulled). A
     * re-declaration at the address under annulment does not: the basis there is still in question.
     */
    async endPendingAnnulments(
      req: Ref & { personCodes: string[]; at: string },
    ): Promise<{ signalled: string[] }> {
      const { open, reviews } = await tenantDb.run(req.municipalityId, async (em) => {
        const d = await em.findOne(ResidenceDeclaration, { where: { caseId: req.caseId } });
        if (!d) throw new DomainError(ErrorCode.NotFound, `no declaration for case ${req.caseId}`);
        const open = await em
          .createQueryBuilder(ResidenceAnnulment, 'a')
          .where('a.person_code IN (:...codes)', { codes: req.personCodes })
          .andWhere(`a.status = 'open'`)
          .andWhere('a.case_id IS NOT NULL')
          .andWhere('a.address_code <> :address', { address: d.addressCode })
          .getMany();
        // From annulment v2 a re-declaration also ends a case under review: its review task is withdrawn
        // (v1 runs read the update only before the response date, so their task stays for a decision).
        const reviews: { id: string }[] = open.length
          ? await em.query(
              `SELECT t.id FROM tasks t JOIN cases c ON c.id = t.case_id
                WHERE t.case_id = ANY($1::uuid[]) AND t.step = 'annulment-review' AND t.status IN ('open', 'claimed') AND c.process_version >= 2`,
              [open.map((a) => a.caseId!)],
            )
          : [];
        return { open, reviews };
      });
      const payload: AnnulmentUpdate = {
        kind: 'redeclared',
        declarationCaseId: req.caseId,
        at: req.at,
      };
      for (const a of open) {
        await ports.engine.signal(a.caseId!, annulmentUpdate.topic.topic, payload, {
          idempotencyKey: `redeclared:${req.caseId}:${a.id}`,
        });
      }
      for (const t of reviews)
        await ports.tasks.withdraw(req.municipalityId, t.id, {
          outcome: 'withdrawn',
          declarationCaseId: req.caseId,
        });
      return { signalled: open.map((a) => a.caseId!) };
    },

    // ---- annulment ----

    /**
     * Invites the person to show a legal basis: by a date (v1–v3), or (v4) within a period counted
     * from the day the invitation is deemed notified, which the run learns after sending.
     */
    async inviteToShowBasis(
      req: Ref & {
        annulmentId: string;
        respondBy?: string;
        respondWithin?: { value: number; unit: string };
      },
    ): Promise<{ channel: string | null }> {
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const a = await loadAnnulment(em, req.annulmentId);
        const address = (await ports.address.getByCode(a.addressCode))?.fullText ?? a.addressCode;
        const within = req.respondWithin;
        // A letter goes to the address whose declaration is in question.
        const channel = await notify(
          message(req, {
            key: 'basis-invitation',
            party: { personalCode: a.personCode, lang: 'lv', postalAddress: address },
            purpose: 'notice',
            subjectKey: 'residence:messages.invitation.subject',
            bodyKey: within
              ? 'residence:messages.invitationWithin.body'
              : 'residence:messages.invitation.body',
            vars: within
              ? (lang: string) => ({
                  address,
                  period: ports.t(lang, `residence:messages.period.${within.unit}`, {
                    count: within.value,
                  }),
                })
              : { address, respondBy: (req.respondBy ?? '').slice(0, 10) },
          }),
        );
        // v4 waits for the answer only once the invitation took effect (setResponsePeriod).
        if (!within)
          await em.update(
            'cases',
            { id: req.caseId, status: 'open' },
            { stage: 'awaiting-response' },
          );
        await addTimelineOnce(em, {
          ...req,
          key: 'residence.basis-invitation',
          kind: 'residence.basis-invitation',
          data: within ? { respondWithin: within, channel } : { respondBy: req.respondBy, channel },
        });
        return { channel };
      });
    },

    /**
     * The person's response period, counted from the day the invitation is deemed notified in the
     * unit of the parameter (working days on the municipality's calendar, or calendar days moved
     * off a holiday); recorded on the case. Returns the end of that local day.
     */
    async setResponsePeriod(
      req: Ref & { notifiedOn: string; channel: string; value: number; unit: string },
    ): Promise<{ respondBy: string; lastDay: string }> {
      const [lastDay, timeZone] = await Promise.all([
        ports.legal.termEnd(req.municipalityId, req.notifiedOn, req.value, req.unit),
        ports.dates.timeZone(req.municipalityId),
      ]);
      const respondBy = endOfLocalDay(lastDay, timeZone).toISOString();
      await tenantDb.run(req.municipalityId, async (em) => {
        await em.update(
          'cases',
          { id: req.caseId, status: 'open' },
          { stage: 'awaiting-response' },
        );
        await addTimelineOnce(em, {
          caseId: req.caseId,
          municipalityId: req.municipalityId,
          key: 'residence.response-period',
          kind: 'residence.response-period',
          data: {
            notifiedOn: req.notifiedOn,
            channel: req.channel,
            lastDay,
            respondBy,
            period: { value: req.value, unit: req.unit },
          },
        });
      });
      return { respondBy, lastDay };
    },

    /**
     * Annuls the person's declared residence and that of minors declared with them. Returns the
     * date actually used: the decision date is taken in the municipality's zone.
     */
    async annulDeclaredResidence(
      req: Ref & { annulmentId: string; annulledFrom: string },
    ): Promise<{ annulled: string[]; annulledFrom: string }> {
      const timeZone = await ports.dates.timeZone(req.municipalityId);
      const [a, annulledFrom] = await tenantDb.run(req.municipalityId, (em) =>
        Promise.all([
          loadAnnulment(em, req.annulmentId),
          annulledFromDate(em, req.caseId, req.annulledFrom, timeZone),
        ]),
      );
      const [family, histories] = await Promise.all([
        ports.population.getFamily(a.personCode),
        ports.population.getResidenceHistory(a.personCode),
      ]);
      const own = histories.find((h) => h.id === a.residenceId);
      if (!own)
        throw new DomainError(
          ErrorCode.NotFound,
          `residence ${a.residenceId} of ${a.personCode} not found`,
        );
      const children = family
        .filter((f) => f.relation === 'child' || f.relation === 'ward')
        .map((f) => f.person);
      const childResidences = await Promise.all(
        children.map(async (c) => ({
          person: c,
          current: await ports.population.getDeclaredResidence(c.personalCode),
        })),
      );
      const minors = minorsDeclaredWith(own, childResidences, annulledFrom);
      const targets = [{ code: a.personCode, residenceId: own.id }, ...minors];
      for (const t of targets) {
        await ports.population.annulResidence({
          requestRef: `${req.caseId}:${t.code}`,
          personalCode: t.code,
          residenceId: t.residenceId,
          annulledFrom,
        });
      }
      const annulled = targets.map((t) => t.code);
      await tenantDb.run(req.municipalityId, async (em) => {
        await em.update(
          ResidenceAnnulment,
          { id: a.id },
          { status: 'annulled', annulledFrom, annulledCodes: annulled },
        );
        await addTimelineOnce(em, {
          ...req,
          key: 'residence.annulled',
          kind: 'residence.annulled',
          data: { annulledFrom, persons: annulled.length },
        });
      });
      return { annulled, annulledFrom };
    },

    async closeAnnulment(
      req: Ref & { annulmentId: string; status: 'kept' | 'ended-redeclared' },
    ): Promise<void> {
      await tenantDb.run(req.municipalityId, (em) =>
        em.update(
          ResidenceAnnulment,
          { id: req.annulmentId, status: 'open' },
          { status: req.status },
        ),
      );
    },

    /**
     * Sends the decision to the person (within 3 working days: it is queued at once) and to an
     * applying owner. A decision (annulled or kept) is an official document: it is issued as a
     * sealed PDF (idempotent per case) and attached; a case ended by a declaration elsewhere gets a
     * notice only, since nothing was decided.
     */
    async notifyAnnulmentDecision(
      req: Ref & {
        annulmentId: string;
        outcome: 'annulled' | 'kept' | 'ended-redeclared';
        annulledFrom: string | null;
        lang?: Lang;
      },
    ): Promise<{ notified: string[]; documentId: string | null }> {
      const lang = req.lang ?? 'lv';
      const { a, address, reason } = await tenantDb.run(req.municipalityId, async (em) => {
        const a = await loadAnnulment(em, req.annulmentId);
        const reason =
          ((await completedReview(em, req.caseId))?.decision as { reason?: string } | null)
            ?.reason ?? null;
        return {
          a,
          address: (await ports.address.getByCode(a.addressCode))?.fullText ?? a.addressCode,
          reason,
        };
      });
      // The row holds the date the register was given (local to the municipality).
      const from = (req.outcome === 'annulled' ? a.annulledFrom : null) ?? req.annulledFrom;
      const documentId =
        req.outcome === 'ended-redeclared'
          ? null
          : await issueAnnulmentDecision(
              { ...req, outcome: req.outcome, annulledFrom: from },
              a,
              address,
              reason,
            );
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const vars = (l: string) => ({
          address,
          outcome: ports.t(l, `residence:annulment.outcome.${req.outcome}`),
          from: from ?? '',
        });
        const notified: string[] = [];
        for (const code of [a.personCode, ...(a.applicantCode ? [a.applicantCode] : [])]) {
          const ch = await notify(
            message(req, {
              key: `annulment-decision:${code}`,
              party: {
                personalCode: code,
                lang,
                postalAddress: code === a.personCode ? address : null,
              },
              purpose: 'decision',
              subjectKey: 'residence:messages.annulmentDecision.subject',
              bodyKey: 'residence:messages.annulmentDecision.body',
              vars,
              attachments: documentId ? [documentId] : [],
            }),
          );
          if (ch) notified.push(code);
        }
        return { notified, documentId };
      });
    },
  };
}

export type ResidenceActivities = ReturnType<typeof createResidenceActivities>;
