import { randomUUID } from 'node:crypto';
import { Agent } from 'node:https';
import type { Document, Element } from '@xmldom/xmldom';
import { createClientAsync, WSSecurityCert, type Client } from 'soap';
import { DomainError, ErrorCode } from '../../../platform/errors/domain-error';
import { localImport, WSDL_PATH } from './div-schema';
import {
  NS,
  build,
  descendant,
  newDocument,
  parseXml,
  serialize,
  text,
  type Spec,
} from './div-xml';

export interface DivCredentials {
  /** PEM of the connection's private key and certificate (from its PKCS#12). */
  keyPem: string;
  certPem: string;
  /** The PKCS#12 for mutual TLS, and the CA that issued the gateway's TLS certificate. */
  pfx: Buffer;
  passphrase: string;
  serverCa?: Buffer;
}

export interface DivSoapOptions {
  endpoint: string;
  timeoutMs: number;
  mtom: boolean;
  wssAlgorithm: 'sha1' | 'sha256';
  /** Sees each exchange as sent and received (contract tests record request/response pairs). */
  trace?: (operation: string, request: string, response: string) => void;
}

/** A file part of an MTOM request: the body carries `xop:Include href="cid:<contentId>"`. */
export interface MtomPart {
  contentId: string;
  mimeType: string;
  name: string;
  body: Buffer;
}

/** A parsed response: the operation's output element, with MTOM parts resolved by content id. */
export interface DivResponse {
  output: Element;
  doc: Document;
  attachments: Map<string, Buffer>;
}

/** A SOAP fault from the gateway: `code` is the DIV error code (`BL.PSS.003`…) from Code/Subcode. */
export class DivFault extends DomainError {
  constructor(
    readonly faultCode: string,
    readonly side: 'Sender' | 'Receiver',
    reason: string,
  ) {
    // A Sender fault is our request's fault: retrying sends the same bytes again. Receiver faults are the gateway's.
    super(
      side === 'Sender' ? ErrorCode.ValidationFailed : ErrorCode.ExternalUnavailable,
      `e-adrese DIV fault ${faultCode}: ${reason}`,
    );
  }
}

const ALGORITHMS = {
  sha1: {
    signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
    digest: 'http://www.w3.org/2000/09/xmldsig#sha1',
  },
  sha256: {
    signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    digest: 'http://www.w3.org/2001/04/xmlenc#sha256',
  },
} as const;

/**
 * The UnifiedService transport: node-soap with the official WSDL (SOAP 1.2), WS-Addressing 1.0
 * headers, a WS-Security X.509 signature over Timestamp, wsa:To and Body (xml-crypto through
 * node-soap's WSSecurityCert), MTOM for file bytes, mutual TLS. Bodies are built as DOM trees.
 */
export class DivSoapClient {
  private client: Promise<Client> | null = null;
  private readonly agent: Agent;

  constructor(
    private readonly options: DivSoapOptions,
    private readonly credentials: DivCredentials,
  ) {
    this.agent = new Agent({
      pfx: credentials.pfx,
      passphrase: credentials.passphrase,
      ca: credentials.serverCa,
      keepAlive: true,
      maxSockets: 16,
    });
  }

  private async soap(): Promise<Client> {
    this.client ??= this.create().catch((err: unknown) => {
      this.client = null;
      throw err;
    });
    return this.client;
  }

  private async create(): Promise<Client> {
    const client = await createClientAsync(WSDL_PATH, {
      endpoint: this.options.endpoint,
      forceSoap12Headers: true,
      parseReponseAttachments: true,
      wsdl_options: { overrideImportLocation: localImport },
    });
    const alg = ALGORITHMS[this.options.wssAlgorithm];
    client.setSecurity(
      new WSSecurityCert(this.credentials.keyPem, this.credentials.certPem, '', {
        signatureAlgorithm: alg.signature,
        digestAlgorithm: alg.digest,
        additionalReferences: ['wsa:To'],
        signatureTransformations: ['http://www.w3.org/2001/10/xml-exc-c14n#'],
        signerOptions: {
          prefix: 'ds',
          idMode: 'wssecurity',
          existingPrefixes: { wsse: NS.wsse, wsu: NS.wsu },
        },
      }),
    );
    client.addSoapHeader((_method: unknown, _location: unknown, soapAction: string) =>
      this.addressing(soapAction),
    );
    return client;
  }

  /** WS-Addressing 1.0: Action, MessageID, ReplyTo (anonymous), To (signed). */
  private addressing(soapAction: string): string {
    const must = { 'soap:mustUnderstand': '1', 'xmlns:soap': NS.soap };
    const doc = newDocument([NS.wsa, 'Action', [soapAction], must]);
    const headers: Spec[] = [
      [NS.wsa, 'MessageID', [`urn:uuid:${randomUUID()}`]],
      [
        NS.wsa,
        'ReplyTo',
        [[NS.wsa, 'Address', ['http://www.w3.org/2005/08/addressing/anonymous']]],
      ],
      [NS.wsa, 'To', [this.options.endpoint], must],
    ];
    return serialize(doc.documentElement!) + headers.map((h) => serialize(build(doc, h))).join('');
  }

  /**
   * Calls `operation` with `body` (its `…Input` element). With MTOM on, `parts` travel as MIME
   * parts; with it off, their bytes are put inline as base64 where the body references them.
   */
  async call(operation: string, body: Element, parts: MtomPart[] = []): Promise<DivResponse> {
    const client = await this.soap();
    const useMtom = this.options.mtom && parts.length > 0;
    if (!useMtom) inlineParts(body, parts);
    const method = (
      client as unknown as Record<
        string,
        (
          args: unknown,
          opts: unknown,
        ) => Promise<[unknown, string, unknown, string, MtomResponse | undefined]>
      >
    )[`${operation}Async`];
    if (!method)
      throw new DomainError(
        ErrorCode.Misconfigured,
        `e-adrese DIV: the WSDL has no operation ${operation}`,
      );
    try {
      const [, raw, , , mtom] = await method.call(
        client,
        { $xml: innerXml(body) },
        {
          httpsAgent: this.agent,
          timeout: this.options.timeoutMs,
          ...(useMtom
            ? {
                forceMTOM: true,
                attachments: parts.map((p) => ({
                  mimetype: p.mimeType,
                  contentId: p.contentId,
                  name: p.name,
                  body: p.body,
                })),
              }
            : {}),
        },
      );
      this.options.trace?.(
        operation,
        (client as unknown as { lastRequest: string }).lastRequest,
        raw,
      );
      return parseResponse(operation, raw, mtom);
    } catch (err) {
      throw toDomainError(operation, err);
    }
  }
}

interface MtomResponse {
  parts: { headers: Record<string, string>; body: Buffer }[];
}

/** node-soap writes the operation element itself (from the WSDL); the body's children go inside it. */
function innerXml(body: Element): string {
  let out = '';
  for (let n = body.firstChild; n; n = n.nextSibling)
    if (n.nodeType === 1) out += serialize(n as Element);
  return out;
}

function inlineParts(body: Element, parts: MtomPart[]): void {
  const byId = new Map(parts.map((p) => [`cid:${p.contentId}`, p]));
  const includes = Array.from(body.getElementsByTagNameNS(NS.xop, 'Include'));
  for (const inc of includes) {
    const part = byId.get(inc.getAttribute('href') ?? '');
    const holder = inc.parentNode;
    if (!part || !holder) continue;
    holder.removeChild(inc);
    holder.appendChild(body.ownerDocument!.createTextNode(part.body.toString('base64')));
  }
}

function parseResponse(
  operation: string,
  raw: string,
  mtom: MtomResponse | undefined,
): DivResponse {
  const doc = parseXml(raw);
  const output = descendant(doc, NS.uui, `${operation}Output`);
  if (!output)
    throw new DomainError(
      ErrorCode.ExternalUnavailable,
      `e-adrese DIV: the ${operation} response has no ${operation}Output`,
    );
  const attachments = new Map<string, Buffer>();
  for (const part of mtom?.parts ?? [])
    attachments.set((part.headers['content-id'] ?? '').replace(/^<|>$/g, ''), part.body);
  return { output, doc, attachments };
}

/** Bytes of a base64Binary element: inline text, or the MTOM part its `xop:Include` names. */
export function binaryOf(el: Element | null, res: DivResponse): Buffer {
  if (!el) return Buffer.alloc(0);
  const inc = descendant(el, NS.xop, 'Include');
  if (inc) {
    const cid = decodeURIComponent((inc.getAttribute('href') ?? '').replace(/^cid:/, ''));
    const part = res.attachments.get(cid);
    if (!part)
      throw new DomainError(
        ErrorCode.ExternalUnavailable,
        `e-adrese DIV: MTOM part ${cid} is missing from the response`,
      );
    return part;
  }
  return Buffer.from(text(el) ?? '', 'base64');
}

interface SoapFaultRoot {
  Envelope?: {
    Body?: {
      Fault?: {
        Code?: { Value?: string; Subcode?: { Value?: string } };
        Reason?: { Text?: string | { $value?: string } };
      };
    };
  };
}

function toDomainError(operation: string, err: unknown): Error {
  if (err instanceof DomainError) return err;
  const e = err as { root?: SoapFaultRoot; code?: string; message?: string };
  const fault = e.root?.Envelope?.Body?.Fault;
  if (fault) {
    const value = String(fault.Code?.Value ?? '');
    const reasonText = fault.Reason?.Text;
    const reason = typeof reasonText === 'string' ? reasonText : (reasonText?.$value ?? '');
    return new DivFault(
      String(fault.Code?.Subcode?.Value ?? value).replace(/^\w+:/, ''),
      /Sender/.test(value) ? 'Sender' : 'Receiver',
      reason,
    );
  }
  if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT' || /timeout/i.test(e.message ?? ''))
    return new DomainError(ErrorCode.ExternalTimeout, `e-adrese DIV: ${operation} timed out`);
  return new DomainError(
    ErrorCode.ExternalUnavailable,
    `e-adrese DIV: ${operation} failed: ${e.code ?? ''} ${e.message ?? String(err)}`.trim(),
  );
}
