import { randomUUID, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Element } from '@xmldom/xmldom';
import { parseMTOMResp } from 'soap/lib/utils';
import { validateDivXml, WSDL_PATH } from '../div/div-schema';
import {
  NS,
  actionOf,
  build,
  child,
  newDocument,
  parseXml,
  serialize,
  type XNode,
} from '../div/div-xml';
import { StandInOperations, type StandInBehaviour } from './stand-in.operations';
import {
  checkTlsClient,
  checkWsSecurity,
  StandInFault,
  type SecurityPolicy,
} from './stand-in.security';
import { StandInStore } from './stand-in.store';

export const STAND_IN_PATH = '/Vraa.Div.WebService.UnifiedInterface/UnifiedService.svc';

/**
 * A scripted failure: the next `times` calls of `operation` ('*' = any) fail this way. `hold`
 * processes the call (the message is registered) and never answers: the caller waits until it
 * gives up or dies (the crash test kills the app there).
 */
export interface ScriptedFault {
  operation: string;
  kind: 'fault' | 'reset' | 'delay' | 'dropResponse' | 'hold';
  times: number;
  delayMs?: number;
  code?: string;
}

export interface StandInOptions {
  host?: string;
  port: number;
  /** PEM paths: the stand-in's TLS certificate and key, and the CA clients must chain to. */
  tls: { cert: string; key: string; ca: string };
  dataDir: string;
  behaviour?: Partial<StandInBehaviour>;
  /** SHA-256 fingerprints (`AA:BB:…`) of registered connection certificates; empty = any the CA issued. */
  registered?: string[];
  /** Send binary response content as MTOM parts (as DIV does). */
  mtomResponses?: boolean;
}

const MAX_BODY = 64 * 1024 * 1024;

/**
 * The DIV stand-in: UnifiedService over HTTPS with mutual TLS, WS-Security verification, schema
 * validation with the official XSDs, SOAP 1.2 faults, file-backed storage and notifications.
 */
export class DivStandIn {
  readonly store: StandInStore;
  readonly operations: StandInOperations;
  readonly faults: ScriptedFault[] = [];
  private server: HttpsServer | null = null;
  private policy!: SecurityPolicy;
  endpoint = '';

  constructor(private readonly options: StandInOptions) {
    this.store = new StandInStore(options.dataDir);
    this.operations = new StandInOperations(
      this.store,
      {
        sectionBytes: 4_194_304,
        processDelayMs: 0,
        deliverDelayMs: 0,
        inactive: new Set(),
        undeliverable: new Set(),
        notificationCopies: 1,
        repeatedSenderRef: 'first',
        ...options.behaviour,
      },
      {
        keyPem: readFileSync(options.tls.key, 'utf8'),
        certPem: readFileSync(options.tls.cert, 'utf8'),
      },
    );
  }

  async start(): Promise<string> {
    const { tls } = this.options;
    this.server = createHttpsServer(
      {
        cert: readFileSync(tls.cert),
        key: readFileSync(tls.key),
        ca: readFileSync(tls.ca),
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        void this.handle(req, res);
      },
    );
    await new Promise<void>((resolve) =>
      this.server!.listen(this.options.port, this.options.host ?? '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    this.endpoint = `https://localhost:${port}${STAND_IN_PATH}`;
    this.policy = {
      ca: new X509Certificate(readFileSync(tls.ca)),
      registered: new Set(this.options.registered ?? []),
      endpoint: this.endpoint,
      now: () => new Date(),
    };
    return this.endpoint;
  }

  async stop(): Promise<void> {
    this.operations.stop();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private takeFault(operation: string): ScriptedFault | null {
    const f = this.faults.find(
      (x) => (x.operation === operation || x.operation === '*') && x.times > 0,
    );
    if (!f) return null;
    f.times--;
    if (f.times === 0) this.faults.splice(this.faults.indexOf(f), 1);
    return f;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://localhost');
    if (url.pathname !== STAND_IN_PATH) return void res.writeHead(404).end();
    if (req.method === 'GET' && url.search.toLowerCase() === '?wsdl')
      return void res.writeHead(200, { 'Content-Type': 'text/xml' }).end(readFileSync(WSDL_PATH));
    if (req.method !== 'POST') return void res.writeHead(405).end();
    let operation = 'unknown';
    try {
      const tlsCert = checkTlsClient(req.socket as TLSSocket, this.policy);
      const { xml, parts } = await this.readRequest(req);
      const doc = parseXml(xml);
      if (
        doc.documentElement?.namespaceURI !== NS.soap ||
        doc.documentElement.localName !== 'Envelope'
      )
        throw new StandInFault('Sender', 'BL.PSS.003', 'not a SOAP 1.2 envelope');
      checkWsSecurity(doc, tlsCert, this.policy);
      const header = child(doc.documentElement, NS.soap, 'Header')!;
      operation = (child(header, NS.wsa, 'Action')?.textContent ?? '').split('/').pop() ?? '';
      const body = child(doc.documentElement, NS.soap, 'Body')!;
      const input = firstElement(body);
      if (!input || input.namespaceURI !== NS.uui || input.localName !== `${operation}Input`)
        throw new StandInFault('Sender', 'BL.PSS.003', `the Body must hold ${operation}Input`);
      resolveXop(input, parts);
      const check = await validateDivXml(serialize(input));
      if (!check.valid)
        throw new StandInFault(
          'Sender',
          'BL.PSS.003',
          `the message does not match the schema: ${check.errors.slice(0, 3).join(' | ')}`,
        );
      const fault = this.takeFault(operation);
      if (fault?.kind === 'reset') return void req.socket.destroy();
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000));
      if (fault?.kind === 'fault')
        throw new StandInFault(
          'Receiver',
          fault.code ?? 'BL.SYS.001',
          'scripted failure of the stand-in',
        );
      const output = this.operations.run(operation, input);
      if (fault?.kind === 'dropResponse') return void req.socket.destroy();
      if (fault?.kind === 'hold') return;
      await this.reply(res, operation, output, header);
    } catch (err) {
      this.replyFault(res, operation, err);
    }
  }

  private async readRequest(
    req: IncomingMessage,
  ): Promise<{ xml: string; parts: Map<string, Buffer> }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_BODY) throw new StandInFault('Sender', 'BL.PSS.053', 'request too large');
      chunks.push(c);
    }
    const raw = Buffer.concat(chunks);
    const type = req.headers['content-type'] ?? '';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (!/^multipart\/related/i.test(type) || !boundary) {
      if (!/^application\/soap\+xml/i.test(type))
        throw new StandInFault(
          'Sender',
          'BL.PSS.003',
          `SOAP 1.2 needs application/soap+xml (got ${type})`,
        );
      return { xml: raw.toString('utf8'), parts: new Map() };
    }
    const mime = await new Promise<{ parts: { headers: Record<string, string>; body: Buffer }[] }>(
      (resolve, reject) => {
        void parseMTOMResp(raw, boundary, (err, r) =>
          err || !r ? reject(err ?? new Error('bad multipart')) : resolve(r as never),
        );
      },
    );
    const [root, ...rest] = mime.parts;
    if (!root) throw new StandInFault('Sender', 'BL.PSS.003', 'empty MTOM message');
    return {
      xml: root.body.toString('utf8'),
      parts: new Map(
        rest.map((p) => [(p.headers['content-id'] ?? '').replace(/^<|>$/g, ''), p.body]),
      ),
    };
  }

  private async reply(
    res: ServerResponse,
    operation: string,
    output: XNode[],
    requestHeader: Element,
  ): Promise<void> {
    const doc = newDocument([
      NS.soap,
      'Envelope',
      [
        [
          NS.soap,
          'Header',
          [
            [NS.wsa, 'Action', [`${actionOf(operation)}Response`]],
            [NS.wsa, 'RelatesTo', [child(requestHeader, NS.wsa, 'MessageID')?.textContent ?? '']],
          ],
        ],
        [NS.soap, 'Body', []],
      ],
    ]);
    const out = build(doc, [NS.uui, `${operation}Output`, output]);
    child(doc.documentElement!, NS.soap, 'Body')!.appendChild(out);
    // The stand-in checks its own replies too: a reply off the schema is a bug here, not the client's.
    const check = await validateDivXml(serialize(out));
    if (!check.valid)
      throw new StandInFault(
        'Receiver',
        'BL.SYS.002',
        `stand-in reply off the schema: ${check.errors.slice(0, 3).join(' | ')}`,
      );
    if (!this.options.mtomResponses)
      return void res
        .writeHead(200, {
          'Content-Type': `application/soap+xml; charset=utf-8; action="${actionOf(operation)}Response"`,
        })
        .end(serialize(doc));
    const parts: { id: string; body: Buffer }[] = [];
    for (const el of Array.from(out.getElementsByTagNameNS(NS.uui, 'Contents'))) {
      const b64 = el.textContent ?? '';
      if (!b64) continue;
      const id = `${randomUUID()}@stand-in`;
      parts.push({ id, body: Buffer.from(b64, 'base64') });
      while (el.firstChild) el.removeChild(el.firstChild);
      el.appendChild(
        build(doc, [NS.xop, 'Include', [], { href: `cid:${encodeURIComponent(id)}` }]),
      );
    }
    const boundary = `uuid:${randomUUID()}`;
    const start = `<root.message@stand-in>`;
    const chunks: Buffer[] = [
      Buffer.from(
        `--${boundary}\r\nContent-ID: ${start}\r\nContent-Transfer-Encoding: 8bit\r\nContent-Type: application/xop+xml;charset=utf-8;type="application/soap+xml"\r\n\r\n`,
      ),
      Buffer.from(serialize(doc)),
    ];
    for (const p of parts)
      chunks.push(
        Buffer.from(
          `\r\n--${boundary}\r\nContent-ID: <${p.id}>\r\nContent-Transfer-Encoding: binary\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        p.body,
      );
    chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    res
      .writeHead(200, {
        'Content-Type': `multipart/related; type="application/xop+xml"; start="${start}"; start-info="application/soap+xml"; boundary="${boundary}"`,
      })
      .end(Buffer.concat(chunks));
  }

  private replyFault(res: ServerResponse, operation: string, err: unknown): void {
    const f =
      err instanceof StandInFault
        ? err
        : new StandInFault(
            'Receiver',
            'BL.SYS.001',
            `internal error in ${operation}: ${(err as Error).message}`,
          );
    const doc = newDocument([
      NS.soap,
      'Envelope',
      [
        [
          NS.soap,
          'Header',
          [[NS.wsa, 'Action', ['http://www.w3.org/2005/08/addressing/soap/fault']]],
        ],
        [
          NS.soap,
          'Body',
          [
            [
              NS.soap,
              'Fault',
              [
                [
                  NS.soap,
                  'Code',
                  [
                    [NS.soap, 'Value', [`soap:${f.side}`]],
                    [NS.soap, 'Subcode', [[NS.soap, 'Value', [f.code]]]],
                  ],
                ],
                [NS.soap, 'Reason', [[NS.soap, 'Text', [f.message], { 'xml:lang': 'en' }]]],
              ],
            ],
          ],
        ],
      ],
    ]);
    if (res.headersSent || res.destroyed) return;
    res
      .writeHead(f.side === 'Sender' ? 400 : 500, {
        'Content-Type': 'application/soap+xml; charset=utf-8',
      })
      .end(serialize(doc));
  }
}

function firstElement(el: Element): Element | null {
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) return n as Element;
  return null;
}

/** XOP deserialisation: each `xop:Include` becomes the base64 text of the part it names. */
function resolveXop(input: Element, parts: Map<string, Buffer>): void {
  for (const inc of Array.from(input.getElementsByTagNameNS(NS.xop, 'Include'))) {
    const cid = decodeURIComponent((inc.getAttribute('href') ?? '').replace(/^cid:/, ''));
    const part = parts.get(cid);
    if (!part) throw new StandInFault('Sender', 'BL.PSS.042', `MTOM part ${cid} is missing`);
    const holder = inc.parentNode!;
    holder.removeChild(inc);
    holder.appendChild(input.ownerDocument!.createTextNode(part.toString('base64')));
  }
}
