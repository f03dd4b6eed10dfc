import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { EADDRESS_PORT, type EAddressPort } from '../integrations/e-adrese/e-address.port';
import { DomainError } from '../platform/errors/domain-error';
import { Municipality } from '../platform/tenancy/municipality.entity';
import { postRecipient } from './channels/post.channel';
import type { Channel, FallbackRoute } from './outbox-message.entity';

export interface PostalAddress {
  name: string;
  address: string;
}

/** The municipality a message is sent from, as far as the channel choice needs it. */
export interface SendingMunicipality {
  country: string;
  /** Its own official e-address (the e-adrese sender identity); '' when it has none. */
  eAddress: string;
}

/**
 * Whether the municipality can send through the e-address at all. The official e-address is a
 * Latvian state service (Oficiālās elektroniskās adreses likums) for Latvian institutions, and a
 * message there needs the sender's own e-address (DIV refuses an empty SenderE-Address,
 * BL.PSS.003): a municipality outside Latvia, or a Latvian one with no e-address configured,
 * reaches people by e-mail, SMS or post instead. The one rule for every route to `e_address`.
 */
export function canSendByEAddress(m: SendingMunicipality | null | undefined): boolean {
  return !!m && m.country === 'LV' && m.eAddress.trim() !== '';
}

/** The municipality's country and e-address, read in the caller's transaction. */
export async function sendingMunicipality(
  em: EntityManager,
  municipalityId: string,
): Promise<SendingMunicipality> {
  const m = await em
    .getRepository(Municipality)
    .findOne({ where: { id: municipalityId }, select: ['id', 'country', 'eAddress'] });
  return { country: m?.country ?? '', eAddress: m?.eAddress ?? '' };
}

export interface RecipientContacts {
  /** Who sends: decides whether the e-address can be used at all (canSendByEAddress). */
  from: SendingMunicipality;
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
    | 'municipality_without_e_address'
    | 'no_e_address_email'
    | 'no_e_address_sms'
    | 'no_electronic_contact_post';
}

/**
 * Picks the channel for an official document. Oficiālās elektroniskās adreses likums art. 12(1): a
 * person with an activated e-address is written to there only; otherwise the contact they gave,
 * and without one a printed letter to their postal address. A municipality that cannot send to an
 * e-address (canSendByEAddress) never routes there and does not ask the e-address register.
 */
@Injectable()
export class RecipientRouter {
  constructor(
    @Inject(EADDRESS_PORT) private readonly eAddress: EAddressPort,
    private readonly ds: DataSource,
  ) {}

  /** `choose` for a message from `municipalityId`, outside a transaction (the sender read here). */
  async chooseFor(
    municipalityId: string,
    c: Omit<RecipientContacts, 'from'>,
  ): Promise<ChosenRoute> {
    return this.choose({ ...c, from: await sendingMunicipality(this.ds.manager, municipalityId) });
  }

  async choose(c: RecipientContacts): Promise<ChosenRoute> {
    const eAddressOpen = canSendByEAddress(c.from);
    if (c.personalCode && eAddressOpen) {
      const v = await this.eAddress.validateEAddress(c.personalCode);
      if (v.active)
        return { channel: 'e_address', recipient: c.personalCode, reason: 'activated_e_address' };
    }
    if (c.email)
      return {
        channel: 'email',
        recipient: c.email,
        reason: eAddressOpen ? 'no_e_address_email' : 'municipality_without_e_address',
      };
    if (c.phone)
      return {
        channel: 'sms',
        recipient: c.phone,
        reason: eAddressOpen ? 'no_e_address_sms' : 'municipality_without_e_address',
      };
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
