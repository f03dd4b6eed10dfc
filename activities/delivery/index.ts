import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { officialLanguageOf } from '../../src/documents/document.service';
import type { DeliverySender } from '../../src/delivery/delivery-sender';
import {
  OutboxMessage,
  type Channel,
  type FallbackRoute,
} from '../../src/delivery/outbox-message.entity';
import type { OutboxService } from '../../src/delivery/outbox.service';
import {
  sendingMunicipality,
  type ChosenRoute,
  type PostalAddress,
  type RecipientRouter,
} from '../../src/delivery/recipient-router';
import type { AddressRegister } from '../../src/integrations/address/address-register.port';
import type { PopulationRegister } from '../../src/integrations/population/population-register.port';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';
import { applicantOf } from '../../src/workspace/applicant';
import { addTimelineOnce } from '../case/case.activities';
import type { DeliveryNotified } from '../../workflows/kit/delivery';
import type {
  DeliverDocumentsRequest,
  DeliveryReceipt,
  DeliveryRequest,
  MessageText,
  NotifyPartyRequest,
  Party,
  PartyReached,
} from './delivery.types';

export type * from './delivery.types';

export interface DeliveryPorts {
  tenantDb: TenantDb;
  outbox: Pick<OutboxService, 'enqueue' | 'notice'>;
  sender: Pick<DeliverySender, 'send'>;
  router: Pick<RecipientRouter, 'choose' | 'fallbacks'>;
  population: Pick<PopulationRegister, 'getPerson' | 'getDeclaredResidence'>;
  address: Pick<AddressRegister, 'getByCode'>;
  t(lang: string, key: string, vars?: Record<string, unknown>): string;
}

/** One message to one party of a case, written in the caller's transaction. */
export interface PartyMessage {
  caseId: string;
  municipalityId: string;
  key: string;
  party: Party;
  purpose: 'notice' | 'decision';
  /** Subject and body in a language (the municipality's official language, on every channel). */
  text(lang: string): { subject: string; body: string };
  documentIds?: string[];
}

type Notify = (em: EntityManager, m: PartyMessage) => Promise<PartyReached | null>;

const PERSONAL_CODE = /^\d{6}-?\d{5}$/;
const log = new Logger('Delivery');

/**
 * The one way to reach a person. The recipient router picks the channel (an activated e-address,
 * else e-mail, else a printed letter to the postal address); the message is an outbox row written
 * with the case change, idempotent per (case, key); after the commit the first attempt is made at
 * once, and the outbox retries failures with its backoff, dead-letters and alerts.
 */
export function createDeliveryPath(ports: DeliveryPorts) {
  const { tenantDb } = ports;

  const postal = async (party: Party): Promise<PostalAddress | null> => {
    const code = party.personalCode ?? null;
    const person =
      code && (!party.name || !party.postalAddress) ? await ports.population.getPerson(code) : null;
    const name = party.name ?? (person ? `${person.givenName} ${person.familyName}` : null);
    let address = party.postalAddress ?? null;
    if (!address && code) {
      const residence = await ports.population.getDeclaredResidence(code);
      address = residence
        ? ((await ports.address.getByCode(residence.addressCode))?.fullText ?? null)
        : null;
    }
    return name && address ? { name, address } : null;
  };

  const route = async (
    em: EntityManager,
    municipalityId: string,
    party: Party,
  ): Promise<{ chosen: ChosenRoute; fallbacks: FallbackRoute[]; lang: string } | null> => {
    let address: Promise<PostalAddress | null> | null = null;
    const from = await sendingMunicipality(em, municipalityId);
    const contacts = {
      from,
      personalCode: party.personalCode ?? null,
      email: party.email ?? null,
      postal: () => (address ??= postal(party)),
    };
    const chosen = await ports.router.choose(contacts).catch((e: unknown) => {
      // No way to reach the party: the caller decides (e.g. keep the document for collection).
      if (e instanceof DomainError && e.code === ErrorCode.ValidationFailed) return null;
      throw e;
    });
    if (!chosen) return null;
    // An official notice or decision is in the municipality's official language on every channel
    // (a Greek municipality writes in Greek whatever its resident's account language).
    const lang = officialLanguageOf(from.country);
    return { chosen, fallbacks: await ports.router.fallbacks(contacts, chosen), lang };
  };

  const notify: Notify = async (em, m) => {
    const idempotencyKey = `${m.caseId}:${m.key}`;
    // A repeated activity finds its message and sends nothing new, whatever the router says now.
    const existing = await em
      .getRepository(OutboxMessage)
      .findOneBy({ municipalityId: m.municipalityId, idempotencyKey });
    if (existing)
      return { channel: existing.channel, messageId: existing.id, status: existing.status };
    const routed = await route(em, m.municipalityId, m.party);
    if (!routed) return null;
    const { chosen, lang } = routed;
    // The same text fits a fallback, so the fallback routes need no text of their own.
    const { subject, body } = m.text(lang);
    const { message } = await ports.outbox.enqueue(em, {
      municipalityId: m.municipalityId,
      caseId: m.caseId,
      channel: chosen.channel,
      purpose: m.purpose,
      recipient: chosen.recipient,
      subject,
      body,
      lang,
      attachments: m.documentIds ?? [],
      idempotencyKey,
      noticeKey: m.key,
      fallbackRoutes: routed.fallbacks,
      routeReason: chosen.reason,
    });
    return { channel: message.channel, messageId: message.id, status: message.status };
  };

  /** The first attempt, after the commit; a failure stays in the outbox for its retries. */
  const dispatch = async (
    municipalityId: string,
    reached: PartyReached[],
  ): Promise<PartyReached[]> => {
    const out: PartyReached[] = [];
    for (const r of reached) {
      if (r.status !== 'pending') {
        out.push(r);
        continue;
      }
      try {
        const o = await ports.sender.send(municipalityId, r.messageId);
        out.push({ ...r, status: o.status });
      } catch (e) {
        log.warn(
          { messageId: r.messageId, err: e instanceof Error ? e.message : String(e) },
          `delivery ${r.messageId}: first attempt left to the outbox`,
        );
        out.push(r);
      }
    }
    return out;
  };

  return {
    /**
     * Runs `fn` in one tenant transaction with `notify` for messages to parties, then makes the
     * first attempt of each message written.
     */
    async run<T>(
      municipalityId: string,
      fn: (em: EntityManager, notify: (m: PartyMessage) => Promise<Channel | null>) => Promise<T>,
    ): Promise<T> {
      const written: PartyReached[] = [];
      const result = await tenantDb.run(municipalityId, (em) =>
        fn(em, async (m) => {
          const r = await notify(em, m);
          if (r) written.push(r);
          return r?.channel ?? null;
        }),
      );
      await dispatch(municipalityId, written);
      return result;
    },

    /** One message to one party in its own transaction, then its first attempt. */
    async send(m: PartyMessage): Promise<PartyReached | null> {
      const r = await tenantDb.run(m.municipalityId, (em) => notify(em, m));
      return r ? (await dispatch(m.municipalityId, [r]))[0] : null;
    },
  };
}

export type DeliveryPath = ReturnType<typeof createDeliveryPath>;

const textOf = (ports: DeliveryPorts, message: MessageText) => (lang: string) => ({
  subject: ports.t(lang, message.subjectKey, message.vars),
  body: ports.t(lang, message.bodyKey, message.vars),
});

/** The delivery activities processes call: to notify a party, to deliver sealed documents to one. */
export function createDeliveryActivities(
  ports: DeliveryPorts,
  path: DeliveryPath = createDeliveryPath(ports),
) {
  return {
    /** Whether the notice sent with `key` took legal effect, and when (kit `awaitNotified` reads it). */
    async readDeliveryNotice(req: {
      caseId: string;
      municipalityId: string;
      key: string;
    }): Promise<DeliveryNotified | null> {
      return ports.outbox.notice(req.municipalityId, req.caseId, req.key);
    },

    /** A message or notice to a party of the case. */
    async notifyParty(req: NotifyPartyRequest): Promise<PartyReached | null> {
      return path.send({
        ...req,
        purpose: req.purpose ?? 'notice',
        text: textOf(ports, req.message),
      });
    },

    /** Sealed issued documents to a party of the case (attached, or enclosed with a letter). */
    async deliverDocuments(req: DeliverDocumentsRequest): Promise<PartyReached | null> {
      if (req.documentIds.length === 0)
        throw DomainError.validation([
          { field: 'documentIds', message: 'delivery:errors.documentsRequired' },
        ]);
      return path.send({
        ...req,
        purpose: req.purpose ?? 'decision',
        text: textOf(ports, req.message),
      });
    },

    /**
     * reference@v1's delivery of its outcome (the name and input its histories record): the same
     * path, to the person named by `recipientRef` or else to the case's applicant.
     */
    async sendDelivery(req: DeliveryRequest): Promise<DeliveryReceipt> {
      const { number, party } = await ports.tenantDb.run(req.municipalityId, async (em) => {
        const [c] = (await em.query(`SELECT number, applicant_ref FROM cases WHERE id = $1`, [
          req.caseId,
        ])) as { number: string; applicant_ref: string | null }[];
        if (!c) throw new DomainError(ErrorCode.NotFound, `case ${req.caseId} not found`);
        const a = await applicantOf(em, {
          applicantRef: c.applicant_ref,
          municipalityId: req.municipalityId,
        });
        const party: Party = PERSONAL_CODE.test(req.recipientRef)
          ? { personalCode: req.recipientRef }
          : { personalCode: a.personalCode, email: a.email, name: a.name, lang: a.lang };
        return { number: c.number, party };
      });
      const base = `delivery:notices.${req.template.replace(/\//g, '.')}`;
      const vars = (lang: string): Record<string, string | number> => {
        const v: Record<string, string | number> = { number };
        for (const [k, x] of Object.entries(req.vars ?? {}))
          v[k] = k === 'outcome' ? ports.t(lang, `${base}.outcomes.${String(x)}`) : String(x ?? '');
        return v;
      };
      const key = req.idempotencyKey.startsWith(`${req.caseId}:`)
        ? req.idempotencyKey.slice(req.caseId.length + 1)
        : req.idempotencyKey;
      const reached = await path.send({
        caseId: req.caseId,
        municipalityId: req.municipalityId,
        key,
        party,
        purpose: 'decision',
        documentIds: req.documentIds,
        text: (lang) => ({
          subject: ports.t(lang, `${base}.subject`, vars(lang)),
          body: ports.t(lang, `${base}.body`, vars(lang)),
        }),
      });
      if (!reached) {
        // Nobody to send to: the case file says so, once, for staff to follow up.
        await ports.tenantDb.run(req.municipalityId, (em) =>
          addTimelineOnce(em, {
            caseId: req.caseId,
            municipalityId: req.municipalityId,
            key: `delivery.unreachable:${key}`,
            kind: 'delivery.unreachable',
            data: { template: req.template },
          }),
        );
        return { deliveryId: '', status: 'unreachable' };
      }
      return {
        deliveryId: reached.messageId,
        status: reached.status === 'sent' || reached.status === 'delivered' ? 'sent' : 'queued',
      };
    },
  };
}
