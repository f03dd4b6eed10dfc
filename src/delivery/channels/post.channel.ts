import type { DocumentService } from '../../documents/document.service';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import type { Translator } from '../translator';
import type { ChannelResult, DeliveryChannel, OutboundEnvelope } from './channel.port';

/** A post recipient is stored as the addressee's name and the postal address, on two lines. */
export const postRecipient = (name: string, address: string): string =>
  `${name.trim()}\n${address.trim()}`;

export function parsePostRecipient(recipient: string): { name: string; address: string } | null {
  const [name, ...rest] = recipient.split('\n');
  const address = rest.join(', ').trim();
  return name?.trim() && address ? { name: name.trim(), address } : null;
}

/**
 * Post: the message becomes a sealed letter (`generic/notice`, in the municipality's language, with
 * its own registration number) listing the enclosed documents by their numbers. Nothing leaves the
 * building here: the letter waits for staff to print it with its enclosures and mark it posted.
 */
export class PostLetterChannel implements DeliveryChannel {
  readonly channel = 'post' as const;
  /**
   * No send limit: issuing the letter (render, print, seal, store) is local work, bounded by the
   * printer's render limit and the pool's wait; a letter that takes longer on a busy machine is
   * still the letter, and the attempt records it as awaiting_post rather than failed.
   */
  readonly sendTimeoutMs = null;

  constructor(
    private readonly documents: Pick<DocumentService, 'issue'>,
    private readonly i18n: Translator,
  ) {}

  async send(env: OutboundEnvelope): Promise<ChannelResult> {
    const to = parsePostRecipient(env.recipient);
    if (!to)
      throw new DomainError(
        ErrorCode.ValidationFailed,
        'post: the recipient needs a name and a postal address',
      );
    if (!env.caseId)
      throw new DomainError(ErrorCode.ValidationFailed, 'post: a letter belongs to a case');
    const enclosures = env.files.map(
      (f) => f.registrationNumber ?? f.fileName.replace(/\.pdf$/i, ''),
    );
    const paragraphs = [
      ...env.body
        .split(/\n\s*\n/)
        .map((p) => p.trim())
        .filter(Boolean),
      ...(enclosures.length
        ? [this.i18n.t(env.lang, 'delivery:letter.enclosures', { numbers: enclosures.join(', ') })]
        : []),
    ];
    const letter = await this.documents.issue({
      municipalityId: env.municipality.id,
      caseId: env.caseId,
      // One letter per outbox message: a repeated attempt finds the letter already issued.
      stepKey: `letter:${env.outboxId}`,
      templateKey: 'generic/notice',
      language: env.lang,
      data: {
        addressee: { name: to.name, address: to.address },
        subject: env.subject,
        paragraphs: paragraphs.length ? paragraphs : [env.subject],
        signatory: {
          name: env.municipality.name,
          position: this.i18n.t(env.lang, 'delivery:letter.signatory'),
        },
      },
    });
    return {
      providerMessageId: letter.registrationNumber,
      awaitsPosting: true,
      receipt: {
        post: true,
        letterDocumentId: letter.id,
        registrationNumber: letter.registrationNumber,
        addressee: to.name,
        address: to.address,
        enclosures,
      },
    };
  }
}
