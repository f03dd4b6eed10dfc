import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { ResidenceFee } from './residence-fee.entity';
import type { SubmissionChannel } from './residence.types';

/** Defaults seeded when missing (MK 720/2009: €4.27 at the municipality, free online). */
const DEFAULT_FEES: Pick<ResidenceFee, 'country' | 'channel' | 'amountCents' | 'validFrom' | 'note'>[] = [
  { country: 'LV', channel: 'counter', amountCents: 427, validFrom: '2014-01-01', note: 'MK 720/2009 state fee at the municipality' },
  { country: 'LV', channel: 'online', amountCents: 0, validFrom: '2014-01-01', note: 'Online declarations are free' },
];

/** State fees as effective-dated parameters: the row in force on the date applies. */
@Injectable()
export class ResidenceFeesService implements OnModuleInit {
  constructor(private readonly db: DataSource) {}

  async onModuleInit(): Promise<void> {
    await this.db.createQueryBuilder().insert().into(ResidenceFee).values(DEFAULT_FEES).orIgnore().execute();
  }

  async feeCents(country: string, channel: SubmissionChannel, on: string): Promise<number> {
    const row = await this.db
      .getRepository(ResidenceFee)
      .createQueryBuilder('f')
      .where('f.country = :country AND f.channel = :channel AND f.valid_from <= :on', { country, channel, on })
      .orderBy('f.valid_from', 'DESC')
      .getOne();
    if (!row) throw new DomainError(ErrorCode.Misconfigured, `no residence fee for ${country}/${channel} on ${on}`);
    return row.amountCents;
  }
}
