/**
 * Errors of the QRadar REST client and the parsing of QRadar error bodies (qradar.md §2 "Error body
 * shape"). Pure; no vscode. Every message that may reach a user, a log or a file goes through
 * {@link redact} first, so the SEC token never appears even when a server echoes it back.
 */
import { BIDI_CONTROLS_G } from '../text-safe';

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
  | 'cancelled'
  /** A bound of ours was reached (e.g. the most offenses one fetch keeps); the work so far is kept, partial. */
  | 'limit';

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
      /**
       * The console was never reached: the connection failed on the client's first contact (refused, host name not
       * found, network or host unreachable) — a setting to fix (console URL, DNS, VPN), so not retried.
       */
      neverReached?: boolean;
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

/**
 * One line of server text (attacker-controlled) for a message: C0 and C1 control characters and DEL become a space,
 * bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) are removed (they would reorder the message
 * in a terminal or a VS Code notification), white space collapses, and a long text is cut to `max` characters.
 */
export function cleanText(s: string, max = MAX_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(BIDI_CONTROLS_G, '').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

/** Shortest run of a secret's characters (in any form {@link redact} knows) that is redacted on its own. */
export const REDACT_FRAGMENT = 16;

/**
 * Replaces each secret (length ≥ 4) in `text` with `[redacted]`, also when a server or proxy echoes it in another
 * form: exact, URL-encoded (`%35%61…`), HTML entities (`&#53;&#x61;…`), `\uXXXX`/`\xXX` escapes, upper- or mixed-case,
 * with dashes, whitespace, control or zero-width characters removed or inserted between its characters (a token split
 * by a line break), hex-encoded (the secret's UTF-8 bytes, with or without its dashes, either case) and base64 (at any
 * byte alignment). A run of at least {@link REDACT_FRAGMENT} consecutive characters of any of these forms (the whole
 * form when shorter) is redacted too, so half a token is hidden. The replaced span runs from the first to the last
 * matched character of the original text (escapes and separators between them included). Linear in `text.length`
 * (one pass with a rolling hash per fragment length; no backtracking regex); `text` is at most a capped answer body.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  const { forms, prepared } = prepareSecrets(secrets);
  for (const form of forms) out = out.split(form).join('[redacted]');
  if (!prepared.length || !out) return out;
  const spans = matchSpans(out, prepared);
  if (!spans.length) return out;
  let res = '';
  let at = 0;
  for (const [a, b] of spans) {
    res += `${out.slice(at, a)}[redacted]`;
    at = b;
  }
  return res + out.slice(at);
}

/** The exact forms of the secrets (for a plain search) and their windows (see {@link redact}). */
function prepareSecrets(secrets: readonly (string | undefined)[]): { forms: string[]; prepared: SecretWindows[] } {
  const forms: string[] = [];
  const prepared: SecretWindows[] = [];
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    forms.push(...new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')]));
    const p = secretWindows(s);
    if (p) prepared.push(...p);
  }
  return { forms, prepared };
}

/**
 * Longest part of an error body (an HTTP error answer, or an answer that is not JSON) read for an error message,
 * characters: 64 KiB. A QRadar error body is a few hundred bytes and a message shows at most 400 characters of it;
 * redacting a whole 256 MiB body would take about 18 s.
 */
export const MAX_ERROR_BODY_CHARS = 64 * 1024;

/** How far past the cut {@link redactHead} reads to find the characters that follow it, characters. */
const CUT_LOOKAHEAD = 4096;

/**
 * The first `max` characters (about; see below) of `text`, redacted as {@link redact} would redact them in the whole
 * `text`, and whether `text` was cut. Time is linear in `max`, not in `text.length`. A secret that the cut splits is
 * still recognised: the text is read up to {@link REDACT_FRAGMENT} characters of a secret's forms (escapes decoded,
 * separators skipped) past the cut and a match that runs over the cut is replaced whole; when more than
 * {@link CUT_LOOKAHEAD} characters of separators follow the cut, the cut moves back by up to that many characters of
 * the text before it, so no fragment of a secret that the look-ahead could not see is shown.
 */
export function redactHead(text: string, secrets: readonly (string | undefined)[], max = MAX_ERROR_BODY_CHARS): { text: string; cut: boolean } {
  if (text.length <= max) return { text: redact(text, secrets), cut: false };
  const { forms, prepared } = prepareSecrets(secrets);
  // characters (units) of the text as matchSpans reads them, from the start: the last REDACT_FRAGMENT starts before
  // `max`, then the units after it until REDACT_FRAGMENT of them (a window is at most that wide) or the look-ahead ends
  const before = new Float64Array(REDACT_FRAGMENT);
  let seen = 0;
  let after = 0;
  let end = 0;
  const limit = Math.min(text.length, max + CUT_LOOKAHEAD);
  for (let i = 0; i < limit && after < REDACT_FRAGMENT; ) {
    const u = nextUnit(text, i);
    const start = i;
    i = end = unitEnd;
    if (u < 0) continue;
    if (start < max) before[seen++ % REDACT_FRAGMENT] = start;
    else after++;
  }
  let cut = max;
  if (after < REDACT_FRAGMENT && end < text.length) {
    // separators run on past the look-ahead: cut before the last units, so that REDACT_FRAGMENT units follow the cut
    const back = REDACT_FRAGMENT - after;
    cut = seen >= back ? before[(seen - back) % REDACT_FRAGMENT] : 0;
  }
  // the exact forms too (a secret too short for windows), whole
  end = Math.min(text.length, Math.max(end, cut + Math.max(0, ...forms.map((f) => f.length))));
  const head = text.slice(0, end);
  const spans: [number, number][] = [];
  for (const f of forms) {
    for (let k = head.indexOf(f); k >= 0 && k < cut; k = head.indexOf(f, k + f.length)) spans.push([k, k + f.length]);
  }
  if (prepared.length) spans.push(...matchSpans(head, prepared));
  spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let res = '';
  let at = 0;
  for (const [a, b] of spans) {
    if (a >= cut) break;
    if (a < at) {
      at = Math.max(at, b); // overlaps the span just replaced
      continue;
    }
    res += `${text.slice(at, a)}[redacted]`;
    at = b;
  }
  return { text: at < cut ? res + text.slice(at, cut) : res, cut: true };
}

/** The windows (fragments of one length) of a secret's forms, as normalised code units, with their rolling hashes. */
interface SecretWindows {
  width: number;
  /** Bit per value of the hash's top 16 bits: a cheap pre-check before the string comparison. */
  seen: Uint8Array;
  windows: Set<string>;
  /** HASH_BASE^(width-1) mod 2^32. */
  pow: number;
}

// polynomial rolling hash mod 2^32 (Math.imul); a hit is confirmed by comparing the window's text
const HASH_BASE = 257;
const windowCache = new Map<string, SecretWindows[] | undefined>();

/** Windows of every form of `secret` (see {@link redact}), grouped by width; cached (a client redacts with one token). */
function secretWindows(secret: string): SecretWindows[] | undefined {
  if (windowCache.has(secret)) return windowCache.get(secret);
  const norm = (x: string) => {
    let r = '';
    for (let i = 0; i < x.length; ) {
      const u = nextUnit(x, i);
      if (u >= 0) r += String.fromCharCode(u);
      i = unitEnd;
    }
    return r;
  };
  const core = norm(secret);
  let result: SecretWindows[] | undefined;
  if (core.length >= 4) {
    const hex = (x: string) => Buffer.from(x, 'utf8').toString('hex');
    const bare = secret.replace(/[\s\-\u2010-\u2015\u2212\u00ad\u200b-\u200f\u2060\ufeff]+/g, '');
    const forms = new Set<string>([core]);
    for (const x of new Set([secret, bare, secret.toUpperCase(), bare.toUpperCase(), secret.toLowerCase(), bare.toLowerCase()])) {
      forms.add(norm(hex(x)));
      // base64 at the three byte alignments (the secret inside a longer encoded text); the last group depends on padding
      for (let a = 0; a < 3 && a < x.length; a++) {
        const b = norm(Buffer.from(x.slice(a), 'utf8').toString('base64'));
        if (a === 0) forms.add(b);
        forms.add(b.slice(0, Math.max(0, b.length - 4)));
      }
    }
    const byWidth = new Map<number, SecretWindows>();
    for (const f of forms) {
      if (f.length < 4) continue;
      const width = Math.min(REDACT_FRAGMENT, f.length);
      let g = byWidth.get(width);
      if (!g) {
        let pow = 1;
        for (let i = 1; i < width; i++) pow = Math.imul(pow, HASH_BASE);
        g = { width, seen: new Uint8Array(65536), windows: new Set(), pow };
        byWidth.set(width, g);
      }
      for (let i = 0; i + width <= f.length; i++) {
        const w = f.slice(i, i + width);
        g.windows.add(w);
        let h = 0;
        for (let k = 0; k < width; k++) h = (Math.imul(h, HASH_BASE) + w.charCodeAt(k)) | 0;
        g.seen[h >>> 16] = 1;
      }
    }
    result = [...byWidth.values()];
  }
  if (windowCache.size > 16) windowCache.clear();
  windowCache.set(secret, result);
  return result;
}

const NAMED_SEPARATORS = /^(?:nbsp|shy|hyphen|dash|ndash|mdash|minus|zwj|zwnj|zerowidthspace|newline|tab)$/i;

/** Separators ignored between a secret's characters: whitespace, control, dashes, zero-width characters. */
function isSeparator(c: number): boolean {
  return (
    c <= 0x20 ||
    (c >= 0x7f && c <= 0xa0) ||
    c === 0x2d ||
    c === 0xad ||
    (c >= 0x2000 && c <= 0x200f) ||
    (c >= 0x2010 && c <= 0x2015) ||
    (c >= 0x2028 && c <= 0x202f) ||
    c === 0x2060 ||
    c === 0x2212 ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const hexVal = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1);

/** End (exclusive) in the text of the unit last read by {@link nextUnit}. */
let unitEnd = 0;

/**
 * The normalised character of `text` at `i`, after decoding one level of HTML character references, `%XX`,
 * `\uXXXX`, `\xXX` (and `\n`/`\r`/`\t`), ASCII letters lower-cased; -1 for a separator ({@link isSeparator}, a
 * named entity such as `&nbsp;`). Sets {@link unitEnd} to the end of the character or escape. Each escape is bounded
 * in length, so a pass over a text is linear.
 */
function nextUnit(text: string, i: number): number {
  const n = text.length;
  let c = text.charCodeAt(i);
  let j = i + 1;
  if (c === 38 /* & */ && i + 2 < n) {
    if (text.charCodeAt(i + 1) === 35 /* # */) {
      const isHex = (text.charCodeAt(i + 2) | 0x20) === 120; /* x */
      let k = i + (isHex ? 3 : 2);
      let v = 0;
      const from = k;
      while (k < n && k - from < 8) {
        const ch = text.charCodeAt(k);
        const d = isHex ? hexVal(ch) : ch >= 48 && ch <= 57 ? ch - 48 : -1;
        if (d < 0) break;
        v = v * (isHex ? 16 : 10) + d;
        k++;
      }
      if (k > from) {
        c = v <= 0xffff ? v : 0xfffd;
        j = k < n && text.charCodeAt(k) === 59 /* ; */ ? k + 1 : k;
      }
    } else {
      let k = i + 1;
      while (k < n && k - i <= 16 && ((text.charCodeAt(k) | 0x20) >= 97 && (text.charCodeAt(k) | 0x20) <= 122)) k++;
      if (k < n && k > i + 1 && text.charCodeAt(k) === 59 && NAMED_SEPARATORS.test(text.slice(i + 1, k))) {
        unitEnd = k + 1;
        return -1;
      }
    }
  } else if (c === 37 /* % */ && i + 2 < n && hexVal(text.charCodeAt(i + 1)) >= 0 && hexVal(text.charCodeAt(i + 2)) >= 0) {
    c = hexVal(text.charCodeAt(i + 1)) * 16 + hexVal(text.charCodeAt(i + 2));
    j = i + 3;
  } else if (c === 92 /* \ */ && i + 1 < n) {
    const e = text.charCodeAt(i + 1);
    if (e === 110 || e === 114 || e === 116) {
      unitEnd = i + 2;
      return -1;
    }
    const len = e === 117 /* u */ ? 4 : e === 120 /* x */ ? 2 : 0;
    if (len && i + 1 + len < n) {
      let v = 0;
      let k = i + 2;
      for (; k < i + 2 + len; k++) {
        const d = hexVal(text.charCodeAt(k));
        if (d < 0) break;
        v = v * 16 + d;
      }
      if (k === i + 2 + len) {
        c = v;
        j = k;
      }
    }
  }
  unitEnd = j;
  if (isSeparator(c)) return -1;
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Sorted, merged `[start, end)` spans of `text` covered by a window of a secret (see {@link redact}). */
function matchSpans(text: string, groups: readonly SecretWindows[]): [number, number][] {
  const spans: [number, number][] = [];
  for (const g of groups) {
    const { width, seen, windows, pow } = g;
    const codes = new Uint16Array(width);
    const starts = new Float64Array(width);
    let count = 0;
    let slot = 0;
    let hash = 0;
    let last: [number, number] | undefined;
    for (let i = 0, n = text.length; i < n; ) {
      const code = nextUnit(text, i);
      const start = i;
      i = unitEnd;
      if (code < 0) continue;
      // `slot` holds the oldest character of the window once it is full
      if (count >= width) hash = (hash - Math.imul(codes[slot], pow)) | 0;
      hash = (Math.imul(hash, HASH_BASE) + code) | 0;
      codes[slot] = code;
      starts[slot] = start;
      if (++slot === width) slot = 0;
      if (++count < width || seen[hash >>> 16] === 0) continue;
      let w = '';
      for (let k = 0; k < width; k++) w += String.fromCharCode(codes[(slot + k) % width]);
      if (!windows.has(w)) continue;
      const from = starts[slot];
      // windows come in text order: extend the previous window's span when they overlap
      if (last && from <= last[1]) last[1] = i;
      else spans.push((last = [from, i]));
    }
  }
  if (groups.length > 1) spans.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const sp of spans) {
    const prev = merged[merged.length - 1];
    if (prev && sp[0] <= prev[1]) prev[1] = Math.max(prev[1], sp[1]);
    else merged.push([sp[0], sp[1]]);
  }
  return merged;
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

/**
 * Network error codes that, before the console ever answered, mean it cannot be reached as configured — a wrong host
 * or port, a name DNS does not know, no route (VPN down) — not a passing hiccup: the first request fails at once with
 * what to check, not after the retries (curl's `--retry` does not retry them either). Once the console has answered,
 * a refused or unreachable connection is a console restarting or a network blip and is retried like the others.
 */
export const UNREACHABLE_CODES: ReadonlyMap<string, string> = new Map([
  ['ECONNREFUSED', 'the connection was refused — nothing accepts connections on that host and port'],
  ['ENOTFOUND', 'DNS does not know the host name'],
  ['EAI_NONAME', 'DNS does not know the host name'],
  ['EAI_FAIL', 'DNS could not resolve the host name'],
  ['ENETUNREACH', 'the network is unreachable from this machine'],
  ['EHOSTUNREACH', 'the host is unreachable from this machine'],
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
