/**
 * QRadar REST API client on node:https (qradar.md §2 "Request mechanics"). Pure Node; no vscode.
 *
 * - Auth: `SEC: <token>` header on every request (§2; demisto/content#4248: every call needs it).
 *   The token is passed in by the caller and never written anywhere: request log entries carry the
 *   method, URL (query included, no credentials), status and timing only, and every error text is
 *   run through {@link redact}.
 * - `Version: <apiVersion>` header when set (empty → the console's latest version), `Accept: application/json`.
 * - TLS is verified by default against Node's root certificates plus an optional extra CA (PEM);
 *   `allowInsecureTls` turns verification off (the caller must warn). `http:` is accepted only for
 *   loopback hosts (tests, SSH tunnels), so a token never crosses a network in clear text.
 * - Per-request idle timeout; retries with exponential backoff and jitter for timeouts, dropped
 *   connections, 5xx and 429 (§2 "Rate limiting and load": exponential backoff on 5xx/503 and network
 *   errors); a `Retry-After` on a 429 or 503 sets the delay instead (at most `backoffMaxMs`).
 *   Non-idempotent requests (POST) are retried only when the request surely was not processed
 *   (connection refused, 503, 429). Other 4xx are never retried, nor is an answer over
 *   `maxBodyBytes` (it would only be downloaded again), nor a TLS certificate error. Before the console has
 *   answered once, a connection refused, a host name not found or a network/host unreachable
 *   ({@link UNREACHABLE_CODES}) is a setting to fix, not a hiccup: the first request fails at once saying what to
 *   check (`details.neverReached`); after an answer the same errors are retried (a console restarting mid-fetch).
 * - Redirects are not followed (the token goes to the configured console only); a 3xx is an error
 *   naming where the console pointed.
 * - Paging: `Range: items=x-y` request header, `Content-Range: items x-y/total` response header (§2 "Paging").
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { bytesText } from '../byte-size';
import { jsonDepthExceeded, MAX_JSON_DEPTH } from '../json-depth';
import {
  bestServerMessage,
  cancelledError,
  cleanText,
  parseErrorBody,
  QRadarApiError,
  MAX_ERROR_BODY_CHARS,
  redact,
  redactHead,
  RETRYABLE_NETWORK_CODES,
  statusHint,
  httpErrorReason,
  TLS_ERROR_CODES,
  UNREACHABLE_CODES,
} from './errors';

/** One request as logged: never headers, never the token. */
export interface RequestLogEntry {
  method: string;
  /** Full URL including the query string (no credentials). */
  url: string;
  /** HTTP status, when an answer came. */
  status?: number;
  /** Duration of this attempt, ms. */
  ms: number;
  /** 1-based attempt number. */
  attempt: number;
  /** `Range` header sent, e.g. `items=0-499`. */
  range?: string;
  /** `Content-Range` header received, e.g. `items 0-499/1234`. */
  contentRange?: string;
  /** Short error text, redacted: network/TLS/timeout, or for an HTTP error answer `HTTP 403 (code 26): <server's message>`. */
  error?: string;
  /** Delay before the next attempt, ms (when this attempt will be retried). */
  retryInMs?: number;
}

/**
 * One line of the request log (the CLI's `--verbose` stderr, the extension's *SOC Analytics* log), the same in both:
 * `<method> <url> → <answer>[ [<Content-Range>]] (<ms> ms[, attempt N][, retry in N ms])`. The answer is the status of
 * a 2xx answer (`200 [items 0-4/5]`), else the error, which for an HTTP error answer says the status once
 * (`HTTP 403 (code 26): User has insufficient capabilities to access this endpoint resource`) and otherwise why no
 * answer came (time-out, TLS, network). Plain text: the CLI escapes it for the terminal.
 */
export function requestLogLine(e: RequestLogEntry): string {
  const answer = e.error ?? (e.status !== undefined ? String(e.status) : 'no answer');
  const after = [`${e.ms} ms`, ...(e.attempt > 1 ? [`attempt ${e.attempt}`] : []), ...(e.retryInMs !== undefined ? [`retry in ${e.retryInMs} ms`] : [])];
  return `${e.method} ${e.url} → ${answer}${e.contentRange ? ` [${e.contentRange}]` : ''} (${after.join(', ')})`;
}

export interface QRadarClientOptions {
  /** Console URL, e.g. `https://qradar.corp.example` (a bare host name gets `https://`; a trailing `/api` is accepted). */
  consoleUrl: string;
  /** Authorized-service token (SEC header). Never logged. */
  token: string;
  /** `Version` header, e.g. `20.0`; empty/undefined → not sent (console's latest API version, §2). */
  apiVersion?: string;
  /** Idle timeout per request attempt, ms (default 120 000). */
  timeoutMs?: number;
  /**
   * Whole-answer deadline per request attempt, ms (default {@link ANSWER_DEADLINE_FACTOR} × `timeoutMs`): the idle
   * timeout restarts with every byte, so a console that trickles a byte now and then would hold a request forever;
   * this one does not restart. Not retried (a console that trickles once trickles again).
   */
  answerDeadlineMs?: number;
  /** Extra trusted CA certificate(s), PEM text; added to Node's root certificates. */
  caPem?: string;
  /** Skip certificate verification (default false). The caller must warn the user. */
  allowInsecureTls?: boolean;
  /** Retries after the first attempt for retryable failures (default 4). */
  maxRetries?: number;
  /** First backoff delay, ms (default 1000); doubles per retry, with jitter 50–100 %. */
  backoffBaseMs?: number;
  /** Backoff cap, ms (default 30 000). */
  backoffMaxMs?: number;
  /** Called after every attempt (for the output channel). */
  onRequest?: (e: RequestLogEntry) => void;
  /** Concurrent sockets to the console (default 2; §2 recommends 2–4 at most). */
  maxSockets?: number;
  /** Largest accepted response body, bytes (default {@link MAX_BODY_BYTES}). */
  maxBodyBytes?: number;
}

export interface RequestOptions {
  /** Query parameters; each key and value is percent-encoded once (`+` → `%2B`, space → `%20`, §2). */
  query?: Record<string, string | number | boolean | undefined>;
  /** Zero-based inclusive item range → `Range: items=first-last`. */
  range?: [number, number];
  /** Extra headers (e.g. `Prefer`). Never the SEC header (added by the client). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Safe to repeat (GET: true; POST: false). Default: method === 'GET'. */
  idempotent?: boolean;
}

/** `Content-Range: items first-last/total` (a `*` instead of `first-last` for an empty page), §2. */
export interface ContentRange {
  first?: number;
  last?: number;
  /** Undefined when the server sent `*` as the total. */
  total?: number;
}

export interface QRadarResponse<T> {
  status: number;
  data: T;
  contentRange?: ContentRange;
  /** Raw header values the callers may want (`deprecated`, `content-range`). */
  headers: http.IncomingHttpHeaders;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
/**
 * Largest accepted response body (bytes) by default: 256 MiB, half of V8's longest string (an answer
 * is decoded into one string), far above a page of 10,000 offenses with every field.
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

/** Default whole-answer deadline of a request attempt, as a multiple of its idle timeout (see {@link QRadarClientOptions.answerDeadlineMs}). */
export const ANSWER_DEADLINE_FACTOR = 10;

/** `ms` as `N s` (whole seconds), or `N ms` under a second. */
export function durationText(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 1000)} s`;
}

/** The three forms of an HTTP date (RFC 9110 §5.6.7): IMF-fixdate, RFC 850 and asctime. */
const HTTP_DATE = [
  /^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{6,9}, \d{2}-[A-Za-z]{3}-\d{2} \d{2}:\d{2}:\d{2} GMT$/,
  /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/,
];

/**
 * `Retry-After` (RFC 9110 §10.2.3: delay-seconds, or an HTTP date) in ms from `nowMs`; never negative (a date in
 * the past is 0). Undefined when absent or in no such form (`2.5`, `-5`, `soon`): `Date.parse` alone read such text
 * as some date in the past, so garbage meant "retry at once" instead of the exponential backoff.
 */
export function parseRetryAfter(v: string | string[] | undefined, nowMs = Date.now()): number | undefined {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  if (!s) return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  if (!HTTP_DATE.some((re) => re.test(s))) return undefined;
  // asctime has no zone: it is GMT
  const t = Date.parse(/GMT$/.test(s) ? s : `${s} GMT`);
  return Number.isFinite(t) ? Math.max(0, t - nowMs) : undefined;
}

/**
 * Normalises a console URL to the API base (`https://host[:port][/prefix]/api/`).
 * @throws QRadarApiError kind `config` for an empty/invalid URL, credentials in the URL, a scheme
 *   other than https (http only for loopback hosts).
 */
export function apiBaseUrl(consoleUrl: string): URL {
  const raw = (consoleUrl ?? '').trim();
  if (!raw) throw new QRadarApiError('No QRadar console URL is set', 'config');
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    throw new QRadarApiError(`The QRadar console URL is not a valid URL: ${cleanText(raw, 120)}`, 'config');
  }
  if (u.username || u.password) throw new QRadarApiError('The QRadar console URL must not contain a user name or password', 'config');
  if (u.protocol === 'http:' && !LOOPBACK.has(u.hostname)) {
    throw new QRadarApiError(`The QRadar console URL must use https:// (http is accepted only for 127.0.0.1/localhost): ${u.host}`, 'config');
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new QRadarApiError(`Unsupported scheme in the QRadar console URL: ${u.protocol}`, 'config');
  let p = u.pathname.replace(/\/+$/, '');
  if (!/\/api$/i.test(p)) p = `${p}/api`;
  u.pathname = `${p}/`;
  u.search = '';
  u.hash = '';
  return u;
}

/**
 * Parses `Content-Range` (`items 0-49/1234`; a `*` for the range of an empty page or for an unknown total). Undefined for a missing or
 * unparsable header.
 */
export function parseContentRange(v: string | undefined): ContentRange | undefined {
  if (!v) return undefined;
  const m = /^\s*items\s+(?:(\d+)-(\d+)|\*)\s*\/\s*(\d+|\*)\s*$/i.exec(v);
  if (!m) return undefined;
  const out: ContentRange = {};
  if (m[1] !== undefined) {
    out.first = Number(m[1]);
    out.last = Number(m[2]);
  }
  if (m[3] !== '*') out.total = Number(m[3]);
  return out;
}

/** Builds `?k=v&…` with encodeURIComponent (so `+` is `%2B` and space `%20`; §2 sort note). */
export function encodeQuery(q: RequestOptions['query']): string {
  if (!q) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/**
 * Validates PEM text holding one or more certificates.
 * @throws QRadarApiError kind `config` when no certificate can be read.
 */
export function checkCaPem(pem: string, label = 'CA certificate file'): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new QRadarApiError(`The ${label} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`, 'config');
  for (const b of blocks) {
    try {
      new X509Certificate(b);
    } catch (e) {
      throw new QRadarApiError(`The ${label} holds an unreadable certificate: ${(e as Error).message}`, 'config');
    }
  }
  return blocks;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Size of the body as received, bytes. */
  bytes: number;
}

/** A failed attempt: the error plus whether a retry may help. */
interface AttemptFailure {
  error: QRadarApiError;
  retryable: boolean;
}

export class QRadarClient {
  readonly base: URL;
  private readonly agent: http.Agent;
  /**
   * The TLS options also given with each request, not only to {@link agent}: VS Code's extension host patches
   * `https.request` (@vscode/proxy-agent) and, with its default `http.proxySupport: "override"`, replaces the agent of
   * any request to a host other than localhost/127.0.0.1 with its own (direct or through the configured proxy); the
   * request's own `ca` / `rejectUnauthorized` are what reach the TLS handshake then.
   */
  private readonly tlsOptions: { ca?: string[]; rejectUnauthorized?: boolean };
  private readonly opts: Required<Pick<QRadarClientOptions, 'timeoutMs' | 'maxRetries' | 'backoffBaseMs' | 'backoffMaxMs'>> & QRadarClientOptions;
  /**
   * The console has answered (any HTTP status) at least once. Until then a connection refused, an unknown host name or
   * an unreachable network ({@link UNREACHABLE_CODES}) is a configuration problem and is not retried.
   */
  private reached = false;

  /**
   * @throws QRadarApiError kind `config` for a bad console URL, an empty token or an unreadable CA PEM.
   */
  constructor(options: QRadarClientOptions) {
    // An option given as undefined takes its default (`{...options}` alone would overwrite the default:
    // the CLI passed `maxRetries: undefined`, which made no attempt at all and said only "request failed").
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as QRadarClientOptions;
    this.opts = { timeoutMs: 120_000, maxRetries: 4, backoffBaseMs: 1000, backoffMaxMs: 30_000, ...given };
    this.base = apiBaseUrl(options.consoleUrl);
    if (!options.token || !options.token.trim()) throw new QRadarApiError('No QRadar API token is set', 'config');
    if (/[\r\n]/.test(options.token)) throw new QRadarApiError('The QRadar API token contains a line break', 'config');
    const maxSockets = options.maxSockets ?? 2;
    if (this.base.protocol === 'https:') {
      const ca = options.caPem ? [...tls.rootCertificates, ...checkCaPem(options.caPem)] : undefined;
      this.tlsOptions = { ...(ca ? { ca } : {}), rejectUnauthorized: options.allowInsecureTls !== true };
      this.agent = new https.Agent({ keepAlive: true, maxSockets, ...this.tlsOptions });
    } else {
      this.tlsOptions = {};
      this.agent = new http.Agent({ keepAlive: true, maxSockets });
    }
  }

  /** Console origin (`https://host:port`) — the token is bound to it by the callers. */
  get origin(): string {
    return this.base.origin;
  }

  /**
   * Whole-answer deadline of one request attempt, ms: the configured `answerDeadlineMs`, else
   * {@link ANSWER_DEADLINE_FACTOR} × the idle timeout. Also the longest an Ariel search may stay unfinished.
   */
  get answerDeadlineMs(): number {
    const d = this.opts.answerDeadlineMs;
    return d !== undefined && Number.isFinite(d) && d > 0 ? d : ANSWER_DEADLINE_FACTOR * this.opts.timeoutMs;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.agent.destroy();
  }

  /** Full URL of an API path (`siem/offenses` or `/api/siem/offenses`) with its query. */
  url(path: string, query?: RequestOptions['query']): URL {
    const rel = path.replace(/^\/+/, '').replace(/^api\//i, '');
    return new URL(`${rel}${encodeQuery(query)}`, this.base);
  }

  /**
   * `s` with the token (and its encoded forms, see {@link redact}) replaced by `[redacted]`. Server text is redacted
   * whole, before it is cleaned or cut short: a token cut in two is no longer recognised.
   */
  redact(s: string): string {
    return redact(s, [this.opts.token]);
  }

  /**
   * One HTTP exchange with retries. Resolves with the answer of a 2xx status.
   * @throws QRadarApiError — `http` for 4xx (at once) and 5xx (after the retries) with the server's
   *   message; `tls`; `timeout`; `network`; `cancelled` when `signal` aborts.
   */
  async request(method: 'GET' | 'POST' | 'DELETE', path: string, o: RequestOptions = {}): Promise<RawAnswer> {
    const url = this.url(path, o.query);
    const idempotent = o.idempotent ?? method === 'GET';
    const attempts = 1 + (Number.isFinite(this.opts.maxRetries) ? Math.max(0, Math.floor(this.opts.maxRetries)) : 0);
    let last: QRadarApiError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (o.signal?.aborted) throw cancelledError();
      let retryAfter: number | undefined;
      const t0 = Date.now();
      const range = o.range ? `items=${o.range[0]}-${o.range[1]}` : undefined;
      // rejects only with a `cancelled` error
      const res: RawAnswer | AttemptFailure = await this.once(method, url, range, o);
      const entry: RequestLogEntry = { method, url: this.redact(url.toString()), ms: Date.now() - t0, attempt };
      if (range) entry.range = range;
      if ('status' in res) {
        this.reached = true;
        entry.status = res.status;
        const cr = res.headers['content-range'];
        // a hostile console may echo the SEC header in any header it sends back
        if (typeof cr === 'string') entry.contentRange = cleanText(this.redact(cr), 200);
        if (res.status >= 200 && res.status < 300) {
          this.opts.onRequest?.(entry);
          return res;
        }
        const err = this.httpError(method, url, res, attempt);
        // 503 and 429 mean the request was not processed: safe to repeat even for a POST
        const retryable = (res.status >= 500 && (idempotent || res.status === 503)) || res.status === 429;
        last = err;
        entry.error = httpErrorReason(err);
        if (!retryable || attempt === attempts) {
          this.opts.onRequest?.(entry);
          throw err;
        }
        if (res.status === 429 || res.status === 503) retryAfter = parseRetryAfter(res.headers['retry-after']);
      } else {
        last = res.error;
        entry.error = res.error.message;
        const retryable = res.retryable && (idempotent || res.error.details.errno === 'ECONNREFUSED');
        if (!retryable || attempt === attempts) {
          this.opts.onRequest?.(entry);
          if (attempt > 1) res.error.details.attempts = attempt;
          throw res.error;
        }
      }
      const delay =
        retryAfter !== undefined
          ? Math.min(this.opts.backoffMaxMs, retryAfter)
          : Math.min(this.opts.backoffMaxMs, this.opts.backoffBaseMs * 2 ** (attempt - 1)) * (0.5 + Math.random() * 0.5);
      entry.retryInMs = Math.round(delay);
      this.opts.onRequest?.(entry);
      await sleep(delay, o.signal);
    }
    throw last ?? new QRadarApiError('request failed', 'network');
  }

  private httpError(method: string, url: URL, res: RawAnswer, attempt: number): QRadarApiError {
    // redacted before it is parsed and, each text, after JSON unescaping and before it is cut short: a token cut at the
    // end of a message, or sent as \uXXXX escapes, is no longer recognised once cut. Only the body's first 64 KiB are
    // read (redacting 256 MiB takes ~18 s); a token split by that cut is redacted too (see redactHead).
    const head = redactHead(res.body, [this.opts.token]);
    const body = parseErrorBody(head.text, (t) => this.redact(t));
    const cutNote = head.cut ? ` [error body of ${res.bytes} bytes; only its first ${MAX_ERROR_BODY_CHARS} characters were read]` : '';
    const server = bestServerMessage(body);
    const serverMessage = server ? this.redact(server) : undefined;
    const where = `${method} ${this.redact(url.pathname)}`;
    if (res.status >= 300 && res.status < 400) {
      // Not followed: the SEC token must not travel to wherever a console (or a proxy) points.
      let to = 'another address';
      const loc = res.headers.location;
      if (typeof loc === 'string') {
        try {
          to = cleanText(this.redact(new URL(loc, url).origin), 200);
        } catch {
          /* unreadable Location */
        }
      }
      const hint = `redirected to ${to}; redirects are not followed, so the token is sent to the configured console only — set the console URL to the address the API answers on`;
      return new QRadarApiError(`QRadar answered ${res.status} to ${where}: ${hint}`, 'http', { status: res.status, serverMessage: hint, request: where, attempts: attempt });
    }
    const msg = `QRadar answered ${res.status} to ${where}: ${serverMessage ?? statusHint(res.status)}${body.code !== undefined ? ` (code ${body.code})` : ''}${cutNote}`;
    return new QRadarApiError(msg, 'http', { status: res.status, qradarCode: body.code, serverMessage: serverMessage ?? statusHint(res.status), request: where, attempts: attempt });
  }

  /** One attempt. Resolves with the answer (any status) or an AttemptFailure; rejects only on cancel. */
  private once(method: string, url: URL, range: string | undefined, o: RequestOptions): Promise<RawAnswer | AttemptFailure> {
    const mod = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { Accept: 'application/json', ...o.headers, SEC: this.opts.token };
    if (this.opts.apiVersion && this.opts.apiVersion.trim()) headers.Version = this.opts.apiVersion.trim();
    if (range) headers.Range = range;
    if (method === 'POST') headers['Content-Length'] = '0';
    return new Promise((resolve, reject) => {
      let done = false;
      let deadline: NodeJS.Timeout | undefined;
      const finish = (v: RawAnswer | AttemptFailure | QRadarApiError) => {
        if (done) return;
        done = true;
        if (deadline !== undefined) clearTimeout(deadline);
        o.signal?.removeEventListener('abort', onAbort);
        if (v instanceof QRadarApiError) reject(v);
        else resolve(v);
      };
      const maxBody = this.opts.maxBodyBytes ?? MAX_BODY_BYTES;
      const tooLarge = () => {
        const where = `${method} ${this.redact(url.origin + url.pathname)}`;
        finish({ error: new QRadarApiError(`QRadar sent an answer larger than ${bytesText(maxBody)} (${maxBody.toLocaleString('en-US')} bytes) to ${where}; not read (lower the page size)`, 'protocol', { request: where }), retryable: false });
      };
      const fail = (e: NodeJS.ErrnoException | Error, timedOut = false) => {
        if (o.signal?.aborted) return finish(cancelledError());
        const code = (e as NodeJS.ErrnoException).code;
        const where = `${method} ${this.redact(url.origin + url.pathname)}`;
        if (timedOut && (e as { deadline?: boolean }).deadline) {
          const dl = durationText(this.answerDeadlineMs);
          return finish({
            error: new QRadarApiError(
              `QRadar did not finish its answer to ${method} ${this.redact(url.pathname)} within ${dl} (the whole-answer deadline${this.opts.answerDeadlineMs === undefined ? `, ${ANSWER_DEADLINE_FACTOR}× the request timeout` : ''}): the console sends too slowly or never ends the answer; not retried`,
              'timeout',
              { errno: 'ETIMEDOUT', request: where },
            ),
            retryable: false,
          });
        }
        if (timedOut) {
          return finish({ error: new QRadarApiError(`No answer from QRadar within ${Math.round(this.opts.timeoutMs / 1000)} s: ${where}`, 'timeout', { errno: 'ETIMEDOUT', request: where }), retryable: true });
        }
        if (code && TLS_ERROR_CODES.has(code)) {
          return finish({
            error: new QRadarApiError(`TLS certificate of ${url.host} not trusted (${code}): ${cleanText(this.redact(e.message))}`, 'tls', { errno: code, request: where }),
            retryable: false,
          });
        }
        const unreachable = code !== undefined && !this.reached ? UNREACHABLE_CODES.get(code) : undefined;
        if (unreachable) {
          // first contact: the console URL, DNS or route is wrong — retrying for seconds would not fix it
          return finish({
            error: new QRadarApiError(
              `Cannot connect to QRadar at ${this.redact(url.host)}: ${unreachable} (${code}); check the console URL (host and port)${code === 'ECONNREFUSED' ? '' : ' and that this machine can reach it (DNS, VPN, proxy)'} — not retried`,
              'network',
              { errno: code, request: where, neverReached: true },
            ),
            retryable: false,
          });
        }
        const retryable = !code || RETRYABLE_NETWORK_CODES.has(code) || /socket hang up|aborted/i.test(e.message);
        finish({ error: new QRadarApiError(`Network error talking to ${url.host} (${code ?? 'error'}): ${cleanText(this.redact(e.message))}`, 'network', { errno: code, request: where }), retryable });
      };
      const req = mod.request(url, { method, headers, agent: this.agent, ...this.tlsOptions }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBody) {
          tooLarge();
          req.destroy();
          return;
        }
        res.on('data', (c: Buffer) => {
          if (done) return;
          size += c.length;
          if (size > maxBody) {
            chunks.length = 0;
            tooLarge();
            req.destroy();
            return;
          }
          chunks.push(c);
        });
        res.on('aborted', () => fail(Object.assign(new Error('connection dropped while reading the answer'), { code: 'ECONNRESET' })));
        res.on('error', (e) => fail(e));
        res.on('end', () => {
          if (!res.complete) return fail(Object.assign(new Error('connection dropped while reading the answer'), { code: 'ECONNRESET' }));
          let body: string;
          try {
            body = Buffer.concat(chunks).toString('utf8');
          } catch {
            return tooLarge(); // longer than V8's longest string
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, body, bytes: size });
        });
      });
      req.setTimeout(this.opts.timeoutMs, () => {
        req.destroy();
        fail(new Error('timeout'), true);
      });
      // the idle timeout restarts with every byte: this one bounds the whole exchange
      deadline = setTimeout(() => {
        req.destroy();
        fail(Object.assign(new Error('answer deadline'), { deadline: true }), true);
      }, this.answerDeadlineMs);
      deadline.unref?.();
      req.on('error', (e) => fail(e));
      const onAbort = () => {
        req.destroy();
        finish(cancelledError());
      };
      if (o.signal?.aborted) return onAbort();
      o.signal?.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
  }

  /**
   * GET (or POST/DELETE) returning parsed JSON and the parsed Content-Range.
   * @throws QRadarApiError as {@link request}; `protocol` when the body is not JSON or nests deeper than
   *   {@link MAX_JSON_DEPTH} levels.
   */
  async json<T>(method: 'GET' | 'POST' | 'DELETE', path: string, o: RequestOptions = {}): Promise<QRadarResponse<T>> {
    const res = await this.request(method, path, o);
    let data: T;
    // nested deeper than MAX_JSON_DEPTH: refused before it is parsed (a later JSON.stringify of it overflowed the stack)
    const deep = jsonDepthExceeded(res.body);
    if (deep >= 0) {
      throw new QRadarApiError(
        `QRadar's answer to ${method} ${this.redact(this.url(path).pathname)} nests JSON deeper than ${MAX_JSON_DEPTH} levels (at character ${deep + 1} of ${res.body.length}); not read`,
        'protocol',
        { status: res.status },
      );
    }
    try {
      data = (res.body.trim() === '' ? null : JSON.parse(res.body)) as T;
    } catch {
      // only the start is shown: redact that (plus what a token split by the cut needs), not up to 256 MiB
      throw new QRadarApiError(`QRadar sent an answer that is not JSON for ${method} ${this.url(path).pathname}: ${cleanText(redactHead(res.body, [this.opts.token]).text, 120)}`, 'protocol', {
        status: res.status,
      });
    }
    const cr = res.headers['content-range'];
    return { status: res.status, data, contentRange: parseContentRange(typeof cr === 'string' ? cr : undefined), headers: res.headers };
  }

  /** `Range: items=0-0` count trick (§2 "Cheap counting"): the total matching `query` without downloading. */
  async count(path: string, query: RequestOptions['query'], signal?: AbortSignal): Promise<number | undefined> {
    const r = await this.json<unknown[]>('GET', path, { query, range: [0, 0], signal });
    return r.contentRange?.total ?? (Array.isArray(r.data) && r.data.length === 0 ? 0 : undefined);
  }
}
