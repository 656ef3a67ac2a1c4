/**
 * Loki-RS message parsers: plain `Match:` bodies, reason messages, JSONL match events and the
 * scan_end summary. Reference: shared/docs/loki-format.md §3.1 (plain grammar), §3.2 (JSONL schema),
 * §3.8 (legacy flexi_logger), §5 items 31-35.
 */
import type { LokiReason, ReasonKind } from '../model/loki';
import type { FindingBody } from './python-messages';
import { indexOfKeyDigits, isDigit, isHexRun, readInt } from './text';

/** Reason prefixes of Loki-RS (§3.1 table, §5 item 31). `process` marks process-only reasons. */
const RS_REASONS: { prefix: string; kind: ReasonKind; process: boolean }[] = [
  { prefix: 'YARA match with rule ', kind: 'yara', process: false },
  { prefix: 'YARA-X match with rule ', kind: 'yara', process: true },
  { prefix: 'File Name IOC matched PATTERN: ', kind: 'filename-ioc', process: false },
  { prefix: 'HASH match with IOC HASH: ', kind: 'hash-ioc', process: false },
  { prefix: 'Filename IOC matched in ', kind: 'filename-ioc', process: true },
  { prefix: 'Process Executable Hash Match HASH: ', kind: 'hash-ioc', process: true },
  { prefix: 'C2 IOC match in remote address ', kind: 'c2', process: true },
];

function reasonPrefix(s: string, at: number) {
  for (const r of RS_REASONS) if (s.startsWith(r.prefix, at)) return r;
  return undefined;
}

/**
 * Parses one Loki-RS reason message (`YARA match with rule X`, `C2 IOC match in remote address IP: ip
 * PORT: p`, ...). In plain lines the message may carry ` DESC: d` and ` AUTHOR: a` (§3.1);
 * `withExtras` enables splitting those off. Returns the reason plus C2 ip/port when present.
 */
export function parseRsReason(text: string, withExtras: boolean): { reason: LokiReason; ip?: string; port?: number; process: boolean } {
  const raw = text;
  let body = text.trim();
  let description: string | undefined;
  let author: string | undefined;
  if (withExtras) {
    const ai = body.lastIndexOf(' AUTHOR: ');
    const di = body.indexOf(' DESC: ');
    if (ai >= 0 && (di < 0 || ai > di)) {
      author = body.slice(ai + 9).trim();
      body = body.slice(0, ai);
    }
    if (di >= 0 && di < body.length) {
      description = body.slice(di + 7).trim();
      body = body.slice(0, di);
    }
  }
  const pre = reasonPrefix(body, 0);
  const reason: LokiReason = { kind: pre ? pre.kind : 'other', rule: '', raw };
  let ip: string | undefined;
  let port: number | undefined;
  if (!pre) {
    reason.rule = body;
  } else {
    const rest = body.slice(pre.prefix.length);
    if (pre.kind === 'yara') {
      const sp = rest.indexOf(' ');
      reason.rule = sp < 0 ? rest : rest.slice(0, sp);
    } else if (pre.prefix === 'Filename IOC matched in ') {
      const pi = rest.indexOf('PATTERN: ');
      reason.rule = pi >= 0 ? rest.slice(pi + 9) : rest;
    } else if (pre.kind === 'c2') {
      const ii = rest.indexOf('IP: ');
      if (ii >= 0) {
        const sp = rest.indexOf(' ', ii + 4);
        ip = rest.slice(ii + 4, sp < 0 ? rest.length : sp);
        reason.rule = ip;
        const pi = rest.indexOf('PORT: ', ii);
        if (pi >= 0) {
          const [v, e] = readInt(rest, pi + 6);
          if (e > pi + 6) port = v;
        }
      } else reason.rule = rest;
    } else {
      reason.rule = rest.trim();
      if (pre.kind === 'hash-ioc') reason.rule = reason.rule.toLowerCase();
    }
  }
  if (description !== undefined) reason.description = description;
  if (author !== undefined) reason.author = author;
  return { reason, ip, port, process: pre ? pre.process : false };
}

/**
 * Parses the body of a Loki-RS plain `Match: TARGET SCORE: n REASONS: [r1; r2]` line (§3.1).
 * The reason list is split on `; ` only where a known reason prefix follows (descriptions may
 * contain `; ` and `]`). Returns undefined when SCORE/REASONS cannot be found.
 */
export function parseRsMatch(body: string): FindingBody | undefined {
  if (!body.startsWith('Match: ')) return undefined;
  let from = 7;
  let si = -1;
  let scoreEnd = -1;
  for (;;) {
    const i = indexOfKeyDigits(body, ' SCORE: ', from);
    if (i < 0) break;
    const [, e] = readInt(body, i + 8);
    if (body.startsWith(' REASONS: [', e) || e === body.length) {
      si = i;
      scoreEnd = e;
      break;
    }
    from = i + 1;
  }
  if (si < 0) return undefined;
  const out: FindingBody = { kind: 'file', path: body.slice(7, si), score: readInt(body, si + 8)[0], reasons: [] };
  if (scoreEnd >= body.length) {
    out.truncated = 'record ends after SCORE';
    return out;
  }
  let list = body.slice(scoreEnd + 11);
  if (list.endsWith(']')) list = list.slice(0, -1);
  else out.truncated = 'reason list not closed';
  let processOnly = false;
  let start = 0;
  while (start < list.length) {
    let next = -1;
    let i = list.indexOf('; ', start);
    while (i >= 0) {
      if (reasonPrefix(list, i + 2)) {
        next = i;
        break;
      }
      i = list.indexOf('; ', i + 1);
    }
    const text = list.slice(start, next < 0 ? list.length : next);
    const r = parseRsReason(text, true);
    out.reasons.push(r.reason);
    if (r.process) processOnly = true;
    if (r.ip !== undefined && out.ip === undefined) {
      out.ip = r.ip;
      out.port = r.port;
    }
    if (next < 0) break;
    start = next + 2;
  }
  // The plain line does not say file vs process (§5 item 32): process-only reasons, or a target
  // without any path separator, mean a process match.
  const t = out.path ?? '';
  if (processOnly || (t.indexOf('/') < 0 && t.indexOf('\\') < 0)) {
    out.kind = 'process';
    out.processName = t;
  }
  return out;
}

/**
 * Where a Loki-RS `Match: …` body (§3.1) has another ` SCORE: <digits> REASONS: [` at or after `from` (the index just
 * after the SCORE key {@link parseRsMatch} read): its index, or -1. Loki-RS writes one; a second is text of the file
 * name that copies Loki-RS's keys (`/tmp/a SCORE: 0 REASONS: [YARA match with rule Benign]`), which made up the path,
 * score and reasons read — as `laterScoreKey` (python-messages) for Python Loki. The parser warns at the line.
 */
export function laterRsScoreKey(body: string, from: number): number {
  for (let f = from; ; ) {
    const i = indexOfKeyDigits(body, ' SCORE: ', f);
    if (i < 0) return -1;
    const [, e] = readInt(body, i + 8);
    if (body.startsWith(' REASONS: [', e)) return i + 1;
    f = i + 1;
  }
}

/** Counters of the Loki-RS scan_end summary (`... Alerts: N Warnings: N Notices: N. ...`, §3.1). */
export function parseRsSummary(text: string): { alerts: number; warnings: number; notices: number } | undefined {
  const a = intAfter(text, 'Alerts: ');
  const w = intAfter(text, 'Warnings: ');
  const n = intAfter(text, 'Notices: ');
  if (a === undefined || w === undefined || n === undefined) return undefined;
  return { alerts: a, warnings: w, notices: n };
}

function intAfter(s: string, key: string): number | undefined {
  const i = indexOfKeyDigits(s, key, 0);
  if (i < 0) return undefined;
  return readInt(s, i + key.length)[0];
}

/** Version after `VERSION: ` / `VERSION=`, if any. */
export function versionFrom(s: string): string | undefined {
  let i = s.indexOf('VERSION: ');
  let k = 9;
  if (i < 0) {
    i = s.indexOf('VERSION=');
    k = 8;
  }
  if (i < 0) return undefined;
  const st = i + k;
  const e = s.indexOf(' ', st);
  const v = s.slice(st, e < 0 ? s.length : e).trim();
  return v || undefined;
}

type Json = Record<string, unknown>;

/**
 * Text of any JSON value, total: strings as is, other primitives via String, arrays/objects as
 * JSON text (cut at `max` characters). Never throws: `String(v)` on a parsed object can throw
 * (`{"toString":1}` → "Cannot convert object to primitive value") or overflow the stack (deeply
 * nested arrays), which used to turn a whole JSONL record into an "internal parser error".
 */
export function jsonValueText(v: unknown, max = 4096): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return String(v);
  let t: string;
  try {
    t = JSON.stringify(v) ?? '';
  } catch {
    return Array.isArray(v) ? '[…]' : '{…}';
  }
  return t.length > max ? t.slice(0, max) + '…' : t;
}
/**
 * A JSON value as named in a parser warning: a string quoted as JSON (cut to 80 characters + `…`), another value as
 * {@link jsonValueText} (cut to 80), `(missing)` for undefined (a key not in the object).
 */
export function jsonShown(v: unknown): string {
  if (v === undefined) return '(missing)';
  return typeof v === 'string' ? JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v) : jsonValueText(v, 80);
}
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const numv = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The hash keys of a Loki-RS JSONL match and their lengths in hex digits. */
const RS_HASH_DIGITS = [
  ['md5', 32],
  ['sha1', 40],
  ['sha256', 64],
] as const;

/**
 * Builds a finding body from a Loki-RS JSONL `file_match` / `process_match` object (§3.2).
 * Reasons carry score → subscore, description, author, reference → ref, matched_strings joined
 * with `, ` → matches. `md5` / `sha1` / `sha256` are trimmed and lower-cased and kept only when they are 32 / 40 / 64
 * hex digits, as the Python Loki parser does; any other non-empty value is left out and `badHash` gets why
 * (`SHA256 "abc" is not 64 hex digits: …`, the value cut to 80 characters). A score, path, process name, reason list,
 * reason or reason score of another JSON type (`"score": "NaN"`, `1e999`, `"reasons": "x"`) is left out and
 * `badValue` gets why (`"reasons" "x" is not a list: the finding is kept without reasons`).
 */
export function rsJsonFinding(o: Json, badHash?: (why: string) => void, badValue?: (why: string) => void): FindingBody {
  const isProc = o.event_type === 'process_match';
  const out: FindingBody = { kind: isProc ? 'process' : 'file', reasons: [] };
  // A value of another JSON type than Loki-RS writes (a damaged or forged line) is left out, and said (`badValue`).
  const wrong = (where: string, v: unknown, want: string, left: string, nullToo = false) => {
    if (v === undefined || (v === null && !nullToo)) return;
    badValue?.(`${where} ${jsonShown(v)} is not ${want}: ${left}`);
  };
  const score = numv(o.score);
  if (score !== undefined) out.score = Math.round(score);
  else wrong('"score"', o.score, 'a finite number', 'the finding is kept without a score');
  // optional values: JSON null is absent (no warning); another type is left out with a warning
  const text = (key: string, what: string): string | undefined => {
    const v = str(o[key]);
    if (v === undefined) wrong(`"${key}"`, o[key], 'a text', `the finding is kept without ${what}`);
    return v;
  };
  const num = (key: string, what: string): number | undefined => {
    const v = numv(o[key]);
    if (v === undefined) wrong(`"${key}"`, o[key], 'a finite number', `the finding is kept without ${what}`);
    return v;
  };
  if (isProc) {
    out.pid = num('pid', 'a PID');
    out.processName = text('process_name', 'a process name');
    out.path = out.processName;
  } else {
    out.path = text('file_path', 'a path');
    out.fileType = text('file_type', 'a file type');
    out.size = num('file_size', 'a size');
    out.created = text('file_created', 'a created time');
    out.modified = text('file_modified', 'a modified time');
    out.accessed = text('file_accessed', 'an accessed time');
  }
  for (const [key, digits] of RS_HASH_DIGITS) {
    const v = o[key];
    if (v === undefined || v === null || v === '') continue;
    const h = typeof v === 'string' ? v.trim().toLowerCase() : '';
    if (h.length === digits && /^[0-9a-f]+$/.test(h)) out[key] = h;
    else {
      badHash?.(`${key.toUpperCase()} ${jsonShown(v)} is not ${digits} hex digits: the finding is kept without it`);
    }
  }
  if (!Array.isArray(o.reasons)) wrong('"reasons"', o.reasons, 'a list', 'the finding is kept without reasons');
  else {
    for (let i = 0; i < o.reasons.length; i++) {
      const it: unknown = o.reasons[i];
      if (!it || typeof it !== 'object' || Array.isArray(it)) {
        wrong(`"reasons"[${i}]`, it, 'an object', 'that reason is left out', true);
        continue;
      }
      const r = it as Json;
      const msg = str(r.message) ?? '';
      if (typeof r.message !== 'string') wrong(`"reasons"[${i}].message`, r.message, 'a text', 'that reason is kept without its message');
      // Loki-RS 2.0-2.3: `{message, score}` only, the message carrying `\n         DESC: d` lines (§3.8).
      const nl = msg.indexOf('\n');
      const p = parseRsReason(nl < 0 ? msg : msg.slice(0, nl), false);
      const reason = p.reason;
      if (nl >= 0) {
        reason.raw = msg;
        for (const line of msg.slice(nl + 1).split('\n')) {
          const l = line.trim();
          if (l.startsWith('DESC: ')) reason.description = l.slice(6).trim();
          else if (l.startsWith('AUTHOR: ')) reason.author = l.slice(8).trim();
        }
      }
      const sc = numv(r.score);
      if (sc !== undefined) reason.subscore = sc;
      else wrong(`"reasons"[${i}].score`, r.score, 'a finite number', 'that reason is kept without a score');
      const opt = (key: string, what: string): string | undefined => {
        const v = str(r[key]);
        if (v === undefined) wrong(`"reasons"[${i}].${key}`, r[key], 'a text', `that reason is kept without ${what}`);
        return v;
      };
      const d = opt('description', 'a description');
      if (d !== undefined) reason.description = d;
      const a = opt('author', 'an author');
      if (a !== undefined) reason.author = a;
      const ref = opt('reference', 'a reference');
      if (ref !== undefined) reason.ref = ref;
      const ms = r.matched_strings;
      if (Array.isArray(ms)) {
        // null items are absent; items of another type than text are kept as their JSON text (one warning for the list)
        const items = ms.filter((x) => x !== null && x !== undefined);
        const other = items.filter((x) => typeof x !== 'string');
        if (other.length) wrong(`"reasons"[${i}].matched_strings`, other.length === 1 ? other[0] : other, other.length === 1 ? 'a text' : 'texts', `kept as JSON text`);
        if (items.length) reason.matches = items.map((x) => jsonValueText(x)).join(', ');
      } else wrong(`"reasons"[${i}].matched_strings`, ms, 'a list', 'that reason is kept without matched strings');
      out.reasons.push(reason);
      if (p.ip !== undefined && out.ip === undefined) {
        out.ip = p.ip;
        out.port = p.port;
      }
    }
  }
  return out;
}

/**
 * Best-effort parse of a legacy Loki-RS (alpha .. 2.3.x, §3.8) multi-line finding message:
 * `FILE: <p>` (up to a newline or ` SCORE:`), `SCORE: n`, `TYPE:`, `SIZE:`, hashes, and either
 * `REASON_n: <msg>` lines with `SUBSCORE: n` or an alpha `REASONS: [GenMatch { message: "..", score: n }]`.
 */
export function parseRsLegacyFinding(msg: string): FindingBody | undefined {
  const fi = msg.indexOf('FILE: ');
  if (fi < 0) return undefined;
  const out: FindingBody = { kind: 'file', reasons: [] };
  let pe = msg.length;
  for (const k of ['\n', ' SCORE: ', ' TYPE: ', ' SampleInfo']) {
    const i = msg.indexOf(k, fi + 6);
    if (i >= 0 && i < pe) pe = i;
  }
  out.path = msg.slice(fi + 6, pe).trim();
  let si = indexOfKeyDigits(msg, 'SCORE: ', fi);
  while (si >= 0 && msg.startsWith('SUB', si - 3)) si = indexOfKeyDigits(msg, 'SCORE: ', si + 1);
  if (si >= 0) out.score = readInt(msg, si + 7)[0];
  const ti = msg.indexOf('TYPE: ', fi);
  if (ti >= 0) {
    let te = msg.length;
    for (const k of [' SIZE: ', '\n']) {
      const i = msg.indexOf(k, ti + 6);
      if (i >= 0 && i < te) te = i;
    }
    out.fileType = msg.slice(ti + 6, te).trim();
  }
  const zi = indexOfKeyDigits(msg, 'SIZE: ', fi);
  if (zi >= 0) out.size = readInt(msg, zi + 6)[0];
  for (const [k, n, f] of [['MD5: ', 32, 'md5'], ['SHA1: ', 40, 'sha1'], ['SHA256: ', 64, 'sha256']] as const) {
    const i = msg.indexOf(k);
    if (i >= 0 && isHexRun(msg, i + k.length, n)) out[f] = msg.slice(i + k.length, i + k.length + n).toLowerCase();
  }
  // REASON_n lines (v2.0-2.3)
  let n = 1;
  let ri = msg.indexOf('REASON_1: ');
  while (ri >= 0) {
    const key = `REASON_${n + 1}: `;
    const next = msg.indexOf(key, ri);
    const text = msg.slice(ri + `REASON_${n}: `.length, next < 0 ? msg.length : next);
    const lines = text.split('\n').map((l) => l.trim());
    const p = parseRsReason(lines[0], true);
    for (const l of lines.slice(1)) {
      if (l.startsWith('SUBSCORE: ')) p.reason.subscore = readInt(l, 10)[0];
      else if (l.startsWith('DESC: ')) p.reason.description = l.slice(6);
      else if (l.startsWith('AUTHOR: ')) p.reason.author = l.slice(8);
    }
    const sub = indexOfKeyDigits(lines[0], 'SUBSCORE: ', 0);
    if (sub >= 0 && p.reason.subscore === undefined) p.reason.subscore = readInt(lines[0], sub + 10)[0];
    p.reason.raw = text;
    out.reasons.push(p.reason);
    ri = next;
    n++;
  }
  // alpha: GenMatch { message: "...", score: n }
  if (out.reasons.length === 0) {
    let gi = msg.indexOf('message: "');
    while (gi >= 0) {
      const e = msg.indexOf('"', gi + 10);
      if (e < 0) break;
      const text = msg.slice(gi + 10, e);
      const p = parseRsReason(text, true);
      // The score belongs to this GenMatch: look only up to the next `message: "` (an unbounded
      // search rescanned the rest of the record for every match: quadratic on hostile input).
      const nextGi = msg.indexOf('message: "', e);
      const seg = msg.slice(e, nextGi < 0 ? msg.length : nextGi);
      const sc = seg.indexOf('score: ');
      if (sc >= 0 && isDigit(seg, sc + 7)) p.reason.subscore = readInt(seg, sc + 7)[0];
      out.reasons.push(p.reason);
      gi = nextGi;
    }
  }
  return out;
}
