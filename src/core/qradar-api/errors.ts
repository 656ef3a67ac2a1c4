/**
 * Errors of the QRadar REST client and the parsing of QRadar error bodies (qradar.md §2 "Error body
 * shape"). Pure; no vscode. Every message that may reach a user, a log or a file goes through
 * {@link redact} first, so the SEC token never appears even when a server echoes it back.
 */

/** What went wrong, for callers that react differently (retry, CA hint, stop). */
export type QRadarErrorKind =
  /** The server answered with an HTTP error status (4xx/5xx); `status` and the server's message are set. */
  | 'http'
  /** TLS verification failed (unknown CA, expired, wrong host name). Never retried. */
  | 'tls'
  /** No answer within the request timeout (after the retries). */
  | 'timeout'
  /** Connection refused/reset/dropped (after the retries). */
  | 'network'
  /** The answer was not what the API documents (not JSON, bad Content-Range…). */
  | 'protocol'
  /** Bad settings (URL, CA file) detected before any request. */
  | 'config'
  /** The caller's AbortSignal fired. */
  | 'cancelled';

/** Parsed QRadar error body: `{ http_response: {code, message}, code, description, details, message }` (§2). */
export interface QRadarErrorBody {
  httpCode?: number;
  httpMessage?: string;
  /** QRadar "unique code", e.g. 18 (no SEC header), 1010 (bad filter on /siem, Ariel down on /ariel). */
  code?: number;
  description?: string;
  message?: string;
}

export class QRadarApiError extends Error {
  constructor(
    message: string,
    readonly kind: QRadarErrorKind,
    readonly details: {
      /** HTTP status when `kind` is `http`. */
      status?: number;
      /** QRadar unique code from the error body. */
      qradarCode?: number;
      /** The most specific server text (message → description → http_response.message → raw body). */
      serverMessage?: string;
      /** Node error code (ECONNRESET, CERT_HAS_EXPIRED, …). */
      errno?: string;
      /** Method and URL (without credentials) of the failed request. */
      request?: string;
      /** Attempts made (1 = no retry). */
      attempts?: number;
    } = {},
  ) {
    super(message);
    this.name = 'QRadarApiError';
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** Cancellation error (kind `cancelled`), thrown when the AbortSignal fires. */
export function cancelledError(): QRadarApiError {
  return new QRadarApiError('The QRadar request was cancelled', 'cancelled');
}

const MAX_TEXT = 400;

/** Removes control characters and cuts long texts (server texts are attacker-controlled). */
export function cleanText(s: string, max = MAX_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u0008\u000b-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/**
 * Replaces every occurrence of each secret (length ≥ 4) in `text` with `[redacted]`. Also catches
 * the URL-encoded and base64 forms of the secret.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

/**
 * Parses an error body (§2): JSON with `message`, `description`, `code`, `http_response`; anything
 * else (an HTML page from a proxy) → `message` = the cleaned raw text. `hide` (e.g. {@link redact} with the token) is
 * applied to every text after JSON unescaping and before it is cut short: a token sent as `\uXXXX` escapes, or cut at
 * the end of a long message, is still hidden. Never throws.
 */
export function parseErrorBody(body: string, hide: (s: string) => string = (s) => s): QRadarErrorBody {
  const out: QRadarErrorBody = {};
  let j: unknown;
  try {
    j = JSON.parse(body);
  } catch {
    const raw = cleanText(hide(body.replace(/<[^>]*>/g, ' ')));
    if (raw) out.message = raw;
    return out;
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) {
    const raw = cleanText(hide(String(body)));
    if (raw) out.message = raw;
    return out;
  }
  const o = j as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v.trim() ? cleanText(hide(v)) : undefined);
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const hr = o.http_response;
  if (typeof hr === 'object' && hr !== null) {
    out.httpCode = num((hr as Record<string, unknown>).code);
    out.httpMessage = str((hr as Record<string, unknown>).message);
  }
  out.code = num(o.code);
  out.description = str(o.description);
  out.message = str(o.message);
  return out;
}

/** The most specific text of an error body: `message`, then `description`, then `http_response.message` (§2). */
export function bestServerMessage(b: QRadarErrorBody): string | undefined {
  return b.message ?? b.description ?? b.httpMessage;
}

/**
 * One line for an HTTP error answer, as the request log shows it (CLI `--verbose`, the extension's output channel):
 * the status, QRadar's unique code when the error body has one, and the server's message (or {@link statusHint}):
 * `HTTP 403 (code 26): User has insufficient capabilities to access this endpoint resource`.
 */
export function httpErrorReason(e: QRadarApiError): string {
  const { status, qradarCode, serverMessage } = e.details;
  return `HTTP ${status ?? '?'}${qradarCode !== undefined ? ` (code ${qradarCode})` : ''}: ${serverMessage ?? (status !== undefined ? statusHint(status) : e.message)}`;
}

/** Short advice per HTTP status (qradar.md §2 table). */
export function statusHint(status: number): string {
  switch (status) {
    case 401:
      return 'the API token was rejected: set a valid authorized-service token';
    case 403:
      return 'the token lacks the capability for this endpoint';
    case 404:
      return 'not found';
    case 409:
      return 'conflict with the current state of the resource';
    case 422:
      return 'a request parameter was rejected (filter, fields, Range or AQL)';
    default:
      return status >= 500 ? 'QRadar server error' : `HTTP ${status}`;
  }
}

/** Node TLS error codes that mean "certificate not trusted" (not retried). */
export const TLS_ERROR_CODES: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
  'INVALID_CA',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Network error codes worth a retry. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
