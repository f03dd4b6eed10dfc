import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource, IsNull, Not } from 'typeorm';
import { CaseService } from '../cases/case.service';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { DivIncomingMessage } from '../integrations/e-adrese/div.adapter';
import { EADDRESS_PORT, type EAddressPort } from '../integrations/e-adrese/e-address.port';
import { DomainError } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { canonicalCode, CorrespondenceRouter } from './correspondence-router';
import { IncomingMessage, IncomingMessageFile } from './incoming-message.entity';

/** The incoming side of the e-address gateway (the DIV adapter has it; the in-memory simulator does not). */
export interface EAddressMailbox {
  listIncoming(max?: number): Promise<{
    messages: { messageId: string; senderEAddress: string; sentOn: string }[];
    hasMore: boolean;
  }>;
  getIncoming(messageId: string): Promise<DivIncomingMessage>;
  confirmIncoming(
    message: Pick<DivIncomingMessage, 'messageId' | 'confirmationName' | 'recipients'>,
    accept: boolean,
  ): Promise<void>;
}

const isMailbox = (p: object): p is EAddressMailbox =>
  typeof (p as Partial<EAddressMailbox>).listIncoming === 'function' &&
  typeof (p as Partial<EAddressMailbox>).getIncoming === 'function';

const PAGE = 50;
const MAX_PAGES = 20;

export interface PollResult {
  fetched: number;
  stored: number;
  confirmed: number;
  unaddressed: number;
  /** Messages whose fetch, storing or confirmation failed this round (they stay in DIV's list for the next). */
  failed: number;
}

/**
 * Takes the municipality's incoming e-address mail: lists what DIV holds unconfirmed, fetches each
 * message, stores it with its files in the addressed municipality (one row per DIV message id, so
 * a message listed or fetched again is stored once), routes it (continue a case, or a
 * registration in the inbox), and only then confirms it to DIV. A crash anywhere in between leaves
 * the message in DIV's list; the next round finds the row, does not route it again, sends a
 * recorded but unsent signal with the same idempotency key, and confirms.
 */
@Injectable()
export class IncomingMailService {
  private readonly log = new Logger(IncomingMailService.name);

  constructor(
    @Inject(EADDRESS_PORT) private readonly port: EAddressPort,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ds: DataSource,
    private readonly tenantDb: TenantDb,
    private readonly router: CorrespondenceRouter,
    private readonly cases: CaseService,
  ) {}

  /** Whether the configured gateway can read incoming mail. */
  get enabled(): boolean {
    return isMailbox(this.port);
  }

  async poll(): Promise<PollResult> {
    const result: PollResult = { fetched: 0, stored: 0, confirmed: 0, unaddressed: 0, failed: 0 };
    if (!isMailbox(this.port)) return result;
    const mailbox = this.port;
    const book = await this.addressBook();
    if (book.size === 0) return result;
    // A message left unconfirmed (addressed to no municipality here) stays at the head of the list: stop at a page with nothing new.
    const seen = new Set<string>();
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await mailbox.listIncoming(PAGE);
      const fresh = list.messages.filter((h) => !seen.has(h.messageId));
      for (const h of fresh) {
        seen.add(h.messageId);
        // One bad message (a digest mismatch, a refused confirmation) must not hold up the others.
        await this.take(mailbox, book, h.messageId, h.sentOn, result).catch((e: unknown) => {
          result.failed += 1;
          this.log.warn(
            `incoming e-address message ${h.messageId}: ${e instanceof Error ? e.message : String(e)}; retried next round`,
          );
        });
      }
      if (!list.hasMore || fresh.length === 0) break;
    }
    for (const municipalityId of new Set(book.values())) await this.sendSignals(municipalityId);
    return result;
  }

  /** The municipalities with an e-address, by that address (a message names the addresses it is for). */
  private async addressBook(): Promise<Map<string, string>> {
    const rows = await this.ds.getRepository(Municipality).find({
      where: { eAddress: Not('') },
      select: ['id', 'eAddress'],
    });
    return new Map(rows.map((m) => [m.eAddress.trim(), m.id]));
  }

  private async take(
    mailbox: EAddressMailbox,
    book: Map<string, string>,
    divMessageId: string,
    sentOn: string,
    result: PollResult,
  ): Promise<void> {
    const msg = await mailbox.getIncoming(divMessageId);
    result.fetched += 1;
    const targets = [
      ...new Set(msg.recipients.map((r) => book.get(r.trim())).filter((x): x is string => !!x)),
    ];
    if (targets.length === 0) {
      result.unaddressed += 1;
      this.log.warn(`e-address message ${divMessageId} is for no municipality here; left in DIV`);
      return;
    }
    for (const municipalityId of targets) {
      const rowId = await this.store(municipalityId, msg, sentOn, result);
      await this.routeStored(municipalityId, rowId);
    }
    await mailbox.confirmIncoming(msg, true);
    for (const municipalityId of targets)
      await this.tenantDb.run(municipalityId, (em) =>
        em.update(
          IncomingMessage,
          { divMessageId, confirmedAt: IsNull() },
          { confirmedAt: new Date() },
        ),
      );
    result.confirmed += 1;
  }

  /** The message and its files in one transaction; an existing row (same DIV id) is kept as it is. */
  private store(
    municipalityId: string,
    msg: DivIncomingMessage,
    sentOn: string,
    result: PollResult,
  ): Promise<string> {
    return this.tenantDb.run(municipalityId, async (em) => {
      const inserted = (await em
        .createQueryBuilder()
        .insert()
        .into(IncomingMessage)
        .values({
          municipalityId,
          divMessageId: msg.messageId,
          senderEAddress: msg.senderEAddress,
          senderCode: this.personalCodeOf(msg.senderEAddress),
          senderRef: msg.senderRefNumber,
          subject: msg.title,
          body: msg.text,
          references: msg.references,
          sentOn: new Date(sentOn),
        })
        .orIgnore()
        .returning(['id'])
        .execute()) as { raw: { id: string }[] };
      const id = inserted.raw[0]?.id;
      if (!id) {
        const existing = await em.findOneOrFail(IncomingMessage, {
          where: { divMessageId: msg.messageId },
        });
        return existing.id;
      }
      for (const f of msg.files)
        await em.insert(IncomingMessageFile, {
          municipalityId,
          messageId: id,
          fileName: f.name.slice(0, 250),
          mimeType: f.mimeType,
          sizeBytes: f.size,
          sha256: createHash('sha256').update(f.content).digest('hex'),
          content: f.content,
        });
      result.stored += 1;
      return id;
    });
  }

  /** Routes a stored message once (the row lock and its status make a second attempt do nothing), then sends its signal. */
  private async routeStored(municipalityId: string, id: string): Promise<void> {
    await this.tenantDb.run(municipalityId, async (em) => {
      const m = await em.findOne(IncomingMessage, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!m || m.status !== 'received') return;
      const outcome = await this.router.route(em, m);
      m.status = outcome.status;
      m.caseId = outcome.caseId;
      m.routingNote = outcome.status === 'registration' ? outcome.note : null;
      await em.save(m);
    });
    await this.sendSignals(municipalityId, id);
  }

  /**
   * Sends recorded signals not yet sent (idempotency key per message: the engine delivers one
   * however often this runs). A run that no longer waits (closed meanwhile) turns the message
   * into a registration for a caseworker instead.
   */
  private async sendSignals(municipalityId: string, id?: string): Promise<void> {
    const pending = await this.tenantDb.run(municipalityId, (em) =>
      em.find(IncomingMessage, {
        where: {
          status: 'continued',
          signalledAt: IsNull(),
          ...(id ? { id } : {}),
        },
      }),
    );
    for (const m of pending) {
      try {
        await this.cases.signal(
          'e-address',
          municipalityId,
          m.caseId!,
          m.signal!.topic,
          m.signal!.payload,
          `e-address:${m.id}`,
        );
        await this.tenantDb.run(municipalityId, (em) =>
          em.update(IncomingMessage, { id: m.id }, { signalledAt: new Date() }),
        );
      } catch (e) {
        if (!(e instanceof DomainError) || e.retryable) {
          this.log.warn(`signal for incoming message ${m.id} failed, retried next round`);
          continue;
        }
        await this.tenantDb.run(municipalityId, (em) =>
          em.update(
            IncomingMessage,
            { id: m.id, signalledAt: IsNull() },
            { status: 'registration', routingNote: 'notWaiting' },
          ),
        );
      }
    }
  }

  /** `_PRIVATE@01019012345` → 010190-12345 by the configured natural-person address; null for institutions. */
  personalCodeOf(eAddress: string): string | null {
    const [before, after] = this.config.EADRESE_PERSON_ADDRESS.split('{code}');
    if (!eAddress.startsWith(before) || !eAddress.endsWith(after)) return null;
    return canonicalCode(eAddress.slice(before.length, eAddress.length - after.length));
  }
}
