/**
 * Dotted-quad IPv4 texts → 32-bit values, in the one form `net.isIP` accepts (four decimal parts
 * 0–255 without leading zeros, so one text per value). Used by the Zeek reader's address table and
 * the beacon subnet filter. Pure.
 */

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
