import type { EntityManager } from 'typeorm';
import type { CaseStatusReporter } from '../../src/cases/service-status/case-status';
import { endOfLocalDay, localDate, zonedInstant } from '../../src/deadlines/calendar/time-zone';
import type { IsoDate } from '../../src/deadlines/calendar/working-days';
import type { DocumentService } from '../../src/documents/document.service';
import { SocialAssistanceApplication } from '../../src/modules/social-assistance/application/application.entity';
import {
  SocialAssistanceAward,
  SocialAssistanceAwardAmount,
  type AwardBenefit,
  type AwardState,
} from '../../src/modules/social-assistance/awards/award.entity';
import { calculate } from '../../src/modules/social-assistance/calculation/calculate';
import type {
  CalculationResult,
  CalcLine,
} from '../../src/modules/social-assistance/calculation/types';
import { calculationInputOf } from '../../src/modules/social-assistance/process/application-input';
import {
  SocialAssistanceAssessment,
  SocialAssistanceInformationRequest,
} from '../../src/modules/social-assistance/process/assessment.entity';
import { SA_KEYS } from '../../src/modules/social-assistance/social-assistance.parameters';
import { amountFields } from '../../src/modules/social-assistance/awards/award-amount-record';
import type { AwardStatusPublisher } from '../../src/modules/social-assistance/awards/award-status.publisher';
import type { PopulationRegister } from '../../src/integrations/population/population-register.port';
import type { AddressRegister } from '../../src/integrations/address/address-register.port';
import type { SocialAssistanceRulesService } from '../../src/modules/social-assistance/social-assistance-rules.service';
import type { ParametersService } from '../../src/parameters/parameters.service';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { addTimelineOnce } from '../case/case.activities';
import type { DeliveryPath, PartyMessage } from '../delivery';
import type { GrantedBenefit, VisitDecision } from '../../workflows/social-assistance/events';
import { SocialAssistanceVisit } from '../../src/modules/social-assistance/visits/visit.entity';
import {
  switchOn,
  visitReasons,
  type VisitReason,
} from '../../src/modules/social-assistance/visits/visit-rule';

export interface SocialAssistanceActivityPorts {
  tenantDb: TenantDb;
  rules: Pick<SocialAssistanceRulesService, 'inForce'>;
  parameters: Pick<ParametersService, 'effective'>;
  documents: Pick<DocumentService, 'issue' | 'languages'>;
  delivery: Pick<DeliveryPath, 'run'>;
  statusReports?: CaseStatusReporter;
  /** Where the holder lives when the award is granted (its address and territory, for the integrity monitor and statistics). */
  population: Pick<PopulationRegister, 'getDeclaredResidence'>;
  addresses: Pick<AddressRegister, 'getByCode'>;
  /** The award's status to the property-tax department, in the transaction that grants or ends it. */
  awardStatus: Pick<AwardStatusPublisher, 'publishAwardStatus'>;
  /** The municipality's time zone (its country's). */
  timeZone(municipalityId: string): Promise<string>;
  now(): Date;
  t(lang: string, key: string, vars?: Record<string, unknown>): string;
}

interface Ref {
  caseId: string;
  municipalityId: string;
}

/** One month of an award's benefit period: its first day and the instant it starts (municipal time). */
export interface AwardMonth {
  /** YYYY-MM-DD: the award's validFrom plus k months. */
  day: string;
  startsAt: string;
  /** The month the resident is reminded to apply again (the period's last). */
  remind: boolean;
}

export interface AssessmentSummary {
  status: 'needy' | 'low-income' | 'none';
  gmiBenefitCents: number;
  housingBenefitCents: number;
  /** Benefits asked for that the assessment gives an amount for. */
  payable: GrantedBenefit[];
}

/** A payment the award-life loop schedules for one month (schedulePayment's request without the case ref). */
export interface MonthPayment {
  key: string;
  payee: { kind: 'resident' | 'provider'; name: string; iban: string };
  amountCents: number;
  dueMonth: string;
  remittance: string;
}

const NS = 'social-assistance';

export function addMonths(date: IsoDate, n: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number);
  const first = new Date(Date.UTC(y, m - 1 + n, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(d, last));
  return first.toISOString().slice(0, 10);
}
const addDays = (date: IsoDate, n: number): IsoDate => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
/** Whole years between a birth date and a date (YYYY-MM-DD); 0 when either is missing. */
const ageOn = (birthDate: string, on: string): number => {
  if (!birthDate || !on) return 0;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};
const euro = (cents: number): string => (cents / 100).toFixed(2);

/**
 * Who an award's benefit is paid to: GMI to the resident's account; the housing benefit to the
 * provider the application names (its IBAN, the bill reference as remittance), else to the
 * resident with the first bill reference given.
 */
export function payeeOf(
  app: Pick<SocialAssistanceApplication, 'applicantName' | 'data'>,
  benefit: AwardBenefit,
): Pick<SocialAssistanceAwardAmount, 'payeeKind' | 'payeeName' | 'payeeIban' | 'payeeReference'> {
  const resident = {
    payeeKind: 'resident' as const,
    payeeName: app.applicantName,
    payeeIban: app.data.paymentAccount,
    payeeReference: null,
  };
  if (benefit === 'gmi') return resident;
  const costs = app.data.housingCosts;
  const provider = costs.find((c) => c.kind === app.data.housingPaidTo);
  if (provider?.iban && provider.payee)
    return {
      payeeKind: 'provider',
      payeeName: provider.payee,
      payeeIban: provider.iban,
      payeeReference: provider.reference || null,
    };
  return { ...resident, payeeReference: costs.find((c) => c.reference)?.reference ?? null };
}

async function loadApplication(
  em: EntityManager,
  caseId: string,
): Promise<SocialAssistanceApplication> {
  const app = await em.findOne(SocialAssistanceApplication, { where: { caseId } });
  if (!app) throw new DomainError(ErrorCode.NotFound, `no application for case ${caseId}`);
  return app;
}

async function latestAssessment(
  em: EntityManager,
  caseId: string,
): Promise<SocialAssistanceAssessment> {
  const a = await em.findOne(SocialAssistanceAssessment, {
    where: { caseId },
    order: { round: 'DESC' },
  });
  if (!a) throw new DomainError(ErrorCode.NotFound, `no assessment for case ${caseId}`);
  return a;
}

/**
 * The social-assistance process's own activities: the household for the register checks, the
 * means assessment, requests for information, the award with the decision, the decision
 * document and its delivery, and the award's months.
 */
export function createSocialAssistanceActivities(ports: SocialAssistanceActivityPorts) {
  const { tenantDb } = ports;
  const applicantParty = (app: SocialAssistanceApplication) => ({
    personalCode: app.applicantCode,
    email: app.data.contactEmail || null,
    lang: app.lang,
    name: app.applicantName,
  });
  const message = (
    ref: Ref,
    m: Omit<PartyMessage, 'caseId' | 'municipalityId' | 'text'> & {
      subjectKey: string;
      bodyKey: string;
      vars?: Record<string, string | number>;
    },
  ): PartyMessage => ({
    ...ref,
    key: m.key,
    party: m.party,
    purpose: m.purpose,
    documentIds: m.documentIds ?? [],
    text: (lang) => ({
      subject: ports.t(lang, m.subjectKey, m.vars),
      body: ports.t(lang, m.bodyKey, m.vars),
    }),
  });

  return {
    /** The household as the register checks need it: each member with what they declared. */
    async readSocialAssistanceHousehold(req: Ref & { applicationId: string }): Promise<{
      memberCodes: string[];
      /** Members who sign the co-operation duties agreement with GMI (SPSPL 7(1)). */
      cooperationCodes: string[];
      members: {
        personalCode: string;
        regularIncomeCents: number;
        disability: boolean;
        cadastreNumbers: string[];
        vehicles: string[];
      }[];
    }> {
      const app = await tenantDb.run(req.municipalityId, (em) => loadApplication(em, req.caseId));
      const d = app.data;
      return {
        memberCodes: d.members.map((m) => m.personalCode),
        cooperationCodes: d.members
          .filter(
            (m) =>
              m.workingAge &&
              !m.pensioner &&
              !m.disability &&
              !(m.fullTimeEducation && ageOn(m.birthDate, app.appliedOn ?? '') < 20),
          )
          .map((m) => m.personalCode),
        members: d.members.map((m) => ({
          personalCode: m.personalCode,
          regularIncomeCents: d.regularIncomes
            .filter((r) => r.member === m.personalCode)
            .reduce((s, r) => s + Object.values(r.months).reduce((a, c) => a + c, 0), 0),
          disability: m.disability,
          cadastreNumbers: d.properties
            .filter((p) => p.member === m.personalCode && p.cadastreNumber)
            .map((p) => p.cadastreNumber),
          vehicles: d.vehicles
            .filter((v) => v.member === m.personalCode)
            .map((v) => v.registrationNumber),
        })),
      };
    },

    /**
     * The means test of the application with the rules in force on `asOf` (the application date),
     * stored on the case as round `round` (a repeat returns the stored one).
     */
    async assessSocialAssistance(
      req: Ref & { applicationId: string; round: number; asOf: string },
    ): Promise<AssessmentSummary> {
      const params = await ports.rules.inForce(req.municipalityId, req.asOf);
      return tenantDb.run(req.municipalityId, async (em) => {
        const app = await loadApplication(em, req.caseId);
        let row = await em.findOne(SocialAssistanceAssessment, {
          where: { caseId: req.caseId, round: req.round },
        });
        if (!row) {
          const result = calculate(calculationInputOf(app.data, req.asOf), params);
          row = await em.save(
            em.create(SocialAssistanceAssessment, {
              municipalityId: req.municipalityId,
              caseId: req.caseId,
              applicationId: app.id,
              round: req.round,
              asOf: req.asOf,
              result,
            }),
          );
        }
        const r = row.result as CalculationResult;
        const payable: GrantedBenefit[] = [];
        if (app.data.benefits.includes('gmi') && r.gmiBenefitCents > 0) payable.push('gmi');
        if (app.data.benefits.includes('housing-benefit') && r.housingBenefitCents > 0)
          payable.push('housing');
        await addTimelineOnce(em, {
          ...req,
          key: `social-assistance.assessed:${req.round}`,
          kind: 'social-assistance.assessed',
          data: {
            round: req.round,
            status: r.status,
            gmiBenefitCents: r.gmiBenefitCents,
            housingBenefitCents: r.housingBenefitCents,
          },
        });
        return {
          status: r.status,
          gmiBenefitCents: r.gmiBenefitCents,
          housingBenefitCents: r.housingBenefitCents,
          payable,
        };
      });
    },

    /**
     * Stores the caseworker's request for information and sends it to the applicant (a notice
     * through the one delivery path); the answer is due by the end of `answerBy` (municipal time).
     */
    async requestSocialAssistanceInformation(
      req: Ref & { applicationId: string; round: number; question: string; answerBy: string },
    ): Promise<{ answerUntil: string }> {
      const tz = await ports.timeZone(req.municipalityId);
      const today = localDate(ports.now(), tz);
      const answerBy =
        /^\d{4}-\d{2}-\d{2}$/.test(req.answerBy) && req.answerBy > today
          ? req.answerBy
          : addDays(today, 14);
      await ports.delivery.run(req.municipalityId, async (em, notify) => {
        const app = await loadApplication(em, req.caseId);
        await em
          .createQueryBuilder()
          .insert()
          .into(SocialAssistanceInformationRequest)
          .values({
            municipalityId: req.municipalityId,
            caseId: req.caseId,
            round: req.round,
            question: req.question,
            answerBy,
          })
          .orIgnore()
          .execute();
        await notify(
          message(req, {
            key: `information-request:${req.round}`,
            party: applicantParty(app),
            purpose: 'notice',
            subjectKey: `${NS}:messages.informationRequested.subject`,
            bodyKey: `${NS}:messages.informationRequested.body`,
            vars: { question: req.question, answerBy },
          }),
        );
        await addTimelineOnce(em, {
          ...req,
          key: `social-assistance.information-requested:${req.round}`,
          kind: 'social-assistance.information-requested',
          data: { round: req.round, answerBy },
        });
      });
      return { answerUntil: endOfLocalDay(answerBy, tz).toISOString() };
    },

    /**
     * Records the decision (case outcome, timeline, status report) and, in the same transaction,
     * the award it grants (social_assistance_awards) with one amount row per benefit for the
     * benefit period (social_assistance_award_amounts). The award runs from the decision date for
     * the status validity (parameter `social-assistance.status.period-months`, or
     * `…-no-working-age` when nobody in the household is of working age); the benefits for the
     * benefit period (3 months, 6 when nobody is of working age: the calculator's figure).
     * GMI is paid to the resident's payment account; the housing benefit to whom the application
     * names (`housingPaidTo`): the provider of one cost, with its IBAN and the bill reference as
     * remittance, or the resident (with a bill reference as remittance when one is given). A
     * housing benefit granted without needy / low-income status is an award of status `none`
     * for the benefit period, so its months are paid. A repeat returns what the first attempt wrote.
     */
    async grantAward(
      req: Ref & {
        applicationId: string;
        round: number;
        outcome: string;
        benefits: GrantedBenefit[];
        decidedBy: string;
        reason?: string;
      },
    ): Promise<{
      awardId: string | null;
      validFrom: string;
      validUntil: string;
      months: AwardMonth[];
      endsAt: string;
    }> {
      const tz = await ports.timeZone(req.municipalityId);
      const decidedOn = localDate(ports.now(), tz);
      const holder = await tenantDb.run(req.municipalityId, async (em) => {
        const app = await loadApplication(em, req.caseId);
        return app.applicantCode;
      });
      const residence = await ports.population.getDeclaredResidence(holder);
      const home = residence ? await ports.addresses.getByCode(residence.addressCode) : null;
      return tenantDb.run(req.municipalityId, async (em) => {
        const app = await loadApplication(em, req.caseId);
        const assessment = await latestAssessment(em, req.caseId);
        const r = assessment.result as CalculationResult;
        const noWorkingAge = !app.data.members.some((m) => m.workingAge);
        const statusKey = noWorkingAge ? SA_KEYS.statusMonthsNoWorkingAge : SA_KEYS.statusMonths;
        const statusParam = await ports.parameters.effective(
          req.municipalityId,
          statusKey,
          assessment.asOf,
          em,
        );
        const plan = (award: SocialAssistanceAward | null, months: number) => {
          const validFrom = award?.validFrom ?? decidedOn;
          const validUntil = award?.validUntil ?? decidedOn;
          return {
            awardId: award?.id ?? null,
            validFrom,
            validUntil,
            months: Array.from({ length: award ? months : 0 }, (_, k) => {
              const day = addMonths(validFrom, k);
              return {
                day,
                startsAt: zonedInstant(day, tz).toISOString(),
                remind: k === months - 1,
              };
            }),
            endsAt: zonedInstant(addDays(validUntil, 1), tz).toISOString(),
          };
        };
        const existing = await em.findOne(SocialAssistanceAward, { where: { caseId: req.caseId } });
        if (existing) return plan(existing, r.gmiPeriodMonths);

        const updated: { id: string }[] = await em.query(
          `WITH u AS (UPDATE cases SET outcome = $2, stage = 'decided', updated_at = now() WHERE id = $1 AND status = 'open' RETURNING id) SELECT id FROM u`,
          [req.caseId, req.outcome],
        );
        if (updated.length === 0)
          throw new DomainError(ErrorCode.Conflict, `case ${req.caseId} is not open`);
        await addTimelineOnce(
          em,
          {
            ...req,
            key: 'case.decided',
            kind: 'case.decided',
            data: { outcome: req.outcome, reason: req.reason ?? null, benefits: req.benefits },
          },
          req.decidedBy,
        );
        await ports.statusReports?.record(em, {
          municipalityId: req.municipalityId,
          caseId: req.caseId,
          status: 'decided',
          step: 'case.decided',
          at: ports.now(),
          outcome: req.outcome,
        });
        // Without a status only the housing benefit can be granted (GMI needs needy status).
        const paid = req.benefits.filter((b) =>
          b === 'gmi' ? r.gmiBenefitCents > 0 : r.housingBenefitCents > 0,
        );
        if (r.status === 'none' && !paid.includes('housing')) return plan(null, 0);

        const statusMonths = r.status === 'none' ? 0 : Number(statusParam.value);
        const benefitMonths = r.gmiPeriodMonths;
        const validUntil = addDays(addMonths(decidedOn, Math.max(statusMonths, benefitMonths)), -1);
        const award = await em.save(
          em.create(SocialAssistanceAward, {
            municipalityId: req.municipalityId,
            caseId: req.caseId,
            applicationId: app.id,
            holderCode: app.applicantCode,
            householdCodes: app.data.members.map((m) => m.personalCode),
            status: r.status,
            validFrom: decidedOn,
            validUntil,
            addressCode: residence?.addressCode ?? null,
            territory: home?.territory || null,
            state: 'active',
            decidedBy: req.decidedBy,
            decidedOn,
          }),
        );
        const benefitUntil = addDays(addMonths(decidedOn, benefitMonths), -1);
        // The input and result the amounts were computed from (the recalculation's contract).
        const input = calculationInputOf(app.data, assessment.asOf);
        const rows = paid.map((b) =>
          em.create(SocialAssistanceAwardAmount, {
            municipalityId: req.municipalityId,
            awardId: award.id,
            caseId: req.caseId,
            benefit: b as AwardBenefit,
            ...amountFields(input, r, b as AwardBenefit),
            validFrom: decidedOn,
            validUntil: benefitUntil,
            reason: 'decision',
            ...payeeOf(app, b as AwardBenefit),
          }),
        );
        if (rows.length) await em.save(rows);
        await ports.awardStatus.publishAwardStatus(em, award);
        await addTimelineOnce(em, {
          ...req,
          key: 'social-assistance.award-granted',
          kind: 'social-assistance.award-granted',
          data: {
            status: r.status,
            validFrom: decidedOn,
            validUntil,
            benefits: rows.map((x) => ({ benefit: x.benefit, monthlyCents: x.monthlyCents })),
          },
        });
        return plan(award, rows.length ? benefitMonths : 0);
      });
    },

    /**
     * The decision as a sealed document (`social-assistance/decision`) in the municipality's
     * language (plus its translation when it issues bilingual documents), numbered in the
     * decisions register: status and period, benefits and monthly amounts, the calculation line by
     * line with each line's legal reference, the reasons, and the appeal route.
     */
    async issueSocialAssistanceDecision(
      req: Ref & { round: number },
    ): Promise<{ documentId: string; registrationNumber: string }> {
      const facts = await tenantDb.run(req.municipalityId, async (em) => {
        const app = await loadApplication(em, req.caseId);
        const assessment = await latestAssessment(em, req.caseId);
        const c: { outcome: string | null }[] = await em.query(
          `SELECT outcome FROM cases WHERE id = $1`,
          [req.caseId],
        );
        const decided: { data: { reason?: string | null } }[] = await em.query(
          `SELECT data FROM timeline_events WHERE case_id = $1 AND key = 'case.decided' LIMIT 1`,
          [req.caseId],
        );
        const award = await em.findOne(SocialAssistanceAward, { where: { caseId: req.caseId } });
        const amounts = award
          ? await em.find(SocialAssistanceAwardAmount, {
              where: { awardId: award.id },
              order: { benefit: 'ASC' },
            })
          : [];
        return {
          app,
          result: assessment.result as CalculationResult,
          outcome: c[0]?.outcome ?? 'refused',
          reason: decided[0]?.data?.reason ?? null,
          award,
          amounts,
        };
      });
      const { app, result, outcome, reason, award, amounts } = facts;
      const data = (lang: string) => {
        const t = (key: string, vars?: Record<string, unknown>) =>
          ports.t(lang, `${NS}:${key}`, vars);
        return {
          addressee: { name: app.applicantName },
          title: t(`decision.title.${outcome}`),
          applicant: { name: app.applicantName, personalCode: app.applicantCode },
          appliedOn: app.appliedOn ?? '',
          outcome: t(`decision.outcome.${outcome}`),
          ...(award
            ? {
                status: t(`decision.status.${award.status}`),
                validFrom: award.validFrom,
                validUntil: award.validUntil,
              }
            : {}),
          benefits: amounts.map((a) => ({
            name: t(`decision.benefit.${a.benefit}`),
            monthly: euro(a.monthlyCents),
            from: a.validFrom,
            until: a.validUntil,
            payee: a.payeeName,
          })),
          lines: result.lines
            .filter((l: CalcLine) => !l.excluded)
            .map((l) => ({
              label: ports.t(lang, l.labelKey, l.labelParams),
              value: l.amountCents !== null ? `€${euro(l.amountCents)}` : (l.value ?? ''),
              formula: l.formula,
              legalReference: l.legalReference,
            })),
          reasons: reason ? [reason] : [],
          legalBasis: [t('decision.legalBasis')],
          appeal: t('decision.appeal'),
          signatory: {
            name: t('decision.signatoryName'),
            position: t('decision.signatoryPosition'),
          },
        };
      };
      const { language, translation } = await ports.documents.languages(req.municipalityId);
      const doc = await ports.documents.issue({
        municipalityId: req.municipalityId,
        caseId: req.caseId,
        stepKey: 'decision',
        templateKey: 'social-assistance/decision',
        language,
        data: data(language),
        ...(translation ? { translation: { language: translation, data: data(translation) } } : {}),
        persons: app.data.members.map((m) => m.personalCode),
      });
      return { documentId: doc.id, registrationNumber: doc.registrationNumber };
    },

    /** Sends the decision to the applicant through the one delivery path (purpose `decision`: appeal period, deemed notified). */
    async deliverSocialAssistanceDecision(
      req: Ref & { documentId: string },
    ): Promise<{ channel: string }> {
      return ports.delivery.run(req.municipalityId, async (em, notify) => {
        const app = await loadApplication(em, req.caseId);
        const channel =
          (await notify(
            message(req, {
              key: 'decision',
              party: applicantParty(app),
              purpose: 'decision',
              subjectKey: `${NS}:messages.decision.subject`,
              bodyKey: `${NS}:messages.decision.body`,
              vars: { date: app.appliedOn ?? '' },
              documentIds: [req.documentId],
            }),
          )) ?? 'collection';
        await addTimelineOnce(em, {
          ...req,
          key: 'social-assistance.decision-delivery',
          kind: 'social-assistance.decision-delivery',
          data: { channel },
        });
        return { channel };
      });
    },

    /**
     * The award as in force on `day` (a month's first day of the benefit period): its state
     * (`stopped` from its stoppedOn on, whoever stopped it), and the payments of the month, one
     * per benefit, from the amount row in force on that day (a recalculation's row replaces the
     * decision's from its validFrom). Keys `gmi:YYYY-MM` / `housing:YYYY-MM`.
     */
    async readAwardMonth(
      req: Ref & { day: string },
    ): Promise<{ state: AwardState; stoppedOn: string | null; payments: MonthPayment[] }> {
      return tenantDb.run(req.municipalityId, async (em) => {
        const award = await em.findOne(SocialAssistanceAward, { where: { caseId: req.caseId } });
        if (!award) throw new DomainError(ErrorCode.NotFound, `no award for case ${req.caseId}`);
        const stopped =
          award.state === 'stopped' && (award.stoppedOn ?? award.validFrom) <= req.day;
        const state: AwardState = stopped
          ? 'stopped'
          : award.state === 'ended'
            ? 'ended'
            : 'active';
        if (state !== 'active') return { state, stoppedOn: award.stoppedOn, payments: [] };
        const rows = await em
          .createQueryBuilder(SocialAssistanceAwardAmount, 'a')
          .where('a.award_id = :id', { id: award.id })
          .andWhere('a.valid_from <= :day AND a.valid_until >= :day', { day: req.day })
          .orderBy('a.valid_from', 'DESC')
          .getMany();
        const month = req.day.slice(0, 7);
        const seen = new Set<string>();
        const payments: MonthPayment[] = [];
        for (const a of rows) {
          if (seen.has(a.benefit) || a.monthlyCents <= 0) continue;
          seen.add(a.benefit);
          if (!a.payeeIban) {
            await addTimelineOnce(em, {
              ...req,
              key: `social-assistance.payment-held:${a.benefit}:${month}`,
              kind: 'social-assistance.payment-held',
              data: { benefit: a.benefit, month, reason: 'no-account' },
            });
            continue;
          }
          payments.push({
            key: `${a.benefit}:${month}`,
            payee: { kind: a.payeeKind, name: a.payeeName, iban: a.payeeIban },
            amountCents: a.monthlyCents,
            dueMonth: month,
            remittance: (
              a.payeeReference ?? `${a.benefit === 'gmi' ? 'GMI' : 'DzP'} ${month}`
            ).slice(0, 140),
          });
        }
        return { state, stoppedOn: award.stoppedOn, payments };
      });
    },

    /** Reminds the resident, in the period's last month, to apply again before the status ends (re-assessment every 3 or 6 months, DOMAIN.md). */
    async remindReassessment(req: Ref & { validUntil: string }): Promise<void> {
      await ports.delivery.run(req.municipalityId, async (em, notify) => {
        const app = await loadApplication(em, req.caseId);
        await notify(
          message(req, {
            key: 'reassessment-reminder',
            party: applicantParty(app),
            purpose: 'notice',
            subjectKey: `${NS}:messages.reassessment.subject`,
            bodyKey: `${NS}:messages.reassessment.body`,
            vars: { validUntil: req.validUntil },
          }),
        );
        await addTimelineOnce(em, {
          ...req,
          key: 'social-assistance.reassessment-reminder',
          kind: 'social-assistance.reassessment-reminder',
          data: { validUntil: req.validUntil },
        });
      });
    },

    /** The award's period is over: `ended`, unless it was stopped meanwhile (then it stays stopped). */
    async endAward(req: Ref): Promise<{ state: 'ended' | 'stopped' }> {
      return tenantDb.run(req.municipalityId, async (em) => {
        const ended = await em.update(
          SocialAssistanceAward,
          { caseId: req.caseId, state: 'active' },
          { state: 'ended' },
        );
        const a = await em.findOne(SocialAssistanceAward, { where: { caseId: req.caseId } });
        // The property-tax department learns the status ended (once: only the update that ended it).
        if (a && (ended.affected ?? 0) > 0) await ports.awardStatus.publishAwardStatus(em, a);
        return { state: a?.state === 'stopped' ? 'stopped' : 'ended' };
      });
    },

    /**
     * Whether the rules in force on the application date require an interview / home visit
     * before the review (parameters `social-assistance.visit.*`), and why: a first application
     * of the applicant in this municipality; a difference the population register check flagged
     * in the household (a resident not declared, a member living elsewhere, an address).
     */
    async socialAssistanceVisitRule(
      req: Ref & { applicationId: string; asOf: string },
    ): Promise<{ reasons: VisitReason[] }> {
      const [first, difference] = await Promise.all([
        ports.parameters.effective(req.municipalityId, SA_KEYS.visitOnFirstApplication, req.asOf),
        ports.parameters.effective(
          req.municipalityId,
          SA_KEYS.visitOnHouseholdDifference,
          req.asOf,
        ),
      ]);
      const rule = {
        onFirstApplication: switchOn(first.value),
        onHouseholdDifference: switchOn(difference.value),
      };
      if (!rule.onFirstApplication && !rule.onHouseholdDifference) return { reasons: [] };
      const facts = await tenantDb.run(req.municipalityId, async (em) => {
        const app = await loadApplication(em, req.caseId);
        const earlier: unknown[] = await em.query(
          `SELECT 1 FROM social_assistance_applications
            WHERE applicant_code = $1 AND case_id IS NOT NULL AND case_id <> $2
              AND submitted_at < $3 LIMIT 1`,
          [app.applicantCode, req.caseId, app.submittedAt ?? ports.now()],
        );
        const flagged: unknown[] = await em.query(
          `SELECT 1 FROM register_checks
            WHERE case_id = $1 AND register = 'population' AND status = 'ok'
              AND jsonb_array_length(flags) > 0 LIMIT 1`,
          [req.caseId],
        );
        return { firstApplication: earlier.length === 0, householdDifference: flagged.length > 0 };
      });
      return { reasons: visitReasons(rule, facts) };
    },

    /**
     * Stores the record of an interview / home visit (social_assistance_visits, one per visit of
     * the case; a repeat keeps the first) and says on the timeline that it was held.
     */
    async recordSocialAssistanceVisit(
      req: Ref & {
        visit: number;
        round: number;
        reasons: VisitReason[];
        recordedBy: string;
        record: VisitDecision;
      },
    ): Promise<void> {
      const r = req.record;
      await tenantDb.run(req.municipalityId, async (em) => {
        await em
          .createQueryBuilder()
          .insert()
          .into(SocialAssistanceVisit)
          .values({
            municipalityId: req.municipalityId,
            caseId: req.caseId,
            visit: req.visit,
            round: req.round,
            reasons: req.reasons,
            kind: r.kind,
            heldOn: r.heldOn,
            participants: r.participants,
            findings: r.findings,
            conclusion: r.conclusion,
            recordedBy: req.recordedBy,
          })
          .orIgnore()
          .execute();
        await addTimelineOnce(em, {
          ...req,
          key: `social-assistance.visit-recorded:${req.visit}`,
          kind: 'social-assistance.visit-recorded',
          data: { visit: req.visit, kind: r.kind, heldOn: r.heldOn, conclusion: r.conclusion },
        });
      });
    },
  };
}

export type SocialAssistanceActivities = ReturnType<typeof createSocialAssistanceActivities>;
