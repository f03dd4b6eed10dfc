import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Handlebars from 'handlebars';
import type { DivStandIn, ScriptedFault } from './stand-in.server';

const PAGE = Handlebars.compile(`<!doctype html>
<html lang="lv"><head><meta charset="utf-8"><title>e-adrese (stand-in) {{title}}</title>
<style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#0b0c0c}
.warn{background:#fff7bf;border-left:6px solid #ffdd00;padding:.5rem 1rem}article{border:1px solid #b1b4b6;padding:.5rem 1rem;margin:1rem 0}
dt{font-weight:bold}label,input,button{font-size:1rem}</style></head><body>
<p class="warn"><strong>Test stand-in of the state e-address (DIV).</strong> Not the real latvija.gov.lv; no real messages.</p>
<main>
<h1>{{title}}</h1>
<form method="get" action="/inbox"><label for="code">Personas kods / Personal code</label>
<input id="code" name="code" value="{{code}}" pattern="\\d{6}-?\\d{5}" required> <button>Atvērt / Open</button></form>
{{#if code}}{{#if messages.length}}{{#each messages}}
<article data-testid="e-address-message"><h2>{{title}}</h2><dl>
<dt>Saņemts / Received</dt><dd><time datetime="{{receivedAt}}">{{receivedAt}}</time></dd>
<dt>Sūtītājs / Sender</dt><dd>{{sender}}</dd>
<dt>Ziņa / Message</dt><dd>{{description}}</dd>
<dt>Datnes / Files</dt><dd><ul>{{#each files}}<li><a data-sha256="{{sha256}}" href="/inbox/files/{{../messageId}}/{{contentId}}?code={{../../code}}">{{name}}</a> ({{size}} B)</li>{{/each}}</ul></dd>
</dl><p><a data-testid="reply" href="/write?code={{../code}}&amp;to={{sender}}&amp;inReplyTo={{senderRef}}&amp;title={{replyTitle}}">Atbildēt / Reply</a></p></article>{{/each}}{{else}}<p>Nav ziņu / No messages.</p>{{/if}}
<p><a href="/write?code={{code}}">Rakstīt ziņu / Write a message</a></p>
{{#if sentMessages.length}}<h2>Nosūtītās / Sent</h2><ul>{{#each sentMessages}}<li data-testid="sent-message">{{receivedAt}}: {{title}} → {{recipients}} ({{#if confirmed}}{{confirmed}}{{else}}gaida / waiting{{/if}})</li>{{/each}}</ul>{{/if}}{{/if}}
</main>
</body></html>`);

const WRITE = Handlebars.compile(`<!doctype html>
<html lang="lv"><head><meta charset="utf-8"><title>e-adrese (stand-in): rakstīt / write</title>
<style>body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:1rem;font-weight:bold}
input,textarea{width:100%;font-size:1rem}.warn{background:#fff7bf;border-left:6px solid #ffdd00;padding:.5rem 1rem}.error{color:#d4351c}</style></head><body>
<p class="warn"><strong>Test stand-in of the state e-address (DIV).</strong> Not the real latvija.gov.lv.</p>
<main><h1>Rakstīt iestādei / Write to an institution</h1>
{{#if error}}<p class="error" role="alert">{{error}}</p>{{/if}}
<form method="post" action="/write" enctype="multipart/form-data">
<input type="hidden" name="code" value="{{code}}">
<label for="to">Adresāts (e-adrese) / To (e-address)</label><input id="to" name="to" value="{{to}}" required pattern="_DEFAULT@\\d{11}|_[A-Z]+@.+">
<label for="inReplyTo">Atbilde uz (numurs) / In reply to (reference)</label><input id="inReplyTo" name="inReplyTo" value="{{inReplyTo}}">
<label for="title">Temats / Subject</label><input id="title" name="title" value="{{title}}" required maxlength="200">
<label for="text">Ziņa / Message</label><textarea id="text" name="text" rows="6" maxlength="4000">{{text}}</textarea>
<label for="files">Pielikumi / Attachments</label><input id="files" name="files" type="file" multiple>
<p><button>Nosūtīt / Send</button> <a href="/inbox?code={{code}}">Atpakaļ / Back</a></p>
</form></main></body></html>`);

const CODE = /^(\d{6})-?(\d{5})$/;
const E_ADDRESS = /^_[A-Z]+@[^\s<>]{1,100}$/;

/**
 * The stand-in's web side on plain HTTP, bound to 127.0.0.1 only: a resident's e-address inbox
 * (what they received, with the files) and the control API tests and the demo use to set delays,
 * inactive addresses and scripted failures.
 */
export class StandInWeb {
  private server: Server | null = null;

  constructor(private readonly standIn: DivStandIn) {}

  async start(port: number): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          res
            .writeHead(400, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ error: (err as Error).message }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private inbox(code: string) {
    const address = `_PRIVATE@${code.replace('-', '')}`;
    return this.standIn.store
      .all()
      .filter((m) => m.state === 'registered' && m.recipients.includes(address))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  /** What the resident wrote to institutions, newest first, with whether the institution confirmed it. */
  private sent(code: string) {
    const address = `_PRIVATE@${code.replace('-', '')}`;
    return this.standIn.store
      .all()
      .filter((m) => m.state === 'registered' && m.sender === address)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((m) => ({ ...m, recipients: m.recipients.join(', ') }));
  }

  private writePage(
    res: ServerResponse,
    status: number,
    v: Record<string, string> & { error?: string },
  ): void {
    res
      .writeHead(status, {
        'Content-Type': 'text/html; charset=utf-8',
        'X-Content-Type-Options': 'nosniff',
      })
      .end(WRITE(v));
  }

  /**
   * The resident's message (or reply) to an institution's e-address, with attachments: stored as
   * DIV would hold it, so GetMessageList / GetMessage on the institution's side return it.
   */
  private async write(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const field = (k: string): string => {
      const v = form.get(k);
      return typeof v === 'string' ? v.trim() : '';
    };
    const v = {
      code: field('code'),
      to: field('to'),
      inReplyTo: field('inReplyTo'),
      title: field('title'),
      text: field('text'),
    };
    const error = !CODE.test(v.code)
      ? 'Personas kods nav derīgs / The personal code is not valid'
      : !E_ADDRESS.test(v.to)
        ? 'Adresāta e-adrese nav derīga / The addressee e-address is not valid'
        : !v.title || v.title.length > 200
          ? 'Temats ir obligāts (līdz 200 zīmēm) / A subject is required (up to 200 characters)'
          : v.text.length > 4000 || v.inReplyTo.length > 50
            ? 'Ziņa ir par garu / The message is too long'
            : undefined;
    if (error) return this.writePage(res, 422, { ...v, error });
    const files: { name: string; mimeType: string; bytes: Buffer }[] = [];
    for (const f of form.getAll('files'))
      if (typeof f !== 'string' && f.size > 0)
        files.push({
          name: f.name,
          mimeType: f.type || 'application/octet-stream',
          bytes: Buffer.from(await f.arrayBuffer()),
        });
    const m = this.standIn.operations.inbound({
      from: `_PRIVATE@${v.code.replace('-', '')}`,
      to: v.to,
      title: v.title,
      text: v.text,
      ref: `IN-${randomUUID()}`,
      inReplyTo: v.inReplyTo || undefined,
      files,
    });
    res.writeHead(303, { Location: `/inbox?code=${v.code}&sent=${m.messageId}` }).end();
  }

  /** The page's view: each file with the SHA-256 the case file shows for a document, to compare. */
  private view(code: string) {
    return this.inbox(code).map((m) => ({
      ...m,
      replyTitle: `Re: ${m.title}`.slice(0, 200),
      files: m.files.map((f) => ({
        ...f,
        sha256: createHash('sha256')
          .update(this.standIn.store.readFile(m.messageId, f.contentId))
          .digest('hex'),
      })),
    }));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/' || path === '/inbox')) {
      const code = url.searchParams.get('code') ?? '';
      const valid = CODE.test(code);
      const html = PAGE({
        title: 'e-adreses pastkaste / e-address inbox',
        code: valid ? code : '',
        messages: valid ? this.view(code) : [],
        sentMessages: valid ? this.sent(code) : [],
      });
      return void res
        .writeHead(200, {
          'Content-Type': 'text/html; charset=utf-8',
          'X-Content-Type-Options': 'nosniff',
        })
        .end(html);
    }
    const file = /^\/inbox\/files\/([0-9a-f-]{36})\/([^/]+)$/.exec(path);
    if (req.method === 'GET' && file) {
      const code = url.searchParams.get('code') ?? '';
      const m = CODE.test(code) ? this.inbox(code).find((x) => x.messageId === file[1]) : undefined;
      const f = m?.files.find((x) => x.contentId === decodeURIComponent(file[2]));
      if (!m || !f) return void res.writeHead(404).end('not found');
      return void res
        .writeHead(200, {
          'Content-Type': f.mimeType,
          'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(f.name)}`,
          'X-Content-Type-Options': 'nosniff',
        })
        .end(this.standIn.store.readFile(m.messageId, f.contentId));
    }
    if (req.method === 'GET' && path === '/write') {
      const q = url.searchParams;
      return this.writePage(res, 200, {
        code: q.get('code') ?? '',
        to: q.get('to') ?? '',
        inReplyTo: q.get('inReplyTo') ?? '',
        title: q.get('title') ?? '',
        text: '',
      });
    }
    if (req.method === 'POST' && path === '/write') return this.write(req, res);
    if (path.startsWith('/_control/')) return this.control(req, res, path);
    res.writeHead(404).end('not found');
  }

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const json = (status: number, body: unknown): void =>
      void res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
    const input = req.method === 'POST' ? ((await readJson(req)) as Record<string, unknown>) : {};
    const ops = this.standIn.operations;
    if (path === '/_control/faults' && req.method === 'POST') {
      this.standIn.faults.push(input as unknown as ScriptedFault);
      return json(200, { faults: this.standIn.faults });
    }
    if (path === '/_control/faults' && req.method === 'DELETE') {
      this.standIn.faults.length = 0;
      return json(200, { faults: [] });
    }
    if (path === '/_control/behaviour' && req.method === 'POST') {
      const b = ops.behaviour;
      for (const k of ['inactive', 'undeliverable'] as const)
        if (Array.isArray(input[k]))
          b[k] = new Set((input[k] as string[]).map((c) => c.replace('-', '')));
      for (const k of ['processDelayMs', 'deliverDelayMs', 'notificationCopies'] as const)
        if (typeof input[k] === 'number') b[k] = input[k] as number;
      if (input.repeatedSenderRef === 'first' || input.repeatedSenderRef === 'new')
        b.repeatedSenderRef = input.repeatedSenderRef;
      return json(200, { ...b, inactive: [...b.inactive], undeliverable: [...b.undeliverable] });
    }
    if (path === '/_control/messages' && req.method === 'GET') {
      return json(
        200,
        this.standIn.store.all().map(({ envelopeXml: _e, ...m }) => m),
      );
    }
    if (path === '/_control/inbound' && req.method === 'POST') {
      const files =
        (input.files as { name: string; mimeType: string; base64: string }[] | undefined) ?? [];
      const m = ops.inbound({
        from: String(input.from),
        to: String(input.to),
        title: String(input.title ?? ''),
        text: String(input.text ?? ''),
        ref: String(input.ref ?? `IN-${randomUUID()}`),
        inReplyTo: typeof input.inReplyTo === 'string' ? input.inReplyTo : undefined,
        files: files.map((f) => ({
          name: f.name,
          mimeType: f.mimeType,
          bytes: Buffer.from(f.base64, 'base64'),
        })),
      });
      return json(200, { messageId: m.messageId });
    }
    json(404, { error: 'no such control' });
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 32 * 1024 * 1024) throw new Error('control body too large');
    chunks.push(c);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/** A multipart (or urlencoded) form, parsed by the platform's fetch Request (undici), at most 32 MB. */
async function readForm(req: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > 32 * 1024 * 1024) throw new Error('form too large');
    chunks.push(c);
  }
  return new Request('http://127.0.0.1/write', {
    method: 'POST',
    headers: { 'Content-Type': req.headers['content-type'] ?? '' },
    body: Buffer.concat(chunks),
  }).formData();
}
