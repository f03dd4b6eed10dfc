import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CalendarModule } from '../deadlines/calendar/calendar.module';
import { EADDRESS_PORT, type EAddressPort } from '../integrations/e-adrese/e-address.port';
import { eAddressPortFrom } from '../integrations/e-adrese/e-address.provider';
import { EAddressInboxPagesController } from '../integrations/e-adrese/simulator/e-address-inbox.pages.controller';
import {
  createDeliveryActivities,
  createDeliveryPath,
  type DeliveryPath,
  type DeliveryPorts,
} from '../../activities/delivery';
import { DocumentService } from '../documents/document.service';
import { DocumentsModule } from '../documents/documents.module';
import {
  ADDRESS_REGISTER,
  type AddressRegister,
} from '../integrations/address/address-register.port';
import {
  POPULATION_REGISTER,
  type PopulationRegister,
} from '../integrations/population/population-register.port';
import { I18nService, isLang } from '../platform/i18n/i18n.service';
import { TenantDb } from '../platform/tenancy/tenant-db';
import { AccountManagerDirectory } from '../platform/accounts/manager-directory';
import { AlertService, MANAGER_DIRECTORY } from './alerts/alert.service';
import { DELIVERY_CHANNELS, type DeliveryChannel } from './channels/channel.port';
import { EAddressChannel } from './channels/e-address.channel';
import { EmailChannel } from './channels/email.channel';
import { PostLetterChannel } from './channels/post.channel';
import { SimulatedChannel } from './channels/simulated.channel';
import { ServiceStatusChannel } from './channels/service-status.channel';
import { PropertyTaxStatusChannel } from './channels/property-tax-status.channel';
import {
  PROPERTY_TAX_STATUS_PORT,
  type PropertyTaxStatusPort,
} from '../integrations/property-tax/property-tax-status.port';
import { propertyTaxPortFrom } from '../integrations/property-tax/property-tax-status.provider';
import {
  SERVICE_STATUS_PORT,
  type ServiceStatusPort,
} from '../integrations/pspp/service-status.port';
import { serviceStatusPortFrom } from '../integrations/pspp/service-status.provider';
import { DeliverySender } from './delivery-sender';
import { DeliveryPoller } from './delivery.poller';
import { DeliveryLegalEffect } from './legal/delivery-legal-effect';
import { OutboxService } from './outbox.service';
import { RecipientRouter } from './recipient-router';
import { TRANSLATOR, createLocalTranslator, type Translator } from './translator';

export const SMS_CHANNEL = Symbol('SMS_CHANNEL');
export const PORTAL_STATUS_CHANNEL = Symbol('PORTAL_STATUS_CHANNEL');
/** The one way to reach a person (activities/delivery): the path processes' activities write through. */
export const DELIVERY_PATH = Symbol('DELIVERY_PATH');
/** notifyParty, deliverDocuments (and reference@v1's sendDelivery), for the engine's activity map. */
export const DELIVERY_ACTIVITIES = Symbol('DELIVERY_ACTIVITIES');
const DELIVERY_PORTS = Symbol('DELIVERY_PORTS');

/** The delivery outbox, its channels and alerts to managers. */
@Module({
  // DocumentsModule provides DOCUMENT_SOURCE (attachments); the case core (global) provides DELIVERY_TIMELINE.
  imports: [CalendarModule, DocumentsModule],
  controllers: [EAddressInboxPagesController],
  providers: [
    OutboxService,
    AlertService,
    { provide: MANAGER_DIRECTORY, useClass: AccountManagerDirectory },
    DeliveryLegalEffect,
    DeliverySender,
    DeliveryPoller,
    RecipientRouter,
    { provide: TRANSLATOR, useFactory: createLocalTranslator },
    { provide: EADDRESS_PORT, inject: [APP_CONFIG, DataSource], useFactory: eAddressPortFrom },
    { provide: SMS_CHANNEL, useFactory: () => new SimulatedChannel('sms') },
    { provide: SERVICE_STATUS_PORT, inject: [APP_CONFIG], useFactory: serviceStatusPortFrom },
    {
      provide: PORTAL_STATUS_CHANNEL,
      inject: [SERVICE_STATUS_PORT, TenantDb],
      useFactory: (port: ServiceStatusPort, tenantDb: TenantDb) =>
        new ServiceStatusChannel(port, tenantDb),
    },
    { provide: PROPERTY_TAX_STATUS_PORT, inject: [APP_CONFIG], useFactory: propertyTaxPortFrom },
    {
      provide: DELIVERY_CHANNELS,
      inject: [
        APP_CONFIG,
        EADDRESS_PORT,
        SMS_CHANNEL,
        PORTAL_STATUS_CHANNEL,
        DocumentService,
        TRANSLATOR,
        PROPERTY_TAX_STATUS_PORT,
      ],
      useFactory: (
        config: AppConfig,
        eAddress: EAddressPort,
        sms: SimulatedChannel,
        portal: ServiceStatusChannel,
        documents: DocumentService,
        i18n: Translator,
        propertyTax: PropertyTaxStatusPort,
      ): DeliveryChannel[] => [
        new EmailChannel(config.SMTP_URL, config.MAIL_FROM, config.DELIVERY_SEND_TIMEOUT_MS),
        new EAddressChannel(eAddress),
        sms,
        portal,
        new PostLetterChannel(documents, i18n),
        new PropertyTaxStatusChannel(propertyTax),
      ],
    },
    {
      provide: DELIVERY_PORTS,
      inject: [
        TenantDb,
        OutboxService,
        DeliverySender,
        RecipientRouter,
        POPULATION_REGISTER,
        ADDRESS_REGISTER,
        I18nService,
      ],
      useFactory: (
        tenantDb: TenantDb,
        outbox: OutboxService,
        sender: DeliverySender,
        router: RecipientRouter,
        population: PopulationRegister,
        address: AddressRegister,
        i18n: I18nService,
      ): DeliveryPorts => ({
        tenantDb,
        outbox,
        sender,
        router,
        population,
        address,
        t: (lang: string, key: string, vars?: Record<string, unknown>) =>
          i18n.t(isLang(lang) ? lang : 'lv', key, vars),
      }),
    },
    {
      provide: DELIVERY_PATH,
      inject: [DELIVERY_PORTS],
      useFactory: (ports: DeliveryPorts) => createDeliveryPath(ports),
    },
    {
      provide: DELIVERY_ACTIVITIES,
      inject: [DELIVERY_PORTS, DELIVERY_PATH],
      useFactory: (ports: DeliveryPorts, path: DeliveryPath) =>
        createDeliveryActivities(ports, path),
    },
  ],
  exports: [
    OutboxService,
    AlertService,
    DeliverySender,
    DeliveryLegalEffect,
    RecipientRouter,
    TRANSLATOR,
    EADDRESS_PORT,
    SMS_CHANNEL,
    PORTAL_STATUS_CHANNEL,
    SERVICE_STATUS_PORT,
    PROPERTY_TAX_STATUS_PORT,
    CalendarModule,
    DELIVERY_PATH,
    DELIVERY_ACTIVITIES,
  ],
})
export class DeliveryModule {}
