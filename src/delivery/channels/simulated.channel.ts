import { randomUUID } from 'node:crypto';
import type { Channel } from '../outbox-message.entity';
import type { ChannelResult, DeliveryChannel, OutboundEnvelope } from './channel.port';
import { FailureInjection } from './failure-injection';

/**
 * In-repo simulator for SMS and the services-portal status feed: remembers what it received per
 * idempotency key (a repeated key is acknowledged, not delivered twice) and counts deliveries.
 */
export class SimulatedChannel implements DeliveryChannel {
  readonly faults = new FailureInjection();
  private readonly byKey = new Map<string, { id: string; envelope: OutboundEnvelope }>();
  private readonly calls = new Map<string, number>();

  constructor(readonly channel: Extract<Channel, 'sms' | 'portal_status'>) {}

  async send(envelope: OutboundEnvelope): Promise<ChannelResult> {
    this.calls.set(envelope.idempotencyKey, (this.calls.get(envelope.idempotencyKey) ?? 0) + 1);
    const { loseAck } = await this.faults.before(this.channel);
    let entry = this.byKey.get(envelope.idempotencyKey);
    if (!entry) {
      entry = { id: `${this.channel}-${randomUUID()}`, envelope };
      this.byKey.set(envelope.idempotencyKey, entry);
    }
    if (loseAck) throw FailureInjection.lostAck(this.channel);
    return {
      providerMessageId: entry.id,
      receipt: {
        simulated: true,
        channel: this.channel,
        id: entry.id,
        recipient: envelope.recipient,
      },
    };
  }

  deliveries(idempotencyKey: string): number {
    return this.byKey.has(idempotencyKey) ? 1 : 0;
  }
  callCount(idempotencyKey: string): number {
    return this.calls.get(idempotencyKey) ?? 0;
  }
  received(): OutboundEnvelope[] {
    return [...this.byKey.values()].map((e) => e.envelope);
  }
}
