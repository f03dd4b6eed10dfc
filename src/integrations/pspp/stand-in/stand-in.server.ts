import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  INTAKE_CHANNELS,
  SERVICE_STATUSES,
  type ServiceStatusReport,
} from '../service-status.port';

/** A report as the stand-in keeps it: what arrived, under which key, and how often. */
export interface StoredReport {
  id: string;
  idempotencyKey: string;
  receivedAt: string;
  /** How many requests carried this key (1 = no retry reached the stand-in after it was stored). */
  requests: number;
  report: ServiceStatusReport;
}

/**
 * A scripted failure for the next `times` report requests: `status` answers that HTTP status
 * without storing; `timeout` never answers; `reset` drops the connection before storing;
 * `dropResponse` stores the report, then drops the connection (a lost reply: the retry is a duplicate).
 */
export interface Fault {
  kind: 'status' | 'timeout' | 'reset' | 'dropResponse';
  times: number;
  status?: number;
}

export interface StandInOptions {
  port: number;
  /** Control and inspection (plain HTTP on 127.0.0.1). */
  controlPort: number;
  path: string;
  /** Bearer token the report requests must carry; empty = none asked. */
  token: string;
  idempotencyHeader: string;
  tls?: { cert: string; key: string };
  /** Reports are kept in `<dataDir>/reports.json` and survive a restart. */
  dataDir: string;
}

const MAX_BODY = 64 * 1024;

/**
 * The services platform (PSPP) stand-in: the JSON-over-HTTPS report interface the adapter speaks
 * (ours: the platform's own is not public), with authentication, field validation, one report per
 * idempotency key, and failure injection through its control port.
 */
export class PsppStandIn {
  private readonly reports: StoredReport[] = [];
  private readonly faults: Fault[] = [];
  private api?: Server;
  private control?: Server;
  private readonly file: string;
  stats = { requests: 0, stored: 0, duplicates: 0, refused: 0, faults: 0 };

  constructor(private readonly o: StandInOptions) {
    mkdirSync(o.dataDir, { recursive: true });
    this.file = join(o.dataDir, 'reports.json');
    if (existsSync(this.file))
      this.reports.push(...(JSON.parse(readFileSync(this.file, 'utf8')) as StoredReport[]));
  }

  async start(): Promise<{ endpoint: string; control: string }> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.onReport(req, res);
    this.api = this.o.tls
      ? createHttpsServer(
          { cert: readFileSync(this.o.tls.cert), key: readFileSync(this.o.tls.key) },
          handler,
        )
      : createHttpServer(handler);
    this.control = createHttpServer((req, res) => void this.onControl(req, res));
    const apiPort = await listen(this.api, this.o.port);
    const controlPort = await listen(this.control, this.o.controlPort);
    const scheme = this.o.tls ? 'https' : 'http';
    return {
      endpoint: `${scheme}://127.0.0.1:${apiPort}${this.o.path}`,
      control: `http://127.0.0.1:${controlPort}`,
    };
  }

  async stop(): Promise<void> {
    for (const s of [this.api, this.control]) {
      if (!s) continue;
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }

  private async onReport(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'POST' || url.pathname !== this.o.path)
      return json(res, 404, { error: 'not_found' });
    this.stats.requests += 1;
    if (this.o.token && req.headers.authorization !== `Bearer ${this.o.token}`) {
      this.stats.refused += 1;
      return json(res, 401, { error: 'unauthenticated' });
    }
    const body = await readBody(req);
    const fault = this.takeFault();
    if (fault?.kind === 'timeout') return; // never answered: the client's timeout decides
    if (fault?.kind === 'reset') return void req.socket.destroy();
    if (fault?.kind === 'status') return json(res, fault.status ?? 503, { error: 'injected' });
    const key = req.headers[this.o.idempotencyHeader.toLowerCase()];
    if (typeof key !== 'string' || !key.trim() || key.length > 200) {
      this.stats.refused += 1;
      return json(res, 400, {
        error: 'idempotency_key_required',
        header: this.o.idempotencyHeader,
      });
    }
    let parsed: unknown = null;
    try {
      parsed = body === null ? null : JSON.parse(body);
    } catch {
      parsed = null;
    }
    const errors = validate(parsed);
    if (errors.length) {
      this.stats.refused += 1;
      return json(res, 400, { error: 'invalid_report', fields: errors });
    }
    const report = parsed as ServiceStatusReport;
    const seen = this.reports.find((r) => r.idempotencyKey === key);
    if (seen) {
      seen.requests += 1;
      this.persist();
      if (JSON.stringify(seen.report) !== JSON.stringify(report)) {
        this.stats.refused += 1;
        return json(res, 422, { error: 'idempotency_key_reused', id: seen.id });
      }
      this.stats.duplicates += 1;
      if (fault?.kind === 'dropResponse') return void req.socket.destroy();
      return json(res, 200, { id: seen.id, duplicate: true });
    }
    const stored: StoredReport = {
      id: randomUUID(),
      idempotencyKey: key,
      receivedAt: new Date().toISOString(),
      requests: 1,
      report,
    };
    this.reports.push(stored);
    this.stats.stored += 1;
    this.persist();
    if (fault?.kind === 'dropResponse') return void req.socket.destroy();
    return json(res, 201, { id: stored.id, duplicate: false });
  }

  private async onControl(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const route = `${req.method} ${url.pathname}`;
    if (route === 'GET /_control/reports') {
      const caseNumber = url.searchParams.get('caseNumber');
      return json(
        res,
        200,
        this.reports.filter((r) => !caseNumber || r.report.caseNumber === caseNumber),
      );
    }
    if (route === 'GET /_control/stats') return json(res, 200, this.stats);
    if (route === 'POST /_control/faults') {
      const f = JSON.parse((await readBody(req)) ?? '{}') as Partial<Fault>;
      if (!['status', 'timeout', 'reset', 'dropResponse'].includes(f.kind ?? ''))
        return json(res, 400, { error: 'kind: expected status, timeout, reset or dropResponse' });
      this.faults.push({ kind: f.kind!, times: Math.max(1, f.times ?? 1), status: f.status });
      return json(res, 200, { queued: this.faults.length });
    }
    if (route === 'DELETE /_control/faults') {
      this.faults.length = 0;
      return json(res, 200, { queued: 0 });
    }
    if (route === 'GET /' || route === 'GET /reports') return this.page(res, url);
    return json(res, 404, { error: 'not_found' });
  }

  /** A small page: what the platform received, per case (what the resident would see there). */
  private page(res: ServerResponse, url: URL): void {
    const caseNumber = url.searchParams.get('caseNumber');
    const rows = this.reports
      .filter((r) => !caseNumber || r.report.caseNumber === caseNumber)
      .map(
        (r) =>
          `<tr><td>${esc(r.report.caseNumber)}</td><td>${esc(r.report.serviceCode)}</td><td>${r.report.sequence}</td><td>${esc(r.report.status)}</td><td>${esc(r.report.channel ?? r.report.result ?? '')}</td><td>${esc(r.report.occurredAt)}</td><td>${r.requests}</td></tr>`,
      )
      .join('');
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><meta charset="utf-8"><title>PSPP stand-in</title><h1>Service status reports received</h1><table border="1" cellpadding="4"><tr><th>Case</th><th>Service</th><th>#</th><th>Status</th><th>Channel / result</th><th>At</th><th>Requests</th></tr>${rows}</table></html>`,
    );
  }

  private takeFault(): Fault | null {
    const f = this.faults[0];
    if (!f) return null;
    f.times -= 1;
    if (f.times <= 0) this.faults.shift();
    this.stats.faults += 1;
    return f;
  }

  private persist(): void {
    writeFileSync(this.file, JSON.stringify(this.reports));
  }
}

/** Field-level checks of a report; the names are the JSON fields. */
export function validate(v: unknown): string[] {
  if (typeof v !== 'object' || v === null) return ['body'];
  const r = v as Record<string, unknown>;
  const errors: string[] = [];
  const p = r.provider as Record<string, unknown> | undefined;
  if (typeof p?.registrationNumber !== 'string' || !/^\d{6,20}$/.test(p.registrationNumber))
    errors.push('provider.registrationNumber');
  if (typeof r.serviceCode !== 'string' || !r.serviceCode.trim()) errors.push('serviceCode');
  if (typeof r.caseNumber !== 'string' || !r.caseNumber.trim()) errors.push('caseNumber');
  if (!(SERVICE_STATUSES as readonly unknown[]).includes(r.status)) errors.push('status');
  if (!Number.isInteger(r.sequence) || (r.sequence as number) < 1) errors.push('sequence');
  if (typeof r.occurredAt !== 'string' || Number.isNaN(Date.parse(r.occurredAt)))
    errors.push('occurredAt');
  if (r.status === 'registered' && !(INTAKE_CHANNELS as readonly unknown[]).includes(r.channel))
    errors.push('channel');
  if (r.status === 'decided' && r.result !== 'granted' && r.result !== 'refused')
    errors.push('result');
  return errors;
}

const esc = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

function listen(s: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}
