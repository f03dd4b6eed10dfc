import type { DataSource } from 'typeorm';
import { createDeliveryActivities, type DeliveryActivities } from '../../activities/delivery';
import { DeliveriesOnTimeline } from '../../src/cases/case-file.ports';
import type { AppConfig } from '../../src/config/config';
import { CalendarService } from '../../src/deadlines/calendar/calendar.service';
import { AlertService } from '../../src/delivery/alerts/alert.service';
import { EAddressChannel } from '../../src/delivery/channels/e-address.channel';
import { DeliverySender } from '../../src/delivery/delivery-sender';
import { DeliveryLegalEffect } from '../../src/delivery/legal/delivery-legal-effect';
import type { ProcessEngine } from '../../src/engine/process-engine';
import { ParametersService } from '../../src/parameters/parameters.service';
import { SystemClock } from '../../src/platform/clock/clock';
import { OutboxService } from '../../src/delivery/outbox.service';
import { RecipientRouter } from '../../src/delivery/recipient-router';
import { createLocalTranslator } from '../../src/delivery/translator';
import { AddressRegisterSimulator } from '../../src/integrations/address/address-register.simulator';
import { EAddressSimulator } from '../../src/integrations/e-adrese/simulator/e-address.simulator';
import { PopulationRegisterSimulator } from '../../src/integrations/population/population-register.simulator';
import { AccountManagerDirectory } from '../../src/platform/accounts/manager-directory';
import { I18nService } from '../../src/platform/i18n/i18n.service';
import { DomainError, ErrorCode } from '../../src/platform/errors/domain-error';
import type { TenantDb } from '../../src/platform/tenancy/tenant-db';

/** No run waits on a notice (engine tests that only deliver). */
const NO_RUNS: ProcessEngine = {
  name: 'dbos',
  start: () => Promise.resolve({ started: false }),
  signal: () => Promise.resolve(),
  describe: () => Promise.resolve(null),
  cancel: () => Promise.resolve(),
};

const noDocuments = (): never => {
  throw new DomainError(
    ErrorCode.Misconfigured,
    'the engine-only harness issues no documents (no letters, no attachments)',
  );
};

/**
 * The one delivery path for engine tests that run without the Nest app: the real outbox, sender,
 * router and e-address simulator on the test database; documents (letters, attachments) are not
 * available here, the app tests cover them.
 */
export function engineDelivery(
  ds: DataSource,
  tenantDb: TenantDb,
  config: AppConfig,
  /** Where a notice that took legal effect is signalled; the engine harness passes its engine. */
  engine: ProcessEngine = NO_RUNS,
): { delivery: DeliveryActivities; eAddress: EAddressSimulator } {
  const eAddress = new EAddressSimulator();
  const outbox = new OutboxService(tenantDb, config);
  const alerts = new AlertService(tenantDb, new AccountManagerDirectory());
  const calendars = new CalendarService(ds, config);
  const sender = new DeliverySender(
    tenantDb,
    ds,
    new DeliveryLegalEffect(calendars, new ParametersService(ds, calendars)),
    alerts,
    outbox,
    config,
    createLocalTranslator(),
    [new EAddressChannel(eAddress)],
    { load: async () => noDocuments() },
    new DeliveriesOnTimeline(engine),
    new SystemClock(),
  );
  const i18n = new I18nService();
  const delivery = createDeliveryActivities({
    tenantDb,
    outbox,
    sender,
    router: new RecipientRouter(eAddress, ds),
    population: new PopulationRegisterSimulator(ds),
    address: new AddressRegisterSimulator(ds),
    t: (lang, key, vars) => i18n.t(lang === 'en' || lang === 'el' ? lang : 'lv', key, vars),
  });
  return { delivery, eAddress };
}
