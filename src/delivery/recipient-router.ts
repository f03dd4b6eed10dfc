import { Inject, Injectable } from '@nestjs/common';
import { EADDRESS_PORT, type EAddressPort } from '../integrations/e-adrese/e-address.port';
import { DomainError } from '../platform/errors/domain-error';
import { postRecipient } from './channels/post.channel';
import type { Channel, FallbackRoute } from './outbox-message.entity';

export interface PostalAddress {
  name: string;
  address: string;
}

export interface RecipientContacts {
  personalCode?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Where a letter can go; asked only when no electronic channel is open (it may query registers). */
  postal?: () => Promise<PostalAddress | null>;
}

export interface ChosenRoute {
  channel: Extract<Channel, 'e_address' | 'email' | 'sms' | 'post'>;
  recipient: string;
  /** Why this channel: shown in the case file. */
  reason:
    | 'activated_e_address'
    | 'no_e_address_email'
    | 'no_e_address_sms'
    | 'no_electronic_contact_post';
}

/**
 * Picks the channel for an official document. Oficiālās elektroniskās adreses likums art. 12(1): a
 * person with an activated e-address is written to there only; otherwise the contact they gave,
 * and without one a printed letter to their postal address.
 */
@Injectable()
export class RecipientRouter {
  constructor(@Inject(EADDRESS_PORT) private readonly eAddress: EAddressPort) {}

  async choose(c: RecipientContacts): Promise<ChosenRoute> {
    if (c.personalCode) {
      const v = await this.eAddress.validateEAddress(c.personalCode);
      if (v.active)
        return { channel: 'e_address', recipient: c.personalCode, reason: 'activated_e_address' };
    }
    if (c.email) return { channel: 'email', recipient: c.email, reason: 'no_e_address_email' };
    if (c.phone) return { channel: 'sms', recipient: c.phone, reason: 'no_e_address_sms' };
    const postal = c.postal ? await c.postal() : null;
    if (postal)
      return {
        channel: 'post',
        recipient: postRecipient(postal.name, postal.address),
        reason: 'no_electronic_contact_post',
      };
    throw DomainError.validation([
      { field: 'recipient', message: 'delivery:errors.recipientRequired' },
    ]);
  }

  /**
   * The channels after `chosen` that could reach the same person if it fails (e-mail, then a
   * letter): the outbox tries the first, once. A postal address that cannot be looked up now is
   * left out rather than failing the message.
   */
  async fallbacks(c: RecipientContacts, chosen: ChosenRoute): Promise<FallbackRoute[]> {
    const out: FallbackRoute[] = [];
    if (chosen.channel === 'post') return out;
    if (chosen.channel === 'e_address' && c.email)
      out.push({ channel: 'email', recipient: c.email });
    const postal = c.postal ? await c.postal().catch(() => null) : null;
    if (postal)
      out.push({ channel: 'post', recipient: postRecipient(postal.name, postal.address) });
    return out;
  }
}
