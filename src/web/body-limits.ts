import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import type { AppConfig } from '../config/config';
import { DomainError, ErrorCode } from '../platform/errors/domain-error';

const KB = 1024;

/** Every form and JSON body unless a rule below says otherwise: sign-in, task commands, admin forms. */
export const DEFAULT_BODY_LIMIT = 16 * KB;
/** Forms with free text (notes and grounds of up to 2000 characters, several fields, UTF-8 escaped). */
export const TEXT_BODY_LIMIT = 64 * KB;
/** Room for multipart boundaries, part headers and the small text fields beside the files. */
const MULTIPART_OVERHEAD = 64 * KB;

/** The citizen upload forms: at most 5 files of at most 5 MB each (residence evidence, answers to requests). */
export const CITIZEN_UPLOAD = {
  maxFiles: 5,
  maxFileBytes: 5 * 1024 * KB,
  maxFields: 10,
  maxFieldBytes: 16 * KB,
} as const;

export interface BodyLimitRule {
  method: 'POST' | 'PUT';
  path: RegExp;
  limit: number;
  why: string;
}

/** The largest multipart body a form with these limits can legitimately send. */
export const multipartLimit = (l: { maxFiles: number; maxFileBytes: number }): number =>
  l.maxFiles * l.maxFileBytes + MULTIPART_OVERHEAD;

/** Routes that accept more than DEFAULT_BODY_LIMIT, and why (docs/security.md lists them). */
export function bodyLimitRules(config: AppConfig): BodyLimitRule[] {
  const text = (path: RegExp, why: string): BodyLimitRule => ({
    method: 'POST',
    path,
    limit: TEXT_BODY_LIMIT,
    why,
  });
  const upload = (path: RegExp, why: string): BodyLimitRule => ({
    method: 'POST',
    path,
    limit: multipartLimit(CITIZEN_UPLOAD),
    why,
  });
  return [
    text(/^\/(workspace\/)?residence\/declare$/, 'residence declaration: household, basis note'),
    text(/^\/workspace\/residence\/annulments$/, 'annulment grounds'),
    text(/^\/services\/[^/]+\/apply$/, 'application forms'),
    text(
      /^\/(workspace\/)?social-assistance\/(apply|applications\/[^/]+)\/[a-z]+$/,
      'social assistance application steps: household, incomes, assets',
    ),
    text(/^\/(api|workspace)\/tasks\/[^/]+\/complete$/, 'decisions with reasons'),
    text(/^\/workspace\/cases\/[^/]+\/requests$/, 'request to the applicant'),
    text(/^\/admin\/parameters(\/values)?$/, 'parameter tables'),
    upload(/^\/my-cases\/[^/]+\/requests\/[^/]+$/, 'answer to a request: files'),
    upload(/^\/residence\/cases\/[^/]+\/documents$/, 'residence evidence: files'),
    upload(
      /^\/(workspace\/)?social-assistance\/(apply|applications\/[^/]+)\/housing\/bills$/,
      'social assistance housing bills: files',
    ),
    upload(/^\/residence\/annulments\/[^/]+\/response$/, 'response to an annulment: files'),
    upload(
      /^\/social-assistance\/cases\/[^/]+\/information$/,
      'social assistance answer to a request for information: files',
    ),
    {
      method: 'POST',
      path: /^\/workspace\/payments\/status-reports$/,
      limit: multipartLimit({ maxFiles: 1, maxFileBytes: 20 * 1024 * KB }),
      why: 'bank status report (pain.002): one XML file',
    },
    {
      method: 'POST',
      path: /^\/(api\/)?verify$/,
      limit: config.VERIFY_UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD,
      why: 'public verification: one PDF',
    },
  ];
}

const declaredLength = (req: Request): number | null => {
  const h = req.headers['content-length'];
  return h !== undefined && /^\d{1,15}$/.test(h) ? Number(h) : null;
};

/**
 * Answers a request whose body is not going to be read: `Connection: close`, so Node does not read
 * (and discard) the rest of a large body to keep the connection alive for the next request.
 */
export function closeIfBodyUnread(req: Request, res: Response): void {
  const hasBody = (declaredLength(req) ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.complete && !res.headersSent) res.setHeader('Connection', 'close');
}

/**
 * Body limits per route, before any work: a declared length over the route's limit is refused
 * (413, in the user's language) without reading a byte of the body; JSON and form bodies are
 * parsed with the route's limit (a chunked body is cut there). Multipart bodies are left to the
 * upload handlers, which read them only after authorising the request.
 */
export function bodyLimits(config: AppConfig): RequestHandler {
  const rules = bodyLimitRules(config);
  const parsers = new Map<number, RequestHandler[]>();
  const parsersFor = (limit: number): RequestHandler[] => {
    let p = parsers.get(limit);
    if (!p) {
      // Flat forms only: no `a[b]=c` objects.
      p = [
        express.json({ limit }),
        express.urlencoded({ extended: false, limit, parameterLimit: 500 }),
      ];
      parsers.set(limit, p);
    }
    return p;
  };
  return (req: Request, res: Response, next: NextFunction): void => {
    const rule = rules.find((r) => r.method === req.method && r.path.test(req.path));
    const limit = rule?.limit ?? DEFAULT_BODY_LIMIT;
    const length = declaredLength(req);
    if (length !== null && length > limit) {
      res.setHeader('Connection', 'close');
      return next(
        new DomainError(
          ErrorCode.PayloadTooLarge,
          `body of ${length} bytes over the limit of ${limit}`,
          [],
          { limit },
        ),
      );
    }
    const [json, form] = parsersFor(limit);
    json(req, res, (err?: unknown) => (err ? next(err) : form(req, res, next)));
  };
}
