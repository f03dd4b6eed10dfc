import { randomUUID } from 'node:crypto';
import { FailureInjection } from '../../../delivery/channels/failure-injection';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import type {
  EAddressEnvelope,
  EAddressFile,
  EAddressPort,
  EAddressStatus,
  EAddressValidation,
} from '../e-address.port';

/** A delivered envelope as the simulator keeps it: the files' bytes read in. */
export type SimulatedEnvelope = Omit<EAddressEnvelope, 'files'> & {
  files: (Omit<EAddressFile, 'open'> & { content: Buffer })[];
};

interface StoredMessage {
  messageId: string;
  envelope: SimulatedEnvelope;
  acceptedAt: Date;
}

const PERSONAL_CODE = /^\d{6}-?\d{5}$/;

/**
 * In-repo stand-in for the DIV gateway behind the same port as the real adapter. Like the gateway it
 * keys messages by sender + sender reference, so a repeated send returns the first MessageId and is
 * not delivered twice; it counts calls and deliveries per reference so tests can prove that.
 */
export class EAddressSimulator implements EAddressPort {
  readonly faults = new FailureInjection();
  private readonly byRef = new Map<string, StoredMessage>();
  private readonly byId = new Map<string, StoredMessage>();
  private readonly calls = new Map<string, number>();
  private readonly inactive = new Set<string>();
  private readonly undeliverable = new Set<string>();

  async send(envelope: EAddressEnvelope): Promise<{ messageId: string }> {
    const ref = `${envelope.senderEAddress}|${envelope.senderReference}`;
    this.calls.set(envelope.senderReference, (this.calls.get(envelope.senderReference) ?? 0) + 1);
    const { loseAck } = await this.faults.before('e-adrese');
    // Like DIV (BL.PSS.003): no message without the sender's own e-address.
    if (!/^\S+$/.test(envelope.senderEAddress))
      throw new DomainError(
        ErrorCode.ValidationFailed,
        `e-adrese: BL.PSS.003 SenderE-Address: The value '${envelope.senderEAddress}' is not accepted by the pattern`,
      );
    for (const r of envelope.recipients) {
      const code = r.replace(/^_PRIVATE@/, '');
      if (this.inactive.has(code.replace('-', ''))) {
        throw new DomainError(
          ErrorCode.ValidationFailed,
          `e-adrese: recipient ${r} has no activated e-address`,
        );
      }
    }
    let stored = this.byRef.get(ref);
    if (!stored) {
      const files = [];
      for (const { open, ...f } of envelope.files) {
        const parts: Buffer[] = [];
        for await (const chunk of open()) parts.push(chunk);
        files.push({ ...f, content: Buffer.concat(parts) });
      }
      stored = {
        messageId: `div-${randomUUID()}`,
        envelope: { ...envelope, files },
        acceptedAt: new Date(),
      };
      this.byRef.set(ref, stored);
      this.byId.set(stored.messageId, stored);
    }
    if (loseAck) throw FailureInjection.lostAck('e-adrese');
    return { messageId: stored.messageId };
  }

  async status(messageId: string): Promise<EAddressStatus> {
    await this.faults.before('e-adrese');
    const m = this.byId.get(messageId);
    if (!m) return { messageId, state: 'unknown', at: null };
    const failed = m.envelope.recipients.some((r) =>
      this.undeliverable.has(r.replace(/^_PRIVATE@/, '').replace('-', '')),
    );
    return { messageId, state: failed ? 'failed' : 'delivered', at: m.acceptedAt.toISOString() };
  }

  async validateEAddress(personalCode: string): Promise<EAddressValidation> {
    await this.faults.before('e-adrese');
    if (!PERSONAL_CODE.test(personalCode)) {
      throw DomainError.validation([
        { field: 'personalCode', message: 'delivery:errors.personalCodeInvalid' },
      ]);
    }
    const code = personalCode.replace('-', '');
    const active = !this.inactive.has(code);
    return { personalCode, active, eAddress: active ? `_PRIVATE@${code}` : null };
  }

  /** The gateway accepts messages to this person but later reports them as failed (not delivered). */
  failDeliveriesTo(personalCode: string): void {
    this.undeliverable.add(personalCode.replace('-', ''));
  }

  /** Marks a person as having no activated e-address. */
  deactivate(personalCode: string): void {
    this.inactive.add(personalCode.replace('-', ''));
  }

  /** Distinct deliveries for a sender reference (the outbox idempotency key): 0 or 1. */
  deliveries(senderReference: string): number {
    return [...this.byRef.values()].filter((m) => m.envelope.senderReference === senderReference)
      .length;
  }
  /** How many SendMessage calls arrived for a sender reference, failed ones included. */
  callCount(senderReference: string): number {
    return this.calls.get(senderReference) ?? 0;
  }
  /** What a person's e-address has received, newest first (the demo's inbox page shows it). */
  inbox(
    personalCode: string,
  ): { messageId: string; acceptedAt: Date; envelope: SimulatedEnvelope }[] {
    const code = personalCode.replace('-', '');
    return [...this.byRef.values()]
      .filter((m) =>
        m.envelope.recipients.some((r) => r.replace(/^_PRIVATE@/, '').replace('-', '') === code),
      )
      .sort((a, b) => b.acceptedAt.getTime() - a.acceptedAt.getTime());
  }
  delivered(): SimulatedEnvelope[] {
    return [...this.byRef.values()].map((m) => m.envelope);
  }
  reset(): void {
    this.faults.reset();
    this.byRef.clear();
    this.byId.clear();
    this.calls.clear();
    this.inactive.clear();
    this.undeliverable.clear();
  }
}
