/**
 * Times in the display zone without luxon, for the webview (its bundle carries no time-zone library): the dashboards'
 * zoom chip says `From 2021-10-25 00:00 to 2021-10-26 00:00 (UTC+05:30)`. The same wall time as core/time.ts
 * `formatTime` (unit-tested against it), read from the platform's `Intl` (its ICU time-zone data).
 */

/** A fixed offset as the dashboards name it (core/time.ts fixedOffsetZone): `UTC+3`, `UTC-05:30`. */
const FIXED = /^UTC([+-])(\d{1,2})(?::(\d{2}))?$/;

const formats = new Map<string, Intl.DateTimeFormat | null>();

/** The zone's formatter (cached), or null when the platform does not know the zone. */
function formatter(zone: string): Intl.DateTimeFormat | null {
  let f = formats.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch {
      f = null;
    }
    if (formats.size > 64) formats.clear();
    formats.set(zone, f);
  }
  return f;
}

/** 0001-01-01T00:00:00Z, epoch ms. */
const YEAR_1_MS = -62_135_596_800_000;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * Epoch ms UTC as `yyyy-MM-dd HH:mm` in `zone` (`UTC`, an IANA name, or a fixed offset `UTC+3` / `UTC-05:30`), with
 * `:ss` when the seconds are not zero. `zone` is the zone the text is in: the given one, or `UTC` when the platform
 * does not know it (the caller names that zone beside the text). `''` for a time that is not a finite number or
 * outside the years 1–9999 (in `zone`).
 */
export function zoneTimeText(ms: number, zone: string): { text: string; zone: string } {
  // (before the year 1 Intl counts years of the era backwards: not shown)
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < YEAR_1_MS) return { text: '', zone };
  const fixed = FIXED.exec(zone);
  let parts: number[] | undefined;
  let used = zone;
  if (zone === 'UTC' || fixed) {
    const off = fixed ? (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) : 0;
    const d = new Date(ms + off * 60_000);
    parts = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  } else {
    const f = formatter(zone) ?? ((used = 'UTC'), formatter('UTC'));
    const by: Record<string, number> = {};
    for (const p of f!.formatToParts(ms)) if (p.type !== 'literal') by[p.type] = Number(p.value);
    parts = [by.year, by.month, by.day, by.hour % 24, by.minute, by.second];
  }
  const [y, mo, d, h, mi, s] = parts;
  if (!(y >= 1 && y <= 9999) || parts.some((x) => !Number.isFinite(x))) return { text: '', zone: used };
  return { text: `${pad(y, 4)}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}${s ? `:${pad(s)}` : ''}`, zone: used };
}
