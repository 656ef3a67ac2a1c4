/**
 * Time helpers on luxon. All inputs are epoch milliseconds, UTC (the unit used everywhere in
 * `src/core`); a display zone is applied only here, at the UI/CLI edge. OWNER: analytics helper.
 */
import { DateTime, IANAZone } from 'luxon';

/** The system's IANA zone name (e.g. `Europe/Berlin`), `UTC` if it cannot be determined. */
export function systemZone(): string {
  let z: string | undefined;
  try {
    z = new Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    z = undefined;
  }
  return z && IANAZone.isValidZone(z) ? z : 'UTC';
}

/** True when `setting` names a usable zone (`UTC`, `local`, or a valid IANA name). */
export function isValidZoneSetting(setting: string): boolean {
  const s = (setting ?? '').trim();
  if (s === '') return false;
  const l = s.toLowerCase();
  if (l === 'utc' || l === 'local' || l === 'system') return true;
  return IANAZone.isValidZone(s);
}

/**
 * Resolves a display-zone setting to a valid IANA zone name.
 * - `UTC` (any case), empty or invalid names → `'UTC'`;
 * - `local` / `system` → the system zone name (see {@link systemZone});
 * - a valid IANA name (e.g. `Europe/Berlin`, `America/New_York`) → returned as given.
 * Never throws.
 */
export function resolveZone(setting: string): string {
  const s = (setting ?? '').trim();
  const l = s.toLowerCase();
  if (l === '' || l === 'utc' || l === 'z' || l === 'gmt') return 'UTC';
  if (l === 'local' || l === 'system') return systemZone();
  return IANAZone.isValidZone(s) ? s : 'UTC';
}

function valid(ms: number | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** Zone offsets (minutes) cached per zone and per 15-minute UTC block (offsets only change on such blocks). */
const offsetCache = new Map<string, Map<number, number>>();
const BLOCK_MS = 15 * 60 * 1000;

function zoneOffsetMinutes(ms: number, zone: string): number | undefined {
  if (zone === 'UTC') return 0;
  let perZone = offsetCache.get(zone);
  if (!perZone) {
    if (!IANAZone.isValidZone(zone)) return undefined;
    perZone = new Map();
    offsetCache.set(zone, perZone);
  }
  const block = Math.floor(ms / BLOCK_MS);
  let off = perZone.get(block);
  if (off === undefined) {
    const dt = DateTime.fromMillis(block * BLOCK_MS, { zone });
    if (!dt.isValid) return undefined;
    off = dt.offset;
    if (perZone.size > 100_000) perZone.clear();
    perZone.set(block, off);
  }
  return off;
}

/**
 * Formats epoch ms UTC as `yyyy-MM-dd HH:mm:ss` in `zone` (an IANA name or `UTC`; invalid → UTC).
 * Returns `''` for `undefined`, NaN or ±Infinity. Fast enough for a million cells: the zone offset
 * comes from luxon once per zone and 15-minute block, the text is built by hand.
 */
export function formatTime(ms: number | undefined, zone: string): string {
  if (!valid(ms)) return '';
  const off = zoneOffsetMinutes(ms, zone) ?? 0;
  const d = new Date(ms + off * 60_000);
  const y = d.getUTCFullYear();
  if (Number.isNaN(y)) return '';
  if (y < 0 || y > 9999) return DateTime.fromMillis(ms, { zone: off === 0 && zone !== 'UTC' ? 'UTC' : zone }).toFormat('yyyy-MM-dd HH:mm:ss');
  return (
    String(y).padStart(4, '0') +
    '-' +
    pad2(d.getUTCMonth() + 1) +
    '-' +
    pad2(d.getUTCDate()) +
    ' ' +
    pad2(d.getUTCHours()) +
    ':' +
    pad2(d.getUTCMinutes()) +
    ':' +
    pad2(d.getUTCSeconds())
  );
}

/**
 * ISO 8601 in UTC with a `Z` suffix, e.g. `2021-10-13T21:59:33Z`; milliseconds are written only
 * when non-zero (`2021-10-13T21:59:33.250Z`). Returns `''` for `undefined`, NaN or ±Infinity.
 */
export function isoUtc(ms: number | undefined): string {
  if (!valid(ms)) return '';
  const dt = DateTime.fromMillis(ms, { zone: 'UTC' });
  if (!dt.isValid) return '';
  return dt.toISO({ suppressMilliseconds: true, includeOffset: true })!.replace(/\+00:00$/, 'Z');
}

/**
 * `isoUtc(ms) || null` with a per-day memo: the `YYYY-MM-DDT` prefix is formatted by `isoUtc` once per UTC
 * day and the time of day appended by hand (`HH:MM:SS`, `.mmm` only when non-zero, `Z`), which is
 * what {@link isoUtc} writes for integer epoch ms in years 0000-9999. Anything else (non-integer ms, a
 * prefix of another shape) is formatted by `isoUtc`. Returns a function `(ms) => string | null`.
 */
export function isoUtcCached(): (ms: number | undefined) => string | null {
  let day0 = NaN; // epoch ms of the cached day's midnight
  let prefix = '';
  const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
  return (ms) => {
    if (ms === undefined || !Number.isInteger(ms)) return isoUtc(ms) || null;
    let t = ms - day0;
    if (!(t >= 0 && t < 86_400_000)) {
      const d = ms - (((ms % 86_400_000) + 86_400_000) % 86_400_000);
      const full = isoUtc(d);
      if (!/^\d{4}-\d{2}-\d{2}T00:00:00Z$/.test(full)) return isoUtc(ms) || null;
      day0 = d;
      prefix = full.slice(0, 11);
      t = ms - d;
    }
    const msec = t % 1000;
    const sec = (t - msec) / 1000;
    const text = prefix + p2(Math.floor(sec / 3600)) + ':' + p2(Math.floor(sec / 60) % 60) + ':' + p2(sec % 60);
    return msec === 0 ? text + 'Z' : text + '.' + (msec < 10 ? '00' : msec < 100 ? '0' : '') + msec + 'Z';
  };
}
