import type { AppConfig } from '../../config/config';
import { PropertyTaxHttpAdapter } from './property-tax-http.adapter';
import type { PropertyTaxStatusPort } from './property-tax-status.port';
import { PropertyTaxStatusSimulator } from './property-tax-status.simulator';

/** The property-tax port the configuration asks for (loadConfig has checked its settings). */
export const propertyTaxPortFrom = (config: AppConfig): PropertyTaxStatusPort =>
  config.PROPERTY_TAX_MODE === 'http'
    ? new PropertyTaxHttpAdapter({
        endpoint: config.PROPERTY_TAX_ENDPOINT!,
        token: config.PROPERTY_TAX_TOKEN,
        timeoutMs: config.PROPERTY_TAX_TIMEOUT_MS,
      })
    : new PropertyTaxStatusSimulator();
