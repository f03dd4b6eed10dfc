import type { AppConfig } from '../../config/config';
import { PsppHttpAdapter, psppConfigFrom } from './pspp-http.adapter';
import type { ServiceStatusPort } from './service-status.port';
import { ServiceStatusSimulator } from './service-status.simulator';

/** The services-platform port the configuration asks for (loadConfig has checked its settings). */
export const serviceStatusPortFrom = (config: AppConfig): ServiceStatusPort =>
  config.PSPP_MODE === 'http'
    ? new PsppHttpAdapter(psppConfigFrom(config))
    : new ServiceStatusSimulator();
