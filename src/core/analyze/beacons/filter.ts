/**
 * Which connection records take part in beacon analysis: RITA's subnet filter and a safelist.
 * Reference: shared/docs/rita-beacons.md §1.2 (legacy `filterConnPair`) and §5.1 (v5
 * `config/filter.go`: same rules, `filter_external_to_internal` true, `fd00::/8` internal, `::` and
 * `ff02::2` never included). CIDR matching uses Node's `net.BlockList`.
 */
import { BlockList, isIP } from 'node:net';
import { dottedQuadValueOf } from '../../parse/ipv4';

/** RITA v5 default `internal_subnets`. */
export const DEFAULT_INTERNAL_SUBNETS: readonly string[] = Object.freeze(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fd00::/8']);

/** RITA's mandatory never-included subnets (legacy list plus v5's `::` and `ff02::2`). */
export const NEVER_INCLUDED_SUBNETS: readonly string[] = Object.freeze([
  '0.0.0.0/32',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::1/128',
  'fe80::/10',
  'ff00::/8',
  '::/128',
  'ff02::2/128',
]);

/** Parses `a.b.c.d`, `a.b.c.d/nn`, IPv6 and IPv6/nn into a BlockList entry; undefined if invalid. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const t = text.trim();
  const slash = t.indexOf('/');
  const addr = slash < 0 ? t : t.slice(0, slash);
  const v = isIP(addr);
  if (v === 0) return undefined;
  const family = v === 4 ? 'ipv4' : 'ipv6';
  const max = v === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = t.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
    if (prefix > max) return undefined;
  }
  return { address: addr, prefix, family };
}

/** 8 hextets of an IPv6 address text (already validated by `net.isIP`), or undefined. */
function ipv6Hextets(addr: string): number[] | undefined {
  let a = addr;
  const pct = a.indexOf('%');
  if (pct >= 0) a = a.slice(0, pct);
  const tail: number[] = [];
  const lastColon = a.lastIndexOf(':');
  if (a.indexOf('.', lastColon) > lastColon) {
    const v4 = dottedQuadValueOf(a.slice(lastColon + 1));
    if (v4 < 0) return undefined;
    tail.push(Math.floor(v4 / 65536), v4 % 65536);
    const head = a.slice(0, lastColon + 1);
    a = head.endsWith('::') ? head : a.slice(0, lastColon);
  }
  const want = 8 - tail.length;
  const dbl = a.indexOf('::');
  const parse = (t: string) => (t === '' ? [] : t.split(':').map((h) => parseInt(h, 16)));
  let hex: number[];
  if (dbl >= 0) {
    const head = parse(a.slice(0, dbl));
    const rest = parse(a.slice(dbl + 2));
    hex = [...head, ...new Array<number>(Math.max(0, want - head.length - rest.length)).fill(0), ...rest];
  } else hex = parse(a);
  hex.push(...tail);
  return hex.length === 8 && hex.every((h) => h >= 0 && h <= 0xffff) ? hex : undefined;
}

/**
 * A set of CIDR ranges (IPv4 and IPv6). IPv4 addresses are answered from integer ranges without
 * allocation (the hot path of the beacon filter: one call per record end); IPv6 addresses go to
 * `net.BlockList` with a per-address answer cache. As `net.BlockList` does, an IPv6 range that
 * covers IPv4-mapped addresses (`::ffff:0:0/96`) also matches the IPv4 addresses inside it.
 */
export class CidrSet {
  private readonly list = new BlockList();
  private readonly cache = new Map<string, boolean>();
  /**
   * IPv4 ranges as [first, last] unsigned values; once built, sorted and merged (no two overlap or touch), so that an
   * address is answered by a binary search: a workspace's `internalSubnets` of 20,000 ranges was a scan of all of them
   * for each address of each record (56 µs a record, 10 minutes for 10 million).
   */
  private v4: number[] = [];
  /** An IPv6 range whose IPv4-mapped part could not be worked out: IPv4 goes to the BlockList. */
  private v4Slow = false;
  readonly size: number;
  constructor(cidrs: readonly string[]) {
    let n = 0;
    for (const c of cidrs) {
      const p = parseCidr(c);
      if (!p) continue;
      this.list.addSubnet(p.address, p.prefix, p.family);
      if (p.family === 'ipv4') this.addV4(dottedQuadValueOf(p.address), p.prefix);
      else this.addMapped(p.address, p.prefix);
      n++;
    }
    this.size = n;
    this.v4 = mergeRanges(this.v4);
  }
  private addV4(base: number, prefix: number): void {
    if (base < 0) {
      this.v4Slow = true;
      return;
    }
    const span = 2 ** (32 - prefix);
    const first = base - (base % span);
    this.v4.push(first, first + span - 1);
  }
  /** The IPv4 addresses an IPv6 range covers through the IPv4-mapped block ::ffff:0:0/96. */
  private addMapped(addr: string, prefix: number): void {
    const h = ipv6Hextets(addr);
    if (!h) {
      this.v4Slow = true;
      return;
    }
    const mapped = [0, 0, 0, 0, 0, 0xffff];
    const bits = Math.min(prefix, 96);
    for (let i = 0; i < 6 && i * 16 < bits; i++) {
      const take = Math.min(16, bits - i * 16);
      const mask = (0xffff << (16 - take)) & 0xffff;
      if ((h[i] & mask) !== (mapped[i] & mask)) return; // disjoint from the IPv4-mapped block
    }
    if (prefix <= 96) this.v4.push(0, 0xffffffff);
    else this.addV4(h[6] * 65536 + h[7], prefix - 96);
  }
  /** True when {@link hasV4} answers for every IPv4 address (no range had to go to the BlockList). */
  get v4Fast(): boolean {
    return !this.v4Slow;
  }

  /** {@link has} of an IPv4 address given as its 32-bit value (0 … 2³² − 1); only when {@link v4Fast}. */
  hasV4(v: number): boolean {
    return inRanges(this.v4, v);
  }

  has(ip: string): boolean {
    if (this.size === 0) return false;
    if (!this.v4Slow) {
      const v = dottedQuadValueOf(ip);
      if (v >= 0) return inRanges(this.v4, v);
    }
    let r = this.cache.get(ip);
    if (r === undefined) {
      const v = isIP(ip);
      r = v === 0 ? false : this.list.check(ip, v === 4 ? 'ipv4' : 'ipv6');
      if (this.cache.size > 200_000) this.cache.clear();
      this.cache.set(ip, r);
    }
    return r;
  }
}

// ------------------------------------------------------------------------------------ safelist

/** `[first, last, first, last, …]` ranges sorted by start with overlapping and adjacent ones merged. */
function mergeRanges(r: readonly number[]): number[] {
  const idx = Array.from({ length: r.length / 2 }, (_, i) => 2 * i).sort((a, b) => r[a] - r[b] || r[a + 1] - r[b + 1]);
  const out: number[] = [];
  for (const i of idx) {
    const n = out.length;
    if (n && r[i] <= out[n - 1] + 1) out[n - 1] = Math.max(out[n - 1], r[i + 1]);
    else out.push(r[i], r[i + 1]);
  }
  return out;
}

/** Whether `v` is in one of the sorted, disjoint ranges `r` ({@link mergeRanges}): a binary search. */
function inRanges(r: readonly number[], v: number): boolean {
  let lo = 0;
  let hi = r.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (v < r[2 * mid]) hi = mid - 1;
    else if (v > r[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** One side of a safelist rule: an IP/CIDR range, an FQDN pattern (`*` wildcard) or anything (`*`). */
type Matcher = { kind: 'any' } | { kind: 'cidr'; set: CidrSet } | { kind: 'fqdn'; glob: string[] };

export interface SafelistRule {
  /** The entry as written. */
  text: string;
  /** Undefined: the rule matches either side (plain IP/CIDR/FQDN entry). */
  src?: Matcher;
  dst?: Matcher;
  /** Plain entries match the source or the destination/FQDN. */
  either?: Matcher;
}

/** Parsed safelist and the entries that could not be read. */
export interface Safelist {
  rules: SafelistRule[];
  invalid: string[];
}

/** Separators accepted between source and destination in a pair entry. */
const PAIR_SEP = /\s*(?:->|→|=>|>)\s*/;

/** Characters of a host name as the safelist reads it (lower case); `*` stands for any run of them. */
const FQDN_CHARS = /^[a-z0-9_.-]*$/;

/**
 * An FQDN safelist pattern as its literal pieces between `*`s (`*.cdn.*.net` → `['', '.cdn.', '.net']`), or undefined
 * when it is no host-name pattern. Matched by {@link globMatch}, never as a regular expression: `*akamai*` or `*a*b.com`
 * compiled to `^[a-z0-9_.-]*a[a-z0-9_.-]*b\.com$` backtracked over a long host name (quadratic, cubic with three `*`s):
 * a 20,000-character SNI took a second per record, and every record is checked.
 */
function fqdnGlob(pattern: string): string[] | undefined {
  const p = pattern.trim().toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9*_.-]+$/.test(p) || !/[a-z0-9]/.test(p)) return undefined;
  // digits and dots only is a mistyped address (300.1.1.1, 10.1.1), never a host name (no numeric TLD)
  if (/^[0-9.]+$/.test(p)) return undefined;
  return p.split('*');
}

/**
 * Whether `name` (lower case) is `glob`'s pieces with any run of host-name characters between them: the first piece a
 * prefix, the last a suffix, the ones between found in order, each at its leftmost place after the previous (leftmost
 * is never worse for what follows). Linear in the name's length for a given pattern: `indexOf` per piece, no
 * backtracking. A name with a character outside `[a-z0-9_.-]` never matches (as the `*` never covered one).
 */
export function globMatch(glob: readonly string[], name: string): boolean {
  if (!FQDN_CHARS.test(name)) return false;
  const first = glob[0];
  if (glob.length === 1) return name === first;
  const last = glob[glob.length - 1];
  if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < glob.length - 1; i++) {
    const piece = glob[i];
    if (piece === '') continue;
    const j = name.indexOf(piece, at);
    if (j < 0 || j + piece.length > end) return false;
    at = j + piece.length;
  }
  return true;
}

function matcher(text: string): Matcher | undefined {
  const t = text.trim();
  if (t === '*' || t === 'any') return { kind: 'any' };
  if (parseCidr(t)) return { kind: 'cidr', set: new CidrSet([t]) };
  const glob = fqdnGlob(t);
  return glob ? { kind: 'fqdn', glob } : undefined;
}

/**
 * Parses safelist entries: `10.1.2.3`, `10.0.0.0/8`, `2001:db8::/32` (source or destination),
 * `example.com`, `*.example.com` (FQDN of an SNI/Host beacon, `*` = any characters, case-
 * insensitive), and pairs `src -> dst` (also `→`, `=>`, `>`) whose sides are any of those or `*`.
 * Unreadable entries go to `invalid`. Never throws.
 */
export function parseSafelist(entries: readonly string[] | undefined): Safelist {
  const rules: SafelistRule[] = [];
  const invalid: string[] = [];
  for (const raw of entries ?? []) {
    const text = String(raw ?? '').trim();
    if (!text || text.startsWith('#')) continue;
    const parts = text.split(PAIR_SEP);
    if (parts.length === 2) {
      const src = matcher(parts[0]);
      const dst = matcher(parts[1]);
      if (src && dst) rules.push({ text, src, dst });
      else invalid.push(text);
    } else if (parts.length === 1) {
      const m = matcher(text);
      if (m && m.kind !== 'any') rules.push({ text, either: m });
      else invalid.push(text);
    } else invalid.push(text);
  }
  return { rules, invalid };
}

function test(m: Matcher, ip: string | undefined, fqdn: string | undefined): boolean {
  switch (m.kind) {
    case 'any':
      return true;
    case 'cidr':
      return ip !== undefined && ip !== '' && m.set.has(ip);
    case 'fqdn':
      return fqdn !== undefined && fqdn !== '' && globMatch(m.glob, fqdn.toLowerCase());
  }
}

/**
 * True when a connection src → dst (IP) with optional FQDN is safelisted. A plain entry matches
 * the source IP, the destination IP or the FQDN; a pair entry needs its source side to match the
 * source IP and its destination side to match the destination IP or the FQDN.
 */
export function isSafelisted(list: Safelist, src: string, dst: string | undefined, fqdn?: string): boolean {
  for (const r of list.rules) {
    if (r.either) {
      if (test(r.either, src, undefined) || test(r.either, dst, fqdn)) return true;
    } else if (r.src && r.dst) {
      if (test(r.src, src, undefined) && test(r.dst, dst, fqdn)) return true;
    }
  }
  return false;
}

/** The safelist entry for "Safelist this pair": `src -> dst` (the FQDN for SNI beacons). */
export function safelistEntryFor(src: string, dstOrFqdn: string): string {
  return `${src} -> ${dstOrFqdn}`;
}

// ------------------------------------------------------------------------------------ subnet filter

/** Why a record was left out (counted in the analysis summary). */
export type FilterReason = 'never-included' | 'both-internal' | 'both-external' | 'external-to-internal' | 'safelisted' | 'implausible-time';

/** How each {@link FilterReason} is shown in the dashboard and the CLI report (RITA's filtering rules, §4). */
export const FILTER_REASON_LABEL: Record<FilterReason, string> = {
  'never-included': 'never-included address (RITA: loopback, link-local, multicast, broadcast…)',
  'both-internal': 'internal ↔ internal',
  'both-external': 'external ↔ external',
  'external-to-internal': 'external → internal (inbound)',
  safelisted: 'safelisted',
  'implausible-time': 'time before 1990 or after now (+1 day): it would move the observation window',
};

/** `"31317 external ↔ external, 49 internal ↔ internal"`: the non-zero counts of `filtered`, largest first. */
export function filteredBreakdown(filtered: Partial<Record<FilterReason, number>>): string {
  return (Object.entries(filtered) as [FilterReason, number | undefined][])
    .filter(([, n]) => (n ?? 0) > 0)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))
    .map(([k, n]) => `${(n ?? 0).toLocaleString('en-US')} ${FILTER_REASON_LABEL[k] ?? k}`)
    .join(', ');
}

export interface SubnetFilterOptions {
  /** Internal subnets (CIDR). Empty: every pair is kept (RITA rule 3). */
  internalSubnets: readonly string[];
  /** Subnets always kept (RITA `always_included_subnets`). */
  alwaysIncluded?: readonly string[];
  /** Drop external → internal connections (RITA default true since v4.6). */
  filterExternalToInternal: boolean;
  safelist?: Safelist;
}

/**
 * RITA's `filterConnPair` (§1.2, §5.1), in order: either IP always-included → keep; either IP in
 * the never-include list or the safelist → drop; no internal subnets → keep; both internal or both
 * external → drop; external → internal dropped when `filterExternalToInternal`; else keep.
 * Returns undefined (keep) or the reason the record is dropped. `fqdn` only matters for the safelist.
 */
export class SubnetFilter {
  private readonly internal: CidrSet;
  private readonly always: CidrSet;
  private readonly never = new CidrSet(NEVER_INCLUDED_SUBNETS);
  private readonly safelist: Safelist;
  private readonly noInternal: boolean;
  constructor(private readonly opts: SubnetFilterOptions) {
    this.internal = new CidrSet(opts.internalSubnets);
    this.noInternal = this.internal.size === 0;
    this.always = new CidrSet(opts.alwaysIncluded ?? []);
    this.safelist = opts.safelist ?? { rules: [], invalid: [] };
  }

  /**
   * True when {@link checkV4} may be used: every range set answers IPv4 by value and there is no
   * safelist (its rules match texts).
   */
  get v4Fast(): boolean {
    return this.internal.v4Fast && this.always.v4Fast && this.never.v4Fast && this.safelist.rules.length === 0;
  }

  /**
   * {@link check} of two IPv4 addresses given as their 32-bit values (0 … 2³² − 1), without FQDN:
   * the same answer as `check` of their dotted quads, without reading a text. Only when {@link v4Fast}.
   */
  checkV4(src: number, dst: number): FilterReason | undefined {
    if (this.always.size && (this.always.hasV4(src) || this.always.hasV4(dst))) return undefined;
    if (this.never.hasV4(src) || this.never.hasV4(dst)) return 'never-included';
    if (this.noInternal) return undefined;
    const si = this.internal.hasV4(src);
    const di = this.internal.hasV4(dst);
    if (si && di) return 'both-internal';
    if (!si && !di) return 'both-external';
    if (this.opts.filterExternalToInternal && !si && di) return 'external-to-internal';
    return undefined;
  }

  check(src: string, dst: string, fqdn?: string): FilterReason | undefined {
    if (this.always.size && (this.always.has(src) || this.always.has(dst))) return undefined;
    if (this.never.has(src) || this.never.has(dst)) return 'never-included';
    if (this.safelist.rules.length && isSafelisted(this.safelist, src, dst, fqdn)) return 'safelisted';
    if (this.noInternal) return undefined;
    const si = this.internal.has(src);
    const di = this.internal.has(dst);
    if (si && di) return 'both-internal';
    if (!si && !di) return 'both-external';
    if (this.opts.filterExternalToInternal && !si && di) return 'external-to-internal';
    return undefined;
  }
}
