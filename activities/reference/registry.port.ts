/** The register the reference process consults: a stand-in for a state register port. */
export interface ReferenceRegistry {
  lookup(subjectRef: string): Promise<{ found: boolean; flags: string[] }>;
}

export class RegistryUnavailableError extends Error {
  readonly retryable = true;
  constructor() {
    super('reference registry unavailable (simulated)');
    this.name = 'RegistryUnavailableError';
  }
}

/**
 * In-repo simulator with failure injection: `failNext(n)` makes the next n lookups fail as a
 * transient outage. Subjects starting with `unknown-` are not found; `flagged-` carry a flag.
 */
export class ReferenceRegistrySimulator implements ReferenceRegistry {
  private failures = 0;
  calls = 0;

  failNext(n: number): void {
    this.failures = n;
  }

  async lookup(subjectRef: string): Promise<{ found: boolean; flags: string[] }> {
    this.calls++;
    if (this.failures > 0) {
      this.failures--;
      throw new RegistryUnavailableError();
    }
    await Promise.resolve();
    if (subjectRef.startsWith('unknown-')) return { found: false, flags: [] };
    return { found: true, flags: subjectRef.startsWith('flagged-') ? ['needs-review'] : [] };
  }
}
