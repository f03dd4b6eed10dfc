import type { EAddressPort } from '../../integrations/e-adrese/e-address.port';
import type { ChannelResult, DeliveryChannel, OutboundEnvelope } from './channel.port';

/** Sends an outbox message as an e-adrese document; the outbox idempotency key is the sender reference. */
export class EAddressChannel implements DeliveryChannel {
  readonly channel = 'e_address' as const;

  constructor(private readonly port: EAddressPort) {}

  async send(env: OutboundEnvelope): Promise<ChannelResult> {
    const files = env.files.map((f) => ({
      name: f.fileName,
      mimeType: f.mimeType,
      size: f.size,
      sha256: f.sha256,
      open: () => f.open(),
    }));
    const { messageId } = await this.port.send({
      title: env.subject,
      date: new Date().toISOString(),
      documentKind: 'NOTIFICATION',
      authors: [env.municipality.name],
      content: env.body,
      files,
      senderEAddress: env.municipality.eAddress,
      senderReference: env.idempotencyKey,
      recipients: [env.recipient],
      notifyOnDelivery: true,
    });
    return {
      providerMessageId: messageId,
      receipt: {
        gateway: 'e-adrese',
        messageId,
        senderReference: env.idempotencyKey,
        recipient: env.recipient,
        files: files.map((f) => ({ name: f.name, size: f.size, sha256: f.sha256 })),
      },
    };
  }

  async status(
    providerMessageId: string,
  ): Promise<{ delivered: boolean; at: string | null; state: string }> {
    const s = await this.port.status(providerMessageId);
    return { delivered: s.state === 'delivered' || s.state === 'read', at: s.at, state: s.state };
  }
}
