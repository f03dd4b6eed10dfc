/**
 * What the logs must never hold (issue 12 L3): session cookies, authorization headers, CSRF
 * tokens, passwords and personal codes. Three layers, so that one forgotten field is not a leak:
 * pino's redact paths for known fields, a request serializer that cleans the URL and query, and a
 * last pass over every written line that masks anything shaped like a personal code.
 */

const REDACTED = '[Redacted]';

/** Field names whose values are secrets or personal codes wherever they appear. */
const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  '_csrf',
  'csrfToken',
  'token',
  'code_verifier',
  'personalCode',
  'applicantCode',
  'personCode',
  'subjectCode',
  'requesterCode',
];

/** pino `redact` paths: headers of the request and response, and the secret fields at the top two levels. */
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'req.headers["proxy-authorization"]',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS.flatMap((f) => [f, `*.${f}`, `req.query.${f}`, `req.body.${f}`]),
];

/** Query parameters whose values are never logged (the rest are masked for personal codes). */
const SECRET_QUERY = new Set(['_csrf', 'password', 'token', 'code', 'state', 'q', 'iss']);

/**
 * A Latvian personal code, with or without the dash (also percent-encoded), not part of a longer
 * number (letters may touch it: `%2F010190-12345` in an encoded URL); kept: the birth date part,
 * as the UI masks it.
 */
const PERSONAL_CODE = /(?<!\d)(\d{6})(?:-|%2D)?\d{5}(?!\d)/gi;

/** Linear patterns (fixed-width digit runs), so a long line costs its length only. */
export function maskPersonalCodes(text: string): string {
  return text.replace(PERSONAL_CODE, '$1-*****');
}

/** A URL fit for a log: secret query values dropped, personal codes masked in the path and query. */
export function safeUrl(url: string | undefined): string | undefined {
  if (typeof url !== 'string') return url;
  const cut = url.length > 2048 ? url.slice(0, 2048) : url;
  const at = cut.indexOf('?');
  if (at < 0) return maskPersonalCodes(cut);
  const query = cut
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      if (eq < 0) return pair;
      const key = safeDecode(name);
      if (SECRET_QUERY.has(key)) return `${name}=${REDACTED}`;
      // A URL inside the URL (the sign-in page's way back): cleaned the same way.
      if (RETURN_URLS.has(key))
        return `${name}=${encodeURIComponent(safeUrl(safeDecode(pair.slice(eq + 1))) ?? '')}`;
      return pair;
    })
    .join('&');
  return maskPersonalCodes(`${cut.slice(0, at)}?${query}`);
}

/** Query parameters that carry another URL of the application. */
const RETURN_URLS = new Set(['returnTo']);

const safeDecode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** A copy of a parsed query (or params) object with secret values dropped and personal codes masked. */
function safeQuery(q: unknown): unknown {
  if (!q || typeof q !== 'object') return q;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q as Record<string, unknown>).slice(0, 50)) {
    if (SECRET_QUERY.has(k) || SECRET_FIELDS.includes(k)) out[k] = REDACTED;
    else if (typeof v === 'string') out[k] = RETURN_URLS.has(k) ? safeUrl(v) : maskPersonalCodes(v);
    else
      out[k] = Array.isArray(v)
        ? v.map((x) => (typeof x === 'string' ? maskPersonalCodes(x) : x))
        : v;
  }
  return out;
}

/** pino-http's request serializer output (pino-std-serializers), cleaned; the request itself is not touched. */
export function safeRequest(req: Record<string, unknown>): Record<string, unknown> {
  const headers = { ...((req.headers as Record<string, unknown> | undefined) ?? {}) };
  for (const h of ['cookie', 'authorization', 'x-csrf-token', 'proxy-authorization'])
    if (h in headers) headers[h] = REDACTED;
  if (typeof headers.referer === 'string') headers.referer = safeUrl(headers.referer);
  return {
    id: req.id,
    method: req.method,
    url: safeUrl(req.url as string | undefined),
    query: safeQuery(req.query),
    params: safeQuery(req.params),
    headers,
    remoteAddress: req.remoteAddress,
    remotePort: req.remotePort,
  };
}

/** pino-http's response serializer output, cleaned: a redirect's Location may carry a code or token. */
export function safeResponse(res: Record<string, unknown>): Record<string, unknown> {
  const headers = { ...((res.headers as Record<string, unknown> | undefined) ?? {}) };
  if ('set-cookie' in headers) headers['set-cookie'] = REDACTED;
  if (typeof headers.location === 'string') headers.location = safeUrl(headers.location);
  return { ...res, headers };
}

/** Something pino can write to. */
export interface LogSink {
  write(line: string): unknown;
}

/** The last pass: every line written is masked for personal codes (messages, error texts and stacks too). */
export function maskingSink(dest: LogSink): LogSink {
  return { write: (line: string) => dest.write(maskPersonalCodes(line)) };
}
