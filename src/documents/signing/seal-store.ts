import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { DomainError, ErrorCode } from '../../platform/errors/domain-error';
import { fromRoot } from '../../platform/paths';
import { parsePkcs12, type SealMaterial } from './seal-material';

const CODE = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Reads <dir>/<municipality code>.p12 and caches it until the file changes. */
export class SealStore {
  private readonly cache = new Map<string, { mtimeMs: number; material: SealMaterial }>();
  private readonly dir: string;

  constructor(
    dir: string,
    private readonly passphrase: string,
  ) {
    this.dir = isAbsolute(dir) ? dir : fromRoot(dir);
  }

  /** The seal usable at `at`, or a DomainError that says why not. */
  get(municipalityCode: string, at: Date): SealMaterial {
    if (!CODE.test(municipalityCode)) throw this.error('documents:seal.missing', municipalityCode);
    const path = join(this.dir, `${municipalityCode}.p12`);
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch {
      throw this.error('documents:seal.missing', municipalityCode);
    }
    let entry = this.cache.get(path);
    if (!entry || entry.mtimeMs !== mtimeMs) {
      try {
        entry = { mtimeMs, material: parsePkcs12(readFileSync(path), this.passphrase) };
      } catch {
        throw this.error('documents:seal.unreadable', municipalityCode);
      }
      this.cache.set(path, entry);
    }
    const m = entry.material;
    if (at < m.notBefore || at > m.notAfter) {
      throw this.error('documents:seal.expired', municipalityCode, {
        notBefore: m.notBefore.toISOString(),
        notAfter: m.notAfter.toISOString(),
      });
    }
    return m;
  }

  private error(
    key: string,
    municipalityCode: string,
    extra: Record<string, string> = {},
  ): DomainError {
    return new DomainError(
      ErrorCode.Misconfigured,
      `${key} (municipality ${municipalityCode})`,
      [],
      {
        key,
        municipalityCode,
        ...extra,
      },
    );
  }
}
