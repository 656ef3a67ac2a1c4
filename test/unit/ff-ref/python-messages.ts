// Frozen copy of src/core/parse/python-messages.ts at commit 7f097ea (before parseFileFinding was split into
// locateFileFinding + buildFileFinding): the oracle file-finding-locate.test.ts compares the current
// parser with. Helpers: ./text.ts (frozen copy) and src's loki-intern.ts (unchanged by that split). Do not edit.
/**
 * Python Loki message-body parsers (the MESSAGE part after the envelope).
 * Grammar reference: shared/docs/loki-format.md §2.1 (file findings), §2.2 (reasons),
 * §2.3 (process scan), §2.4 (connections / C2), §5 items 15-29 (pitfalls).
 *
 * All functions are total: they never throw and never use backtracking-prone regexes; values are
 * located with indexOf on the fixed key order of each grammar.
 */
import type { FindingKind, LokiReason } from '../../../src/core/model/loki';
import { MAX_MEMO_KEY_CHARS, ownCopy, pathHash, type LokiIntern } from '../../../src/core/parse/loki-intern';
import { hexRunKind, indexOfKeyDigits, isDigit, readInt } from './text';

/** Finding fields extracted from a message body (the envelope adds host/level/time/source). */
export interface FindingBody {
  kind: FindingKind;
  path?: string;
  score?: number;
  fileType?: string;
  size?: number;
  firstBytes?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  created?: string;
  modified?: string;
  accessed?: string;
  pid?: number;
  processName?: string;
  owner?: string;
  commandLine?: string;
  ip?: string;
  port?: number;
  reasons: LokiReason[];
  /** Set when the body was cut short (e.g. truncated last line); the fields present are kept. */
  truncated?: string;
}

/** Reason prefixes that can follow `REASON_n: ` (§2.2); used to reject `REASON_n:` inside values. */
const REASON_PREFIXES = [
  'Yara Rule MATCH: ',
  'File Name IOC matched PATTERN: ',
  'Malware Hash TYPE: ',
  'Suspicious Hash TYPE: ',
  'Levenshtein check',
  'Anomaly detected',
];

function startsWithAt(s: string, prefix: string, i: number): boolean {
  return s.startsWith(prefix, i);
}

/**
 * Parses a `FILE: ...` body (§2.1). Returns undefined when not even `FILE: <path> SCORE: <n>` can
 * be read (the caller reports the line as unparsed).
 *
 * Anchors: path = text up to the first `SCORE: <digits> TYPE: ` (a missing space before
 * `SCORE:` is tolerated, as in real 0.42/0.44 logs); TYPE up to ` SIZE: <digits>`; FIRST_BYTES up to
 * ` MD5: <32 hex>` or ` CREATED: `; optional hash group; CREATED/MODIFIED/ACCESSED; then the
 * sequential `REASON_n: ` split.
 *
 * With `intern` (one per analysis run), repeated texts are shared between findings: the path, TYPE
 * and FIRST_BYTES strings, every reason object and the whole reasons array of a repeated
 * `REASON_1: …` tail. The values are the same as without it; shared objects must not be mutated.
 */
export function parseFileFinding(msg: string, intern?: LokiIntern): FindingBody | undefined {
  if (!msg.startsWith('FILE: ')) return undefined;
  // --- FILE / SCORE
  let sc = -1;
  let from = 6;
  let truncated: string | undefined;
  let scoreEnd = -1;
  let score = NaN;
  for (;;) {
    const i = indexOfKeyDigits(msg, 'SCORE: ', from);
    if (i < 0) break;
    const [v, e] = readInt(msg, i + 7);
    // Reject SUBSCORE; accept `SCORE: n TYPE: ` (or `SCORE: n` at the very end: truncated line).
    if (!(i >= 3 && msg.startsWith('SUB', i - 3)) && (msg.startsWith(' TYPE: ', e) || e === msg.length)) {
      sc = i;
      score = v;
      scoreEnd = e;
      break;
    }
    from = i + 1;
  }
  if (sc < 0) return undefined;
  const rawPath = msg.slice(6, msg.charCodeAt(sc - 1) === 32 ? sc - 1 : sc);
  const path = intern ? intern.paths.text(rawPath, pathHash(rawPath)) : rawPath;
  const out: FindingBody = { kind: 'file', path, score, reasons: [] };
  if (scoreEnd >= msg.length) {
    out.truncated = 'record ends after SCORE';
    return out;
  }
  // --- TYPE ... SIZE
  const typeStart = scoreEnd + 7;
  let p = typeStart;
  let sizeIdx = -1;
  for (;;) {
    const i = indexOfKeyDigits(msg, ' SIZE: ', p);
    if (i < 0) break;
    const [, e] = readInt(msg, i + 7);
    if (msg.startsWith(' FIRST_BYTES: ', e) || e === msg.length || msg.charCodeAt(e) === 32) {
      sizeIdx = i;
      break;
    }
    p = i + 1;
  }
  if (sizeIdx < 0) {
    out.fileType = msg.slice(typeStart).trimEnd();
    if (intern) out.fileType = intern.fileTypes.text(out.fileType);
    out.truncated = 'record ends inside TYPE';
    return out;
  }
  out.fileType = intern ? intern.fileTypes.text(msg.slice(typeStart, sizeIdx)) : msg.slice(typeStart, sizeIdx);
  const [size, sizeEnd] = readInt(msg, sizeIdx + 7);
  out.size = size;
  p = sizeEnd;
  // --- FIRST_BYTES
  let infoEnd = p; // where the search for REASON_1 starts
  if (msg.startsWith(' FIRST_BYTES: ', p)) {
    const fbStart = p + 14;
    let md5Idx = -1;
    let md5Kind = 0;
    let q = fbStart;
    for (;;) {
      const i = msg.indexOf(' MD5: ', q);
      if (i < 0) break;
      md5Kind = hexRunKind(msg, i + 6, 32);
      if (md5Kind !== 0) {
        md5Idx = i;
        break;
      }
      q = i + 1;
    }
    let createdIdx = msg.indexOf(' CREATED: ', md5Idx >= 0 ? md5Idx : fbStart);
    const fbEnd = md5Idx >= 0 ? md5Idx : createdIdx >= 0 ? createdIdx : -1;
    if (fbEnd < 0) {
      const r1 = msg.indexOf(' REASON_1: ', fbStart);
      out.firstBytes = msg.slice(fbStart, r1 < 0 ? msg.length : r1).trim();
      if (intern) out.firstBytes = intern.firstBytes.text(out.firstBytes);
      if (r1 < 0) {
        out.truncated = 'record ends inside FIRST_BYTES';
        return out;
      }
      infoEnd = r1;
    } else {
      out.firstBytes = msg.slice(fbStart, fbEnd).trim();
      if (intern) out.firstBytes = intern.firstBytes.text(out.firstBytes);
      infoEnd = fbEnd;
    }
    // --- hashes (optional group)
    if (md5Idx >= 0) {
      // toLowerCase only when there is an upper-case digit (else it returns an equal string).
      out.md5 = md5Kind === 1 ? msg.slice(md5Idx + 6, md5Idx + 38) : msg.slice(md5Idx + 6, md5Idx + 38).toLowerCase();
      let h = md5Idx + 38;
      const sha1Kind = msg.startsWith(' SHA1: ', h) ? hexRunKind(msg, h + 7, 40) : 0;
      if (sha1Kind !== 0) {
        out.sha1 = sha1Kind === 1 ? msg.slice(h + 7, h + 47) : msg.slice(h + 7, h + 47).toLowerCase();
        h += 47;
        const sha256Kind = msg.startsWith(' SHA256: ', h) ? hexRunKind(msg, h + 9, 64) : 0;
        if (sha256Kind !== 0) {
          out.sha256 = sha256Kind === 1 ? msg.slice(h + 9, h + 73) : msg.slice(h + 9, h + 73).toLowerCase();
          h += 73;
        }
      }
      infoEnd = h;
      createdIdx = msg.indexOf(' CREATED: ', h);
    }
    // --- CREATED / MODIFIED / ACCESSED (ctime strings, kept as printed)
    if (createdIdx >= 0) {
      const cs = createdIdx + 10;
      const mi = msg.indexOf(' MODIFIED: ', cs);
      const ai = mi >= 0 ? msg.indexOf(' ACCESSED: ', mi + 11) : -1;
      const r1 = msg.indexOf(' REASON_1: ', ai >= 0 ? ai : cs);
      const endOf = (a: number) => (a < 0 ? msg.length : a);
      if (mi < 0) {
        out.created = msg.slice(cs, endOf(r1)).trim();
      } else {
        const created = msg.slice(cs, mi).trim();
        out.created = created;
        // The three times are often the same text: keep one string then (equal values).
        const modified = ai < 0 ? msg.slice(mi + 11, endOf(r1)).trim() : msg.slice(mi + 11, ai).trim();
        out.modified = modified === created ? created : modified;
        if (ai >= 0) {
          const accessed = msg.slice(ai + 11, endOf(r1)).trim();
          out.accessed = accessed === modified ? out.modified : accessed === created ? created : accessed;
        }
      }
      infoEnd = r1 >= 0 ? r1 : msg.length;
    }
  }
  // --- REASON_1, REASON_2, ... (sequential, glued without a space)
  const r1 = msg.indexOf('REASON_1: ', infoEnd);
  if (r1 < 0) {
    if (infoEnd >= msg.length || msg.slice(infoEnd).trim() === '') out.truncated = 'no REASON_1';
    else out.truncated = 'unrecognised text after the file info';
    return out;
  }
  // The split below reads `msg` only from r1 + 10 on: the reasons are a function of that tail.
  const tail = intern ? msg.slice(r1 + 10) : '';
  if (intern) {
    const known = intern.reasonLists.get(tail);
    if (known !== undefined) {
      out.reasons = known;
      return out;
    }
  }
  // Reasons that may be shared (stored in either memo) are parsed from a private copy of their text,
  // so that they never keep this finding's message alive.
  const share = intern !== undefined && (intern.reasons.accepts || intern.reasonLists.accepts);
  let n = 1;
  let start = r1 + 10;
  const strong = strongReasonStarts(msg, r1 + 10);
  for (;;) {
    const next = findReasonStart(msg, n + 1, start, strong);
    const text = next < 0 ? msg.slice(start) : msg.slice(start, next);
    let reason = intern ? intern.reasons.get(text) : undefined;
    if (reason === undefined) {
      reason = parseReason(share && text.length <= MAX_MEMO_KEY_CHARS ? ownCopy(text) : text);
      if (intern) intern.reasons.set(text, reason);
    }
    out.reasons.push(reason);
    if (next < 0) break;
    n++;
    start = next + reasonKeyLength(n);
  }
  // Exact-size copy: a pushed-to array keeps spare capacity for the lifetime of the finding.
  out.reasons = out.reasons.slice();
  if (intern) intern.reasonLists.set(tail, out.reasons);
  return out;
}

/**
 * Positions of every `REASON_<n>: ` at/after `from` that is followed by a known reason prefix,
 * grouped by n (ascending positions). One linear pass over `msg`.
 */
function strongReasonStarts(msg: string, from: number): Map<string, { pos: number[]; k: number }> {
  const out = new Map<string, { pos: number[]; k: number }>();
  let i = msg.indexOf('REASON_', from);
  while (i >= 0) {
    let j = i + 7;
    while (j < msg.length && j - i < 16 && isDigit(msg, j)) j++;
    if (j > i + 7 && j - i < 16 && msg.startsWith(': ', j)) {
      const at = j + 2;
      for (const pre of REASON_PREFIXES) {
        if (startsWithAt(msg, pre, at)) {
          const n = msg.slice(i + 7, j); // digits as written: `REASON_02: ` is not `REASON_2: `
          let list = out.get(n);
          if (!list) out.set(n, (list = { pos: [], k: 0 }));
          list.pos.push(i);
          break;
        }
      }
    }
    i = msg.indexOf('REASON_', i + 7);
  }
  return out;
}

/**
 * Finds `REASON_<n>: ` at/after `from`. Prefers an occurrence followed by a known reason prefix
 * (so `REASON_2:` inside a MATCHES value is skipped); falls back to the first occurrence.
 * `strong` (from {@link strongReasonStarts}) holds the prefixed occurrences, so the whole reason
 * split stays linear in the message length (a hostile line with thousands of `REASON_n: x` keys
 * used to rescan the rest of the line for every n: quadratic time).
 */
function findReasonStart(msg: string, n: number, from: number, strong: Map<string, { pos: number[]; k: number }>): number {
  const list = strong.get(String(n));
  if (list) {
    // Positions ascend and `from` only grows: skip the ones already behind us.
    while (list.k < list.pos.length && list.pos[list.k] < from) list.k++;
    if (list.k < list.pos.length) return list.pos[list.k];
  }
  return msg.indexOf(`REASON_${n}: `, from);
}

/** `REASON_${n}: `.length */
function reasonKeyLength(n: number): number {
  return n < 10 ? 10 : n < 100 ? 11 : `REASON_${n}: `.length;
}

function num(s: string): number | undefined {
  const [v, e] = readInt(s, 0);
  return e > 0 ? v : undefined;
}

/** Cuts `s` at the first occurrence of `key` at/after `from` (returns [value, keyIndex]). */
function upTo(s: string, from: number, key: string): [string, number] {
  const i = s.indexOf(key, from);
  return i < 0 ? [s.slice(from), -1] : [s.slice(from, i), i];
}

/**
 * Parses one reason text (the value after `REASON_n: `, §2.2), per kind:
 *  - YARA: `Yara Rule MATCH: r SUBSCORE: n DESCRIPTION: d REF: r [AUTHOR: a] [MATCHES: m]`.
 *    MATCHES runs to the end; AUTHOR is the last ` AUTHOR: ` before MATCHES and REF the last
 *    ` REF: ` before AUTHOR, so `REF:` inside a description does not cut it.
 *  - filename IOC: `File Name IOC matched PATTERN: p SUBSCORE: n DESC: d` (rule = PATTERN).
 *  - hash IOC: `Malware|Suspicious Hash TYPE: t HASH: h SUBSCORE: n DESC: d` (rule = HASH).
 *  - Levenshtein: `Levenshtein check - ... SUBSCORE: 40 ORIGINAL: name` (rule = ORIGINAL name).
 *  - script anomaly: `Anomaly detected ANOMALIES: ... SCORE: n` (rule = ANOMALIES list).
 *  - anything else: kind 'other', rule = text before ` SUBSCORE: ` (or the whole text).
 */
export function parseReason(raw: string): LokiReason {
  const text = raw.trimEnd();
  if (text.startsWith('Yara Rule MATCH: ')) {
    const si = text.indexOf(' SUBSCORE: ', 17);
    const rule = (si < 0 ? text.slice(17) : text.slice(17, si)).trim();
    if (si < 0) return { kind: 'yara', rule, raw };
    let de = si + 11;
    while (de < text.length && isDigit(text, de)) de++;
    const subOk = de > si + 11 && de - (si + 11) <= 15;
    const di = text.indexOf(' DESCRIPTION: ', si);
    if (subOk && di >= 0) {
      // Common full form: one object literal in the final key order (no property back store).
      const full = yaraFull(text, raw, rule, Number(text.slice(si + 11, de)), di);
      if (full) return full;
    }
    const r: LokiReason = { kind: 'yara', rule, raw };
    if (subOk) r.subscore = Number(text.slice(si + 11, de));
    if (di < 0) return r;
    const ds = di + 14;
    const mi = text.indexOf(' MATCHES: ', ds);
    const headEnd = mi < 0 ? text.length : mi;
    const head = text.slice(0, headEnd);
    let ai = head.lastIndexOf(' AUTHOR: ');
    if (ai < ds) ai = -1;
    const ri = head.lastIndexOf(' REF: ', ai < 0 ? headEnd : ai);
    if (ri >= ds) {
      r.description = text.slice(ds, ri).trim();
      r.ref = text.slice(ri + 6, ai < 0 ? headEnd : ai).trim();
    } else {
      r.description = text.slice(ds, ai < 0 ? headEnd : ai).trim();
    }
    if (ai >= 0) r.author = text.slice(ai + 9, headEnd).trim();
    if (mi >= 0) r.matches = text.slice(mi + 10).trim();
    return r;
  }
  if (text.startsWith('File Name IOC matched PATTERN: ') || text.startsWith('File Name Suspicious IOC matched PATTERN: ')) {
    const ps = text.indexOf('PATTERN: ') + 9;
    const r: LokiReason = { kind: 'filename-ioc', rule: '', raw };
    const si = indexOfKeyDigits(text, ' SUBSCORE: ', ps);
    const di = text.indexOf(' DESC:', si >= 0 ? si : ps);
    const pe = si >= 0 ? si : di >= 0 ? di : text.length;
    r.rule = text.slice(ps, pe);
    if (si >= 0) r.subscore = readInt(text, si + 11)[0];
    if (di >= 0) r.description = text.slice(di + 6).trim();
    return r;
  }
  if (text.startsWith('Malware Hash TYPE: ') || text.startsWith('Suspicious Hash TYPE: ')) {
    const r: LokiReason = { kind: 'hash-ioc', rule: '', raw };
    const ts = text.indexOf('TYPE: ') + 6;
    const [ht, hi] = upTo(text, ts, ' HASH: ');
    r.hashType = ht.trim();
    if (hi < 0) return r;
    const [hash, si] = upTo(text, hi + 7, ' SUBSCORE: ');
    r.rule = hash.trim().toLowerCase();
    if (si < 0) return r;
    const [sub, e] = readInt(text, si + 11);
    if (e > si + 11) r.subscore = sub;
    const di = text.indexOf(' DESC:', si);
    if (di >= 0) r.description = text.slice(di + 6).trim();
    return r;
  }
  if (text.startsWith('Levenshtein check')) {
    const r: LokiReason = { kind: 'levenshtein', rule: '', raw };
    const si = indexOfKeyDigits(text, ' SUBSCORE: ', 0);
    r.description = text.slice(0, si < 0 ? text.length : si).trim();
    if (si >= 0) r.subscore = readInt(text, si + 11)[0];
    const oi = text.indexOf(' ORIGINAL: ');
    r.rule = oi >= 0 ? text.slice(oi + 11).trim() : '';
    return r;
  }
  if (text.startsWith('Anomaly detected')) {
    const r: LokiReason = { kind: 'anomaly', rule: '', raw };
    const ai = text.indexOf('ANOMALIES: ');
    const si = text.lastIndexOf(' SCORE: ');
    const end = si > ai ? si : text.length;
    r.rule = ai >= 0 ? text.slice(ai + 11, end).trim() : text.slice(0, end).trim();
    if (si > ai) r.subscore = num(text.slice(si + 8));
    return r;
  }
  const si = indexOfKeyDigits(text, ' SUBSCORE: ', 0);
  const r: LokiReason = { kind: 'other', rule: text.slice(0, si < 0 ? text.length : si).trim(), raw };
  if (si >= 0) r.subscore = readInt(text, si + 11)[0];
  return r;
}

/**
 * The YARA reason with every key present (subscore, description, ref, author, matches) as one literal
 * (same keys, order and values as the general path in parseReason); undefined when one is missing.
 */
function yaraFull(text: string, raw: string, rule: string, subscore: number, di: number): LokiReason | undefined {
  const ds = di + 14;
  const mi = text.indexOf(' MATCHES: ', ds);
  if (mi < 0) return undefined;
  const headEnd = mi;
  const head = text.slice(0, headEnd);
  const ai = head.lastIndexOf(' AUTHOR: ');
  if (ai < ds) return undefined;
  const ri = head.lastIndexOf(' REF: ', ai);
  if (ri < ds) return undefined;
  return {
    kind: 'yara',
    rule,
    raw,
    subscore,
    description: text.slice(ds, ri).trim(),
    ref: text.slice(ri + 6, ai).trim(),
    author: text.slice(ai + 9, headEnd).trim(),
    matches: text.slice(mi + 10).trim(),
  };
}

/** Keys that may trail `PATH: <exe>` in process_info lines (§2.3, §5 item 27). */
const PROCESS_ADDONS = [' IMPLANTED PE: ', ' REPLACED: ', ' PATCHED: ', ' UNREACHABLE: ', ' PARENTID: '];

/**
 * Parses the common `PID: n NAME: n OWNER: o CMD: c PATH: p` block (§2.3) starting at `pidIdx`
 * (index of `PID: `). PATH is anchored at the **last** ` PATH: ` (CMD may contain `PATH: `);
 * known add-on keys after PATH are cut off.
 */
export function parseProcessInfo(msg: string, pidIdx: number, out: FindingBody): void {
  const [pid, pe] = readInt(msg, pidIdx + 5);
  if (pe > pidIdx + 5) out.pid = pid;
  const ni = msg.indexOf(' NAME: ', pe);
  if (ni < 0) return;
  const oi = msg.indexOf(' OWNER: ', ni + 7);
  const ci = msg.indexOf(' CMD: ', oi >= 0 ? oi : ni + 7);
  const nameEnd = oi >= 0 ? oi : ci >= 0 ? ci : msg.length;
  out.processName = msg.slice(ni + 7, nameEnd).trim();
  if (oi >= 0) out.owner = msg.slice(oi + 8, ci >= 0 ? ci : msg.length).trim();
  if (ci < 0) return;
  const pa = msg.lastIndexOf(' PATH: ');
  if (pa > ci) {
    out.commandLine = msg.slice(ci + 6, pa).trim();
    let pathEnd = msg.length;
    for (const k of PROCESS_ADDONS) {
      const a = msg.indexOf(k, pa + 7);
      if (a >= 0 && a < pathEnd) pathEnd = a;
    }
    const p = msg.slice(pa + 7, pathEnd).trim();
    if (p && p !== 'none') out.path = p;
  } else {
    out.commandLine = msg.slice(ci + 6).trim();
  }
  if (!out.path && out.processName) out.path = out.processName;
}

/**
 * Parses connection lines (§2.4): `... PID: n NAME: n COMMAND: c IP: ip PORT: p [DESC: d]` and
 * `Established connection ... LIP: ip LPORT: p RIP: ip RPORT: p`. The remote IP/port goes to
 * `ip`/`port`. IPv6 addresses (with `::`) are fine because values are cut at spaces.
 */
export function parseConnection(msg: string, pidIdx: number, out: FindingBody): string | undefined {
  const [pid, pe] = readInt(msg, pidIdx + 5);
  if (pe > pidIdx + 5) out.pid = pid;
  const ni = msg.indexOf(' NAME: ', pe);
  const ci = msg.indexOf(' COMMAND: ', ni >= 0 ? ni : pe);
  if (ni >= 0) out.processName = msg.slice(ni + 7, ci >= 0 ? ci : msg.length).trim();
  if (ci < 0) return undefined;
  const cs = ci + 10;
  // Remote endpoint: `RIP: ip RPORT: p` (established) or the first ` IP: ip PORT: p`.
  let ipKey = -1;
  let ipLen = 0;
  let portKey = ' PORT: ';
  const rip = findKeyValueKey(msg, ' RIP: ', ' RPORT: ', cs);
  const lip = findKeyValueKey(msg, ' LIP: ', ' LPORT: ', cs);
  const ip = findKeyValueKey(msg, ' IP: ', ' PORT: ', cs);
  if (rip >= 0) {
    ipKey = rip;
    ipLen = 6;
    portKey = ' RPORT: ';
  } else if (ip >= 0) {
    ipKey = ip;
    ipLen = 5;
  }
  const cmdEnd = lip >= 0 ? lip : ipKey >= 0 ? ipKey : msg.length;
  out.commandLine = msg.slice(cs, cmdEnd).trim();
  out.path = out.processName;
  if (ipKey < 0) return undefined;
  const sp = msg.indexOf(' ', ipKey + ipLen);
  out.ip = msg.slice(ipKey + ipLen, sp);
  const pk = msg.indexOf(portKey, sp);
  const [port, pend] = readInt(msg, pk + portKey.length);
  if (pend > pk + portKey.length) out.port = port;
  const di = msg.indexOf(' DESC: ', pend);
  return di >= 0 ? msg.slice(di + 7).trim() : msg.startsWith(' DESC:', pend) ? '' : undefined;
}

/** Index of `k1` (at/after from) where `k1 <value-without-space> k2<digit>` follows. */
function findKeyValueKey(msg: string, k1: string, k2: string, from: number): number {
  let i = msg.indexOf(k1, from);
  while (i >= 0) {
    const sp = msg.indexOf(' ', i + k1.length);
    if (sp > i + k1.length && msg.startsWith(k2, sp) && isDigit(msg, sp + k2.length)) return i;
    i = msg.indexOf(k1, i + 1);
  }
  return -1;
}

/** Known process-anomaly / process-finding prefixes (§2.3) that end before ` PID: `. */
export function processRuleText(msg: string, pidIdx: number): string {
  return msg.slice(0, pidIdx).trim();
}
