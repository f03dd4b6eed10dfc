import { isEmailAddress } from '../platform/email';
import type { DeliveryNotified } from '../../workflows/kit/delivery';
import { Inject, Injectable } from '@nestjs/common';
import { In, type EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DomainError, ErrorCode, type FieldError } from '../platform/errors/domain-error';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { parsePostRecipient } from './channels/post.channel';
import { canSendByEAddress, sendingMunicipality } from './recipient-router';
import {
  CHANNELS,
  OutboxMessage,
  type Channel,
  type FallbackRoute,
  type OutboxPurpose,
} from './outbox-message.entity';

export interface EnqueueMessage {
  municipalityId: string;
  caseId?: string | null;
  channel: string;
  purpose?: OutboxPurpose;
  recipient: string;
  subject: string;
  body: string;
  lang?: string;
  attachments?: string[];
  /** Case + step, e.g. `<caseId>:decision-notice`; enqueueing the same key again returns the first message. */
  idempotencyKey: string;
  /** The notice within the case that a run may wait on (`delivery.notified:<noticeKey>`). */
  noticeKey?: string | null;
  /** Where to send instead, once, if this message fails for good. */
  fallbackRoutes?: FallbackRoute[];
  fallbackOf?: string | null;
  fallbackReason?: string | null;
  /** Why the recipient router chose this channel (ChosenRoute.reason): kept in the history for the case file. */
  routeReason?: string | null;
}

const PHONE = /^\+[1-9]\d{6,14}$/;
// A personal code, or an e-address (`_PRIVATE@<code>`, `_DEFAULT@<reg. no>`, or an e-mail-shaped one).
const E_ADDRESS_RECIPIENT = /^(?:\d{6}-?\d{5}|[^\s@]+@[^\s@]+)$/;

export function validateMessage(m: EnqueueMessage): FieldError[] {
  const errors: FieldError[] = [];
  const channelOk = (CHANNELS as readonly string[]).includes(m.channel);
  if (!channelOk) errors.push({ field: 'channel', message: 'delivery:errors.channelInvalid' });
  const recipient = m.recipient?.trim() ?? '';
  if (!recipient) errors.push({ field: 'recipient', message: 'delivery:errors.recipientRequired' });
  else if (m.channel === 'email' && !isEmailAddress(recipient))
    errors.push({ field: 'recipient', message: 'delivery:errors.emailInvalid' });
  else if (m.channel === 'sms' && !PHONE.test(recipient))
    errors.push({ field: 'recipient', message: 'delivery:errors.phoneInvalid' });
  else if (m.channel === 'e_address' && !E_ADDRESS_RECIPIENT.test(recipient))
    errors.push({ field: 'recipient', message: 'delivery:errors.personalCodeInvalid' });
  else if (m.channel === 'post' && !parsePostRecipient(recipient))
    errors.push({ field: 'recipient', message: 'delivery:errors.postRecipientInvalid' });
  if (!m.subject?.trim())
    errors.push({ field: 'subject', message: 'delivery:errors.subjectRequired' });
  if (!m.idempotencyKey?.trim())
    errors.push({ field: 'idempotencyKey', message: 'delivery:errors.idempotencyKeyRequired' });
  return errors;
}

/** The delivery outbox: messages are written with the case change and sent later by DeliverySender. */
@Injectable()
export class OutboxService {
  constructor(
    private readonly tenantDb: TenantDb,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Writes a message in the caller's transaction (`em` from TenantDb.run for the same municipality),
   * so it exists exactly when the case change commits. Idempotent per (municipality, key).
   */
  async enqueue(
    em: EntityManager,
    m: EnqueueMessage,
  ): Promise<{ message: OutboxMessage; created: boolean }> {
    const errors = validateMessage(m);
    // DIV rejects a message without the sender's own e-address: refuse it here, not after retries.
    if (
      m.channel === 'e_address' &&
      !canSendByEAddress(await sendingMunicipality(em, m.municipalityId))
    )
      errors.push({ field: 'channel', message: 'delivery:errors.eAddressUnavailable' });
    if (errors.length) throw DomainError.validation(errors);
    const res = await em
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({
        municipalityId: m.municipalityId,
        caseId: m.caseId ?? null,
        channel: m.channel as Channel,
        purpose: m.purpose ?? 'other',
        recipient: m.recipient.trim(),
        subject: m.subject,
        body: m.body,
        lang: m.lang ?? 'lv',
        attachments: m.attachments ?? [],
        idempotencyKey: m.idempotencyKey,
        noticeKey: m.noticeKey ?? null,
        fallbackRoutes: m.fallbackRoutes ?? [],
        fallbackOf: m.fallbackOf ?? null,
        fallbackReason: m.fallbackReason ?? null,
        status: 'pending',
        attempts: 0,
        maxAttempts: this.config.DELIVERY_MAX_ATTEMPTS,
        nextAttemptAt: () => 'now()',
        history: m.routeReason
          ? [{ at: new Date().toISOString(), event: 'routed', detail: m.routeReason }]
          : [],
      })
      .orIgnore()
      .returning('id')
      .execute();
    const message = await em
      .getRepository(OutboxMessage)
      .findOneByOrFail({ municipalityId: m.municipalityId, idempotencyKey: m.idempotencyKey });
    return { message, created: res.raw.length > 0 };
  }

  get(municipalityId: string, id: string): Promise<OutboxMessage> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const m = await em.getRepository(OutboxMessage).findOneBy({ id });
      if (!m) throw new DomainError(ErrorCode.NotFound, `outbox message ${id} not found`);
      return m;
    });
  }

  /** What a run that waits for a notice learns: the message that reached the party and when it took effect. */
  notice(
    municipalityId: string,
    caseId: string,
    noticeKey: string,
  ): Promise<DeliveryNotified | null> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const rows = await em
        .getRepository(OutboxMessage)
        .find({ where: { caseId, noticeKey }, order: { createdAt: 'ASC' } });
      const m = rows.find((r) => (r.status === 'sent' || r.status === 'delivered') && r.sentAt);
      return m
        ? {
            messageId: m.id,
            channel: m.channel,
            sentAt: m.sentAt!.toISOString(),
            deemedNotifiedOn: m.deemedNotifiedOn,
            appealUntil: m.appealUntil,
          }
        : null;
    });
  }

  /** The case's deliveries; inside the caller's tenant transaction when `em` is given. */
  listForCase(
    municipalityId: string,
    caseId: string,
    em?: EntityManager,
  ): Promise<OutboxMessage[]> {
    const read = (m: EntityManager) =>
      m.getRepository(OutboxMessage).find({ where: { caseId }, order: { createdAt: 'ASC' } });
    return em ? read(em) : this.tenantDb.run(municipalityId, read);
  }

  /** Letters ready to print and post, oldest first (the staff's "letters to print" list). */
  listAwaitingPost(municipalityId: string): Promise<OutboxMessage[]> {
    return this.tenantDb.run(municipalityId, (em) =>
      em
        .getRepository(OutboxMessage)
        .find({ where: { channel: 'post', status: 'awaiting_post' }, order: { createdAt: 'ASC' } }),
    );
  }

  /** Dead letters, newest first, each with the message sent instead on the next channel (if any). */
  listDead(
    municipalityId: string,
  ): Promise<(OutboxMessage & { fallback: OutboxMessage | null })[]> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const dead = await repo.find({ where: { status: 'dead' }, order: { deadAt: 'DESC' } });
      const fallbacks = dead.length
        ? await repo.find({ where: { fallbackOf: In(dead.map((d) => d.id)) } })
        : [];
      return dead.map((d) =>
        Object.assign(d, { fallback: fallbacks.find((f) => f.fallbackOf === d.id) ?? null }),
      );
    });
  }

  /** An administrator sends a dead-lettered message again: a fresh round of attempts, same idempotency key. */
  retryDead(municipalityId: string, id: string, actor: string): Promise<OutboxMessage> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const repo = em.getRepository(OutboxMessage);
      const m = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!m) throw new DomainError(ErrorCode.NotFound, `outbox message ${id} not found`);
      if (m.status !== 'dead')
        throw DomainError.validation([
          { field: 'status', message: 'delivery:errors.notDead', params: { status: m.status } },
        ]);
      m.status = 'pending';
      m.attempts = 0;
      m.nextAttemptAt = new Date();
      m.deadAt = null;
      m.history = [...m.history, { at: new Date().toISOString(), event: 'retried', detail: actor }];
      return repo.save(m);
    });
  }
}
