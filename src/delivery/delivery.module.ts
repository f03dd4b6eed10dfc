import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { CalendarModule } from '../deadlines/calendar/calendar.module';
import { EADDRESS_PORT, type EAddressPort } from '../integrations/e-adrese/e-address.port';
import { eAddressPortFrom } from '../integrations/e-adrese/e-address.provider';
import { EAddressInboxPagesController } from '../integrations/e-adrese/simulator/e-address-inbox.pages.controller';
import { DocumentsModule } from '../documents/documents.module';
import { AccountManagerDirectory } from '../platform/accounts/manager-directory';
import { AlertService, MANAGER_DIRECTORY } from './alerts/alert.service';
import { DELIVERY_CHANNELS, type DeliveryChannel } from './channels/channel.port';
import { EAddressChannel } from './channels/e-address.channel';
import { EmailChannel } from './channels/email.channel';
import { SimulatedChannel } from './channels/simulated.channel';
import { DeliverySender } from './delivery-sender';
import { DeliveryPoller } from './delivery.poller';
import { OutboxService } from './outbox.service';
import { RecipientRouter } from './recipient-router';
import { TRANSLATOR, createLocalTranslator } from './translator';

export const SMS_CHANNEL = Symbol('SMS_CHANNEL');
export const PORTAL_STATUS_CHANNEL = Symbol('PORTAL_STATUS_CHANNEL');

/** The delivery outbox, its channels and alerts to managers. */
@Module({
  // DocumentsModule provides DOCUMENT_SOURCE (attachments); the case core (global) provides DELIVERY_TIMELINE.
  imports: [CalendarModule, DocumentsModule],
  controllers: [EAddressInboxPagesController],
  providers: [
    OutboxService,
    AlertService,
    { provide: MANAGER_DIRECTORY, useClass: AccountManagerDirectory },
    DeliverySender,
    DeliveryPoller,
    RecipientRouter,
    { provide: TRANSLATOR, useFactory: createLocalTranslator },
    { provide: EADDRESS_PORT, inject: [APP_CONFIG], useFactory: eAddressPortFrom },
    { provide: SMS_CHANNEL, useFactory: () => new SimulatedChannel('sms') },
    { provide: PORTAL_STATUS_CHANNEL, useFactory: () => new SimulatedChannel('portal_status') },
    {
      provide: DELIVERY_CHANNELS,
      inject: [APP_CONFIG, EADDRESS_PORT, SMS_CHANNEL, PORTAL_STATUS_CHANNEL],
      useFactory: (config: AppConfig, eAddress: EAddressPort, sms: SimulatedChannel, portal: SimulatedChannel): DeliveryChannel[] => [
        new EmailChannel(config.SMTP_URL, config.MAIL_FROM, config.DELIVERY_SEND_TIMEOUT_MS),
        new EAddressChannel(eAddress),
        sms,
        portal,
      ],
    },
  ],
  exports: [OutboxService, AlertService, DeliverySender, RecipientRouter, TRANSLATOR, EADDRESS_PORT, SMS_CHANNEL, PORTAL_STATUS_CHANNEL, CalendarModule],
})
export class DeliveryModule {}
