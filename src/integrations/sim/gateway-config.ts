import type { AppConfig } from '../../config/config';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';

/**
 * Connection settings for the state registers' data exchange gateway (VISS). Each real adapter
 * takes one of these; none is reachable from a development machine.
 */
export class RegisterGatewayConfig {
  constructor(
    readonly baseUrl: string | undefined,
    readonly clientCertificatePath: string | undefined,
    /** Identifies the municipality's information system to the gateway. */
    readonly systemCode: string,
    readonly timeoutMs: number,
  ) {}

  static from(config: AppConfig): RegisterGatewayConfig {
    return new RegisterGatewayConfig(
      config.REGISTER_GATEWAY_URL,
      config.REGISTER_GATEWAY_CERT_PATH,
      config.REGISTER_GATEWAY_SYSTEM_CODE,
      config.REGISTER_GATEWAY_TIMEOUT_MS,
    );
  }

  /** What is missing for a real call, for the error message. */
  missing(): string[] {
    return [
      ...(this.baseUrl ? [] : ['REGISTER_GATEWAY_URL']),
      ...(this.clientCertificatePath ? [] : ['REGISTER_GATEWAY_CERT_PATH']),
    ];
  }
}

/**
 * The real adapters are skeletons: request/response shapes are defined, transport is not. Every
 * call fails with `misconfigured`, naming the register and what is missing.
 */
export function gatewayNotAvailable(
  register: string,
  operation: string,
  cfg: RegisterGatewayConfig,
): DomainError {
  const missing = cfg.missing();
  return new DomainError(
    ErrorCode.Misconfigured,
    `${register} register gateway is not available (${operation}): ${
      missing.length
        ? `set ${missing.join(', ')}`
        : 'the gateway transport is not implemented in this build'
    }`,
    [],
    { register, operation },
  );
}
