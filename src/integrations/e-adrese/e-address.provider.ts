import type { AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { DivEAddressAdapter } from './div.adapter';
import { PgNotificationSink, PgSendJournal, type SqlRunner } from './div/div-pg-store';
import type { EAddressPort } from './e-address.port';
import { EAddressSimulator } from './simulator/e-address.simulator';

/**
 * The e-address port the configuration asks for: the DIV adapter (gateway or stand-in), keeping its
 * notifications and send journal in the app's database, or the in-memory simulator.
 */
export function eAddressPortFrom(config: AppConfig, db: SqlRunner): EAddressPort {
  if (config.EADRESE_MODE === 'simulator') return new EAddressSimulator();
  if (!config.EADRESE_ENDPOINT || !config.EADRESE_CERT_P12)
    throw new DomainError(
      ErrorCode.Misconfigured,
      'EADRESE_MODE=div needs EADRESE_ENDPOINT and EADRESE_CERT_P12',
    );
  return new DivEAddressAdapter({
    endpoint: config.EADRESE_ENDPOINT,
    certP12Path: config.EADRESE_CERT_P12,
    certPassword: config.EADRESE_CERT_PASSWORD ?? '',
    serverCaPath: config.EADRESE_SERVER_CA,
    timeoutMs: config.EADRESE_TIMEOUT_MS,
    mtom: config.EADRESE_MTOM,
    sectionBytes: config.EADRESE_SECTION_BYTES,
    wssAlgorithm: config.EADRESE_WSS_ALGORITHM,
    personAddress: config.EADRESE_PERSON_ADDRESS,
    documentKind: config.EADRESE_DOCUMENT_KIND,
    resendAfterMs: config.EADRESE_RESEND_AFTER_MS,
    notificationSink: new PgNotificationSink(db),
    sendJournal: new PgSendJournal(db),
  });
}
