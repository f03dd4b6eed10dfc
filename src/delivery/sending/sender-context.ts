import type { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/config';
import type { TenantDb } from '../../platform/tenancy/tenant-db';
import type { OutboxService } from '../outbox.service';
import type { DeliveryTimeline } from './outcome';

/**
 * What the parts of the sender share: the sender's own clock and randomness (tests replace them on
 * the sender, so the parts read them through it), its log, the database and the case timeline.
 */
export interface SenderContext {
  readonly tenantDb: TenantDb;
  readonly ds: DataSource;
  readonly config: AppConfig;
  readonly outbox: OutboxService;
  readonly timeline: DeliveryTimeline;
  readonly log: Logger;
  now(): Date;
  random(): number;
  /** How long a claimed row is held by one attempt before another may take it over. */
  leaseMs(): number;
}
