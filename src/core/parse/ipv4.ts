/**
 * Dotted-quad IPv4 texts → 32-bit values, in the one form `net.isIP` accepts (four decimal parts
 * 0–255 without leading zeros, so one text per value). Used by the Zeek reader's address table and
 * the beacon subnet filter. Pure.
 */
import { isIP } from 'node:net';

/**
 * Value (0 … 2³² − 1) of `buf[a, b)` when it is a dotted-quad IPv4 address in the form `net.isIP`
 * accepts (four decimal parts 0–255 without leading zeros, so one text per value), else -1.
 */
export function dottedQuadValue(buf: Uint8Array, a: number, b: number): number {
  const n = b - a;
  if (n < 7 || n > 15) return -1;
  let v = 0;
  let oct = 0;
  let digits = 0;
  let parts = 0;
  let lead0 = false;
  for (let i = a; i <= b; i++) {
    const c = i < b ? buf[i] : 46;
    if (c === 46) {
      if (digits === 0 || oct > 255 || (lead0 && digits > 1)) return -1;
      v = v * 256 + oct;
      parts++;
      oct = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return -1;
    if (digits === 0) lead0 = c === 48;
    oct = oct * 10 + (c - 48);
    if (++digits > 3) return -1;
  }
  return parts === 4 ? v : -1;
}

const scratch = new Uint8Array(15);

/** {@link dottedQuadValue} of a string: its value, or -1 when `s` is not such an IPv4 text. */
export function dottedQuadValueOf(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return -1;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c > 57) return -1; // not a digit or '.' (and never cut to a byte)
    scratch[k] = c;
  }
  return dottedQuadValue(scratch, 0, n);
}

/**
 * One text per IPv6 address, for keying connection pairs: `s` when it holds no `:` (IPv4, a host name) or is no IPv6
 * address; else the RFC 5952 form — lower case, no leading zeros, the longest run of two or more zero groups as `::`
 * (the first on a tie) — with an IPv4-mapped address (`::ffff:10.1.1.5`, `::FFFF:0a01:0105`) written as its IPv4
 * dotted quad. A zone id (`fe80::1%eth0`) is kept as written, after the address part (a mapped address with a zone
 * stays IPv6). A firewall export's `::ffff:10.1.1.5` and Zeek's `10.1.1.5` were two hosts, as were `2001:DB8::1` and
 * `2001:db8:0:0:0:0:0:1`: one beacon split into pairs of fewer connections each.
 */
export function canonicalAddress(s: string): string {
  if (s.indexOf(':') < 0) return s;
  const pct = s.indexOf('%');
  const addr = pct < 0 ? s : s.slice(0, pct);
  const zone = pct < 0 ? '' : s.slice(pct);
  const groups = isIP(addr) === 6 ? ipv6Groups(addr) : undefined;
  if (!groups) return s;
  if (zone === '' && groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  }
  // the longest run of zero groups (at least two), the first on a tie
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (g: number[]) => g.map((x) => x.toString(16)).join(':');
  const text = best < 0 ? hex(groups) : `${hex(groups.slice(0, best))}::${hex(groups.slice(best + bestLen))}`;
  return text + zone;
}

/** The eight 16-bit groups of IPv6 text `s` (no zone; an IPv4 dotted quad as its last 32 bits allowed), else undefined. */
function ipv6Groups(s: string): number[] | undefined {
  const dbl = s.indexOf('::');
  if (dbl >= 0 && s.indexOf('::', dbl + 1) >= 0) return undefined;
  const parse = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (k === items.length - 1 && it.indexOf('.') >= 0) {
        const v = dottedQuadValueOf(it);
        if (v < 0) return undefined;
        out.push(Math.floor(v / 65536), v % 65536);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return undefined;
      out.push(parseInt(it, 16));
    }
    return out;
  };
  if (dbl < 0) {
    const g = parse(s);
    return g && g.length === 8 ? g : undefined;
  }
  const head = parse(s.slice(0, dbl));
  const tail = parse(s.slice(dbl + 2));
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...Array(8 - head.length - tail.length).fill(0), ...tail];
}
