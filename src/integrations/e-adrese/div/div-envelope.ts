import { createHash } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import {
  NS,
  build,
  child,
  childText,
  children,
  descendant,
  newDocument,
  serialize,
  text,
  type Spec,
} from './div-xml';

const { div, ds } = NS;
export const SHA512 = 'http://www.w3.org/2001/04/xmlenc#sha512';
const RSA_SHA512 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';

/** One file as the envelope describes it: the bytes travel outside, the signed envelope carries their SHA-512. */
export interface DivFileRef {
  contentId: string;
  name: string;
  mimeType: string;
  size: number;
  /** Base64 SHA-512 of the bytes as sent (INTERFACE.md §7: the library refuses any other algorithm). */
  sha512: string;
}

export interface DivEnvelopeInput {
  title: string;
  /** yyyy-mm-dd */
  date: string;
  documentKind: string;
  author: { title: string; registrationNumber?: string };
  description: string;
  files: DivFileRef[];
  senderEAddress: string;
  senderRefNumber: string;
  recipients: string[];
  notifyOnDelivery: boolean;
  /** Registration numbers of earlier documents this one answers (CommonMetadata/DocumentReferences). */
  references?: string[];
}

export const sha512Base64 = (bytes: Buffer): string =>
  createHash('sha512').update(bytes).digest('base64');

const cut = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The `div:Envelope` with `SenderDocument Id="SenderSection"`, unsigned (DIVEnvelope.xsd order). */
export function buildEnvelope(e: DivEnvelopeInput): Document {
  const author: Spec = [
    div,
    'Institution',
    [
      [div, 'Title', [cut(e.author.title, 200)]],
      e.author.registrationNumber
        ? [div, 'RegistrationNumber', [e.author.registrationNumber]]
        : null,
    ],
  ];
  const files: Spec[] = e.files.map((f) => [
    div,
    'File',
    [
      [div, 'MimeType', [f.mimeType]],
      [div, 'Size', [f.size]],
      [div, 'Name', [cut(f.name, 250)]],
      [
        div,
        'Content',
        [
          [div, 'ContentReference', [f.contentId]],
          [div, 'DigestMethod', [], { Algorithm: SHA512 }],
          [div, 'DigestValue', [f.sha512]],
        ],
      ],
      [div, 'Compressed', ['false']],
    ],
  ]);
  return newDocument([
    div,
    'Envelope',
    [
      [
        div,
        'SenderDocument',
        [
          [
            div,
            'DocumentMetadata',
            [
              [
                div,
                'GeneralMetadata',
                [
                  [div, 'Authors', [[div, 'AuthorEntry', [author]]]],
                  [div, 'Date', [e.date]],
                  [
                    div,
                    'DocumentKind',
                    [
                      [div, 'DocumentKindCode', [e.documentKind]],
                      [div, 'DocumentKindVersion', ['1.0']],
                    ],
                  ],
                  e.description ? [div, 'Description', [cut(e.description, 4000)]] : null,
                  [div, 'Title', [cut(e.title, 200)]],
                ],
              ],
              files.length ? [div, 'PayloadReference', files] : null,
              e.references?.length
                ? [
                    div,
                    'CommonMetadata',
                    [
                      [
                        div,
                        'DocumentReferences',
                        e.references.map((r): Spec => [
                          div,
                          'ReferenceEntry',
                          [[div, 'RefRegistrationNumber', [cut(r, 200)]]],
                        ]),
                      ],
                    ],
                  ]
                : null,
            ],
          ],
          [
            div,
            'SenderTransportMetadata',
            [
              [div, 'SenderE-Address', [e.senderEAddress]],
              [div, 'SenderRefNumber', [e.senderRefNumber]],
              [
                div,
                'Recipients',
                e.recipients.map((r): Spec => [
                  div,
                  'RecipientEntry',
                  [[div, 'RecipientE-Address', [r]]],
                ]),
              ],
              [div, 'NotifySenderOnDelivery', [String(e.notifyOnDelivery)]],
              [div, 'Priority', ['normal']],
            ],
          ],
        ],
        { Id: 'SenderSection' },
      ],
    ],
  ]);
}

const certBody = (pem: string): string => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/**
 * Signs a section of the envelope (`SenderSection`, or a recipient's confirmation entry) with
 * RSA-SHA512 over exclusive C14N, SHA-512 digest, the certificate in KeyInfo, and puts the
 * signature under `Signatures` (S4, S6). XAdES QualifyingProperties are not added (see docs).
 */
export function signSection(
  doc: Document,
  sectionId: string,
  signatureId: string,
  keyPem: string,
  certPem: string,
  signatures: Element,
): string {
  const sig = new SignedXml({
    privateKey: keyPem,
    publicCert: certPem,
    signatureAlgorithm: RSA_SHA512,
    canonicalizationAlgorithm: EXC_C14N,
    getKeyInfoContent: () =>
      `<ds:X509Data><ds:X509Certificate>${certBody(certPem)}</ds:X509Certificate></ds:X509Data>`,
  });
  sig.addReference({
    xpath: `//*[@Id='${sectionId}']`,
    transforms: [EXC_C14N],
    digestAlgorithm: SHA512,
  });
  if (!signatures.parentNode) throw new Error('Signatures element must be in the document');
  sig.computeSignature(serialize(doc), {
    prefix: 'ds',
    attrs: { Id: signatureId },
    location: {
      reference: `//*[local-name(.)='${signatures.localName}' and namespace-uri(.)='${div}']`,
      action: 'append',
    },
  });
  return sig.getSignedXml();
}

/** Builds and signs the sender's envelope; returns its XML. */
export function signedEnvelope(e: DivEnvelopeInput, keyPem: string, certPem: string): string {
  const doc = buildEnvelope(e);
  const signatures = build(doc, [div, 'Signatures', []]);
  doc.documentElement!.appendChild(signatures);
  return signSection(doc, 'SenderSection', 'SenderSignature', keyPem, certPem, signatures);
}

/** Verifies the sender's signature over `SenderSection` with the certificate in its KeyInfo. */
export function verifySenderSignature(envelope: Element): {
  valid: boolean;
  certPem: string | null;
  error?: string;
} {
  const sigEl = children(child(envelope, div, 'Signatures') ?? envelope, ds, 'Signature').find(
    (s) => s.getAttribute('Id') === 'SenderSignature',
  );
  if (!sigEl) return { valid: false, certPem: null, error: 'no SenderSignature' };
  const b64 = text(descendant(sigEl, ds, 'X509Certificate'));
  if (!b64) return { valid: false, certPem: null, error: 'no certificate in KeyInfo' };
  const certPem = `-----BEGIN CERTIFICATE-----\n${b64.replace(/\s/g, '').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
  const v = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  v.loadSignature(serialize(sigEl));
  try {
    const valid =
      v.checkSignature(serialize(envelope)) &&
      v.getSignedReferences().length === 1 &&
      childText(envelope, div, 'Signatures') !== null;
    const refs = descendant(sigEl, ds, 'Reference')?.getAttribute('URI');
    return { valid: valid && refs === '#SenderSection', certPem };
  } catch (err) {
    return { valid: false, certPem, error: (err as Error).message };
  }
}
