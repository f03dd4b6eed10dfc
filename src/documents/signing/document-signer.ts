/** Port: applies the municipality's e-seal to a PDF. */
export const DOCUMENT_SIGNER = Symbol('DOCUMENT_SIGNER');

export interface SealRequest {
  /** Municipality code: selects <SEAL_DIR>/<code>.p12. */
  municipalityCode: string;
  /** Shown in the signature dictionary (/Name, /Location, /Reason). */
  municipalityName: string;
  location: string;
  reason: string;
  signingTime: Date;
}

export interface SignerIdentity {
  subject: string;
  serial: string;
  notAfter: Date;
}

export interface SealedPdf {
  pdf: Buffer;
  signer: SignerIdentity;
  signedAt: Date;
}

export interface DocumentSigner {
  /** Throws DomainError (misconfigured) when the seal is missing, unreadable or not valid at signingTime. */
  assertSealUsable(municipalityCode: string, at: Date): SignerIdentity;
  seal(pdf: Buffer, request: SealRequest): Promise<SealedPdf>;
}
