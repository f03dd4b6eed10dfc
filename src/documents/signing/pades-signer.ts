import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdf from '@signpdf/signpdf';
import { SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { PDFDocument } from 'pdf-lib';
import { CadesSigner } from './cades-signer';
import type { DocumentSigner, SealedPdf, SealRequest, SignerIdentity } from './document-signer';
import type { SealStore } from './seal-store';

/** PAdES (ETSI.CAdES.detached) e-seal with the municipality's PKCS#12 certificate. */
export class PadesSigner implements DocumentSigner {
  constructor(private readonly seals: SealStore) {}

  assertSealUsable(municipalityCode: string, at: Date): SignerIdentity {
    const m = this.seals.get(municipalityCode, at);
    return { subject: m.subject, serial: m.serial, notAfter: m.notAfter };
  }

  async seal(pdf: Buffer, r: SealRequest): Promise<SealedPdf> {
    const material = this.seals.get(r.municipalityCode, r.signingTime);
    const doc = await PDFDocument.load(pdf, { updateMetadata: false });
    pdflibAddPlaceholder({
      pdfDoc: doc,
      reason: r.reason,
      contactInfo: '',
      name: r.municipalityName,
      location: r.location,
      signingTime: r.signingTime,
      subFilter: SUBFILTER_ETSI_CADES_DETACHED,
      signatureLength: 8192,
      appName: 'Civitas',
    });
    const prepared = Buffer.from(await doc.save({ useObjectStreams: false }));
    // A signer instance per signature: @signpdf signers are not meant to be reused.
    const sealed = await signpdf.sign(prepared, new CadesSigner(material), r.signingTime);
    return {
      pdf: sealed,
      signer: { subject: material.subject, serial: material.serial, notAfter: material.notAfter },
      signedAt: r.signingTime,
    };
  }
}
