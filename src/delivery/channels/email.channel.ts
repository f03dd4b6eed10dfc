import { createHash } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { ChannelResult, DeliveryChannel, OutboundEnvelope } from './channel.port';

interface SmtpError extends Error {
  responseCode?: number;
  code?: string;
}

/**
 * E-mail over SMTP (nodemailer). The Message-ID is derived from the idempotency key so a receiving
 * system can recognise a repeat; SMTP itself cannot refuse one, which is why the outbox never sends
 * a message it has recorded as sent.
 */
export class EmailChannel implements DeliveryChannel {
  readonly channel = 'email' as const;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
    timeoutMs = 30_000,
  ) {
    this.transport = nodemailer.createTransport({
      url: smtpUrl,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
    } as SMTPTransport.Options);
  }

  async send(env: OutboundEnvelope): Promise<ChannelResult> {
    const messageId = `<${createHash('sha256').update(`${env.municipality.id}|${env.idempotencyKey}`).digest('hex').slice(0, 32)}@civitas>`;
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: env.recipient,
        subject: env.subject,
        text: env.body,
        messageId,
        headers: { 'X-Civitas-Idempotency-Key': env.idempotencyKey },
        attachments: env.files.map((f) => ({
          filename: f.fileName,
          content: f.open(),
          contentType: f.mimeType,
        })),
      });
      const rejected = (info.rejected ?? []).map(String);
      if (rejected.length > 0 && (info.accepted ?? []).length === 0) {
        throw new DomainError(ErrorCode.ValidationFailed, `SMTP rejected ${rejected.join(', ')}`);
      }
      return {
        providerMessageId: info.messageId,
        receipt: {
          smtp: true,
          messageId: info.messageId,
          accepted: (info.accepted ?? []).map(String),
          rejected,
          response: info.response,
        },
      };
    } catch (e) {
      if (e instanceof DomainError) throw e;
      const err = e as SmtpError;
      // 5xx is a permanent refusal (bad mailbox); 4xx and network errors are worth retrying.
      if (err.responseCode && err.responseCode >= 500)
        throw new DomainError(
          ErrorCode.ValidationFailed,
          `SMTP ${err.responseCode}: ${err.message}`,
        );
      throw new DomainError(ErrorCode.ExternalUnavailable, `SMTP: ${err.message}`);
    }
  }

  close(): void {
    this.transport.close();
  }
}
