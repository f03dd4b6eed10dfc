import { maskPersonalCode } from './personal-code';
import { can, requireViewer } from './viewer';

/** A personal code as one viewer may see it. */
export interface ShownCode {
  /** The full code, or its masked form. */
  value: string;
  masked: boolean;
}

/**
 * THE masking rule (issue 12 M3), used by every view and export that shows a personal code: the
 * case file's parties and facts, the person card and search, the lists and their CSV/XLSX. The full
 * code only with the persons right `persons.personalCode` (from the viewer's role grants,
 * `personPermissions`); everyone else sees `maskPersonalCode`. Issued documents (certificates,
 * decisions) are legal records and are not masked.
 */
export class PersonalCodePolicy {
  private constructor(readonly full: boolean) {}

  /** For the signed-in user (req.user, a StaffUser or a persons Viewer): unauthenticated otherwise. */
  static for(user: unknown): PersonalCodePolicy {
    return new PersonalCodePolicy(can(requireViewer(user), 'persons.personalCode'));
  }

  show(code: string): ShownCode {
    return this.full
      ? { value: code, masked: false }
      : { value: maskPersonalCode(code), masked: true };
  }

  /** The code as text, for a cell or a field. */
  text(code: string): string {
    return this.show(code).value;
  }

  /** The full code when this viewer may see it, else null (the masked form goes elsewhere). */
  fullOrNull(code: string): string | null {
    return this.full ? code : null;
  }
}
