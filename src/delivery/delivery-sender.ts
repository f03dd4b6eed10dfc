import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CLOCK, type Clock } from '../platform/clock/clock';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { AlertService } from './alerts/alert.service';
import {
  DELIVERY_CHANNELS,
  DOCUMENT_SOURCE,
  type DeliveryChannel,
  type DocumentSource,
} from './channels/channel.port';
import { DeliveryLegalEffect } from './legal/delivery-legal-effect';
import { OutboxService } from './outbox.service';
import { ChannelFallback } from './sending/channel-fallback';
import { DeadLetter } from './sending/dead-letter';
import { DeliveryStatus } from './sending/delivery-status';
import { LegalEffectSignal } from './sending/legal-effect-signal';
import { LetterPosting } from './sending/letter-posting';
import { DELIVERY_TIMELINE, type DeliveryTimeline, type SendOutcome } from './sending/outcome';
import { SendAttempt } from './sending/send-attempt';
import type { SenderContext } from './sending/sender-context';
import { TRANSLATOR, type Translator } from './translator';

export {
  DELIVERY_TIMELINE,
  type DeliveryEventKind,
  type DeliveryTimeline,
  type SendOutcome,
} from './sending/outcome';

/**
 * Sends outbox messages: one attempt per call (sending/send-attempt), retries and dead letters
 * (sending/dead-letter), the one-time fallback to the next channel (sending/channel-fallback), and
 * after the commit the legal-effect signal to the case's run (sending/legal-effect-signal).
 */
@Injectable()
export class DeliverySender {
  private readonly log = new Logger(DeliverySender.name);
  /** The app's clock (CLOCK); replaceable in tests. */
  now: () => Date = () => this.clock.now();
  random: () => number = Math.random;
  private readonly attempt: SendAttempt;
  private readonly status: DeliveryStatus;
  private readonly posting: LetterPosting;
  private readonly legalSignal: LegalEffectSignal;

  constructor(
    private readonly tenantDb: TenantDb,
    private readonly ds: DataSource,
    legal: DeliveryLegalEffect,
    alerts: AlertService,
    outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(TRANSLATOR) i18n: Translator,
    @Inject(DELIVERY_CHANNELS) channels: DeliveryChannel[],
    @Inject(DOCUMENT_SOURCE) documents: DocumentSource,
    @Inject(DELIVERY_TIMELINE) timeline: DeliveryTimeline,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    const ctx: SenderContext = {
      tenantDb,
      ds,
      config,
      outbox,
      timeline,
      log: this.log,
      now: () => this.now(),
      random: () => this.random(),
      leaseMs: () => this.leaseMs,
    };
    const byChannel = new Map(channels.map((c) => [c.channel, c]));
    const deadLetter = new DeadLetter(ctx, alerts, i18n);
    const fallback = new ChannelFallback(ctx);
    this.legalSignal = new LegalEffectSignal(ctx, legal);
    this.attempt = new SendAttempt(
      ctx,
      byChannel,
      documents,
      this.legalSignal,
      deadLetter,
      fallback,
    );
    this.status = new DeliveryStatus(ctx, byChannel, deadLetter, fallback);
    this.posting = new LetterPosting(ctx, this.legalSignal);
  }

  private get leaseMs(): number {
    return this.config.DELIVERY_SEND_TIMEOUT_MS * 2;
  }

  async send(municipalityId: string, messageId: string): Promise<SendOutcome> {
    return this.followUp(municipalityId, await this.attempt.run(municipalityId, messageId));
  }

  /** Asks the channel whether a sent message has been delivered (e-adrese notifications) and records it. */
  async refreshStatus(municipalityId: string, messageId: string): Promise<SendOutcome> {
    return this.followUp(municipalityId, await this.status.refresh(municipalityId, messageId));
  }

  async markPosted(municipalityId: string, messageId: string, actor: string): Promise<SendOutcome> {
    return this.followUp(
      municipalityId,
      await this.posting.markPosted(municipalityId, messageId, actor),
    );
  }

  /**
   * After the commit: a notice that took legal effect is signalled to the case's run; a failed
   * message's replacement on the next channel gets its first attempt at once.
   */
  private async followUp(municipalityId: string, o: SendOutcome): Promise<SendOutcome> {
    await this.legalSignal.signalNotified(municipalityId, o);
    if (o.fallbackId) {
      try {
        await this.send(municipalityId, o.fallbackId);
      } catch (e) {
        this.log.warn(
          { messageId: o.fallbackId, err: e instanceof Error ? e.message : String(e) },
          `fallback ${o.fallbackId}: first attempt left to the outbox`,
        );
      }
    }
    return o;
  }

  /**
   * Asks the channels that report delivery (e-adrese) about messages sent in the last 14 days and
   * records those that arrived (status delivered, on the case timeline). A channel that cannot answer
   * now is asked again on a later round; the legal notification date does not depend on it.
   */
  async refreshSent(limitPerMunicipality = 50): Promise<number> {
    const reporting = this.status.reporting();
    if (reporting.length === 0) return 0;
    const since = new Date(this.now().getTime() - 14 * 86_400_000);
    const municipalities = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities`);
    let delivered = 0;
    for (const { id: municipalityId } of municipalities) {
      const sent = await this.tenantDb.run(municipalityId, (em) =>
        em.query<{ id: string }[]>(
          `SELECT id FROM outbox_messages
            WHERE status = 'sent' AND provider_message_id IS NOT NULL AND channel = ANY($1) AND sent_at >= $2
            ORDER BY sent_at LIMIT $3`,
          [reporting, since, limitPerMunicipality],
        ),
      );
      for (const { id } of sent) {
        try {
          if ((await this.refreshStatus(municipalityId, id)).event === 'delivery.delivered')
            delivered++;
        } catch (e) {
          this.log.warn(
            { messageId: id, err: e instanceof Error ? e.message : String(e) },
            `delivery status of ${id} not available now`,
          );
        }
      }
    }
    return delivered;
  }

  /** Sends every due message of every municipality (messages not driven by a process run). Returns how many were tried. */
  async dispatchDue(limitPerMunicipality = 50): Promise<number> {
    const municipalities = await this.ds.query<{ id: string }[]>(`SELECT id FROM municipalities`);
    let tried = 0;
    for (const { id: municipalityId } of municipalities) {
      const now = this.now();
      const due = await this.tenantDb.run(municipalityId, (em) =>
        em.query<{ id: string }[]>(
          `SELECT id FROM outbox_messages
            WHERE (status IN ('pending', 'failed') AND next_attempt_at <= $1)
               OR (status = 'sending' AND claimed_at < $2)
            ORDER BY next_attempt_at LIMIT $3`,
          [now, new Date(now.getTime() - this.leaseMs), limitPerMunicipality],
        ),
      );
      for (const { id } of due) {
        await this.send(municipalityId, id);
        tried++;
      }
    }
    return tried;
  }
}
