/**
 * Time helpers on luxon. All inputs are epoch milliseconds, UTC (the unit used everywhere in
 * `src/core`); a display zone is applied only here, at the UI/CLI edge. OWNER: analytics helper.
 */
import { DateTime, IANAZone } from 'luxon';
import { lookupTable } from './lookup';

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

/** What a zone setting or option accepts, for messages and input boxes. */
export const ZONE_HINT = 'UTC, local, an IANA zone such as Europe/Paris, or a fixed offset such as UTC+3 or UTC-05:30';

/**
 * IANA zones the tz database names but ICU's canonical list (`Intl.supportedValuesOf`) spells otherwise (it keeps
 * the older link names, e.g. Asia/Calcutta for Asia/Kolkata): their correct spelling for case-insensitive input.
 */
const TZDB_NAMES = [
  'Africa/Asmara', 'America/Argentina/Buenos_Aires', 'America/Argentina/Catamarca', 'America/Argentina/Cordoba',
  'America/Argentina/Jujuy', 'America/Argentina/Mendoza', 'America/Atikokan', 'America/Indiana/Indianapolis',
  'America/Kentucky/Louisville', 'America/Nuuk', 'Asia/Ho_Chi_Minh', 'Asia/Kathmandu', 'Asia/Kolkata', 'Asia/Yangon',
  'Atlantic/Faroe', 'Europe/Kyiv', 'Pacific/Chuuk', 'Pacific/Kanton', 'Pacific/Pohnpei', 'Etc/UTC', 'Etc/GMT',
  'CET', 'EET', 'MET', 'WET', 'EST', 'HST', 'MST', 'CST6CDT', 'EST5EDT', 'MST7MDT', 'PST8PDT',
];
let spellings: Map<string, string> | undefined;

/** Lower-case name → spelling, from ICU's list plus {@link TZDB_NAMES} (built once). */
function zoneSpellings(): Map<string, string> {
  if (!spellings) {
    spellings = new Map();
    let icu: string[] = [];
    try {
      icu = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    } catch {
      icu = [];
    }
    for (const z of [...icu, ...TZDB_NAMES]) spellings.set(z.toLowerCase(), z);
  }
  return spellings;
}

/**
 * A fixed offset written `UTC+3`, `UTC-5`, `UTC+05:30`, `UTC-0530` (sign required; not `GMT+3`, which POSIX reads as UTC-3; at most 14:00, minutes
 * below 60) in canonical form: `UTC+3` for whole hours, `UTC+05:30` otherwise, `UTC` for a zero offset (luxon reads
 * both forms). Undefined when `s` is not such an offset.
 */
export function fixedOffsetZone(s: string): string | undefined {
  // hours (1–2 digits), hours:minutes, or hhmm (4 digits): `UTC+003` is none of them, not 00:03
  const m = /^utc\s*([+-])\s*(?:(\d{1,2})(?::(\d{2}))?|(\d{2})(\d{2}))$/i.exec(s.trim());
  if (!m) return undefined;
  const h = Number(m[2] ?? m[4]);
  const min = m[3] !== undefined ? Number(m[3]) : m[5] !== undefined ? Number(m[5]) : 0;
  if (min > 59 || h * 60 + min > 14 * 60) return undefined;
  if (h === 0 && min === 0) return 'UTC';
  return `UTC${m[1]}${min ? `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}` : h}`;
}

/**
 * Time-zone abbreviations and informal names people type for a zone (lower case, a space written `_`) → the IANA
 * zones they usually mean, most likely first. ICU reads several abbreviations as a zone (its old Java aliases and the
 * tz database's legacy names), often not the one meant: `AST` → America/Anchorage (a Gulf SOC means Arabia, UTC+3),
 * `BST` → Asia/Dhaka, `IST` → Asia/Kolkata, `EST` → a fixed UTC−5 without daylight saving time.
 */
// No prototype: a zone named `constructor` or `__proto__` (a setting, a CLI option) must find nothing here.
const ZONE_ALIASES: Readonly<Record<string, string[]>> = lookupTable({
  est: ['America/New_York'], edt: ['America/New_York'], eastern: ['America/New_York'],
  cst: ['America/Chicago', 'Asia/Shanghai'], cdt: ['America/Chicago'], central: ['America/Chicago'],
  mst: ['America/Denver', 'America/Phoenix'], mdt: ['America/Denver'], mountain: ['America/Denver', 'America/Phoenix'],
  pst: ['America/Los_Angeles'], pdt: ['America/Los_Angeles'], pacific: ['America/Los_Angeles'],
  akst: ['America/Anchorage'], akdt: ['America/Anchorage'], hst: ['Pacific/Honolulu'],
  ast: ['Asia/Riyadh', 'America/Halifax'], adt: ['America/Halifax'], nst: ['America/St_Johns'],
  bst: ['Europe/London', 'Asia/Dhaka'], ist: ['Asia/Kolkata', 'Asia/Jerusalem', 'Europe/Dublin'], idt: ['Asia/Jerusalem'],
  cest: ['Europe/Berlin', 'Europe/Paris'], eest: ['Europe/Athens', 'Europe/Helsinki'], west: ['Europe/Lisbon'],
  msk: ['Europe/Moscow'], trt: ['Europe/Istanbul'], gst: ['Asia/Dubai'], irst: ['Asia/Tehran'], pkt: ['Asia/Karachi'],
  sast: ['Africa/Johannesburg'], cat: ['Africa/Maputo'], eat: ['Africa/Nairobi'], wat: ['Africa/Lagos'],
  ict: ['Asia/Bangkok'], wib: ['Asia/Jakarta'], pht: ['Asia/Manila'], sgt: ['Asia/Singapore'], sst: ['Asia/Singapore'],
  hkt: ['Asia/Hong_Kong'], jst: ['Asia/Tokyo'], kst: ['Asia/Seoul'],
  aest: ['Australia/Sydney', 'Australia/Brisbane'], aedt: ['Australia/Sydney'], acst: ['Australia/Adelaide', 'Australia/Darwin'],
  acdt: ['Australia/Adelaide'], awst: ['Australia/Perth'], nzst: ['Pacific/Auckland'], nzdt: ['Pacific/Auckland'],
  brt: ['America/Sao_Paulo'], art: ['America/Argentina/Buenos_Aires'],
  mumbai: ['Asia/Kolkata'], bombay: ['Asia/Kolkata'], delhi: ['Asia/Kolkata'], new_delhi: ['Asia/Kolkata'],
  beijing: ['Asia/Shanghai'], washington: ['America/New_York'], abu_dhabi: ['Asia/Dubai'],
});

/**
 * Letters-only names of 2–5 letters that are zones and no abbreviation a zone is read differently from: the tz
 * database's `CET`, `EET`, `WET`, `MET` (they follow the EU's daylight saving rules, as their users mean) and the
 * country names and links (`Japan`, `GB`, `PRC`, …), each one zone.
 */
const KEPT_SHORT_NAMES = new Set(['cet', 'eet', 'wet', 'met', 'gb', 'nz', 'prc', 'roc', 'rok', 'uct', 'zulu', 'cuba', 'egypt', 'eire', 'iran', 'japan', 'libya']);

/**
 * The tz database's legacy zone names that are fixed offsets without daylight saving time (lower case) → the offset
 * and the regional zone people usually mean, in words. They are valid IANA zones and accepted, with
 * {@link legacyFixedZoneNote}.
 */
// No prototype (as ZONE_ALIASES).
const LEGACY_FIXED_ZONES: Readonly<Record<string, { name: string; offset: string; regional: string; means: string }>> = lookupTable({
  est: { name: 'EST', offset: 'UTC-5', regional: 'America/New_York', means: 'US Eastern time (UTC-5 in winter, UTC-4 in summer)' },
  mst: { name: 'MST', offset: 'UTC-7', regional: 'America/Denver', means: 'US Mountain time (UTC-7 in winter, UTC-6 in summer; Arizona without DST: America/Phoenix)' },
  hst: { name: 'HST', offset: 'UTC-10', regional: 'Pacific/Honolulu', means: 'Hawaii time (also UTC-10 all year, under its regional name)' },
});

/**
 * The note on a zone name that is one of the tz database's legacy fixed offsets `EST`, `MST`, `HST` (any case; valid
 * IANA zones, accepted): `EST is a fixed offset, UTC-5 all year with no daylight saving time; for US Eastern time
 * (UTC-5 in winter, UTC-4 in summer) use America/New_York`. Undefined for any other name.
 */
export function legacyFixedZoneNote(name: string): string | undefined {
  const z = LEGACY_FIXED_ZONES[(name ?? '').trim().toLowerCase()];
  if (!z) return undefined;
  return `${z.name} is a fixed offset, ${z.offset} all year with no daylight saving time; for ${z.means} use ${z.regional}`;
}

/**
 * The zones a time-zone abbreviation usually means when `name` is one, else undefined. An abbreviation is 2–5
 * letters (not `UTC`, `GMT`, `Z` nor a name of {@link KEPT_SHORT_NAMES}) that ICU reads as a zone (`AST`, `EST`, `CTT`)
 * or that {@link ZONE_ALIASES} lists (`CEST`, `MSK`); [] when it is one ICU reads but the table does not list. The
 * tz database's fixed offsets `EST`, `MST`, `HST` are zones, not abbreviations here ({@link legacyFixedZoneNote}).
 * Such a name is refused as a zone: `AST` → [`Asia/Riyadh`, `America/Halifax`].
 */
export function zoneAbbreviation(name: string): string[] | undefined {
  const s = (name ?? '').trim();
  if (!/^[A-Za-z]{2,5}$/.test(s)) return undefined;
  const l = s.toLowerCase();
  if (l === 'utc' || l === 'gmt' || l === 'z' || KEPT_SHORT_NAMES.has(l) || LEGACY_FIXED_ZONES[l]) return undefined;
  const meant = ZONE_ALIASES[l];
  if (meant) return [...meant];
  return IANAZone.isValidZone(s) ? [] : undefined;
}

/**
 * The zones a zone picker offers instead of `name` when it must not take `name` as typed, else undefined: a time-zone
 * abbreviation ({@link zoneAbbreviation}: `AST` → [`Asia/Riyadh`, `America/Halifax`], `ist` → [`Asia/Kolkata`,
 * `Asia/Jerusalem`, `Europe/Dublin`]; [] for one ICU reads that the table does not list, such as `CTT`) or one of the
 * tz database's fixed offsets `EST`, `MST`, `HST` (valid zones, accepted in settings and options with
 * {@link legacyFixedZoneNote}, but never offered: `EST` → [`America/New_York`], `MST` → [`America/Denver`,
 * `America/Phoenix`], `HST` → [`Pacific/Honolulu`]). The zones come from the one abbreviation table the CLI's
 * messages use, most likely first.
 */
export function pickerAbbreviation(name: string): string[] | undefined {
  const abbr = zoneAbbreviation(name);
  if (abbr) return abbr;
  const l = (name ?? '').trim().toLowerCase();
  const fixed = LEGACY_FIXED_ZONES[l];
  return fixed ? [...(ZONE_ALIASES[l] ?? [fixed.regional])] : undefined;
}

/**
 * Why a zone picker does not take `name` as typed ({@link pickerAbbreviation}), a sentence; undefined otherwise:
 * `“AST” is a time-zone abbreviation several zones share, …; use an IANA zone: Asia/Riyadh (UTC+3 now) or
 * America/Halifax (UTC-4 now)` ({@link zoneAbbreviationProblem}, offsets at `ms`), `EST is a fixed offset, UTC-5 all
 * year with no daylight saving time; for US Eastern time (…) use America/New_York` ({@link legacyFixedZoneNote}).
 */
export function pickerAbbreviationProblem(name: string, ms = Date.now()): string | undefined {
  const abbr = zoneAbbreviationProblem(name, ms);
  if (abbr) return `“${(name ?? '').trim()}” is ${abbr}`;
  return legacyFixedZoneNote(name);
}

/** `UTC+3`, `UTC-4`, `UTC+05:30`, `UTC` for the offset `zone` has at `ms` (epoch ms UTC; default now). */
export function zoneOffsetLabel(zone: string, ms = Date.now()): string {
  const off = zoneOffsetMinutes(ms, zone) ?? 0;
  if (off === 0) return 'UTC';
  const a = Math.abs(off);
  return `UTC${off < 0 ? '-' : '+'}${a % 60 ? `${pad2(Math.floor(a / 60))}:${pad2(a % 60)}` : a / 60}`;
}

/**
 * Why `name` is refused when it is a time-zone abbreviation (see {@link zoneAbbreviation}), for messages after
 * `"AST" is `; undefined otherwise: `a time-zone abbreviation several zones share, which software may read as a zone
 * you do not mean; use an IANA zone: Asia/Riyadh (UTC+3 now) or America/Halifax (UTC-4 now)` (offsets at `ms`).
 */
export function zoneAbbreviationProblem(name: string, ms = Date.now()): string | undefined {
  const meant = zoneAbbreviation(name);
  if (!meant) return undefined;
  const zones = meant.map((z) => `${z} (${zoneOffsetLabel(z, ms)} now)`);
  const use = zones.length === 0 ? `use ${ZONE_HINT}` : zones.length === 1 ? `use the IANA zone ${zones[0]}` : `use an IANA zone: ${zones.slice(0, -1).join(', ')} or ${zones[zones.length - 1]}`;
  return `a time-zone abbreviation${meant.length > 1 ? ' several zones share' : ''}, which software may read as a zone you do not mean; ${use}`;
}

/**
 * The canonical name of a zone, or undefined when it names none: `UTC` (also `utc`, `Z`, `GMT`), an IANA name spelled
 * as the tz database spells it whatever the case of the input (`europe/paris` → `Europe/Paris`; an old link name in
 * another case resolves to its current zone, `us/eastern` → `America/New_York`; a name spelled right is kept as
 * given), or a fixed offset (see {@link fixedOffsetZone}). `local` is not a zone here (see {@link resolveZone}). A
 * time-zone abbreviation (`AST`, `CST`, `IST`; see {@link zoneAbbreviation}) is none either, though ICU reads it as one;
 * the tz database's fixed offsets `EST`, `MST`, `HST` are zones (`est` → `EST`; see {@link legacyFixedZoneNote}).
 */
export function canonicalZone(name: string): string | undefined {
  const s = (name ?? '').trim();
  const l = s.toLowerCase();
  if (l === '') return undefined;
  if (l === 'utc' || l === 'z' || l === 'gmt') return 'UTC';
  const fixed = fixedOffsetZone(s);
  if (fixed) return fixed;
  if (zoneAbbreviation(s)) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(s) || !IANAZone.isValidZone(s)) return undefined;
  const known = zoneSpellings().get(l);
  if (known) return known;
  let resolved: string | undefined;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: s }).resolvedOptions().timeZone;
  } catch {
    resolved = undefined;
  }
  // a name in no list (say `Etc/GMT-3`, a link such as `US/Eastern`): kept when it has capitals (spelled by
  // someone who knew), else ICU's canonical zone for it; `Etc/GMT±n` is spelled by rule
  const etc = /^etc\/gmt([+-]\d{1,2})$/.exec(l);
  if (etc) return `Etc/GMT${etc[1]}`;
  // kept as typed only when every part starts with a capital (`US/Eastern`), not `uS/eAsTeRn`
  if (s.split('/').every((part) => /^[A-Z]/.test(part))) return s;
  return resolved && IANAZone.isValidZone(resolved) ? resolved : s;
}

/**
 * Every IANA zone name this runtime knows (ICU's names and the tz database's current ones, e.g. both
 * `Asia/Calcutta` and `Asia/Kolkata`) that {@link canonicalZone} accepts, sorted: the choices of a zone picker.
 */
export function allZoneNames(): string[] {
  // built once (~40 ms: every name is checked with luxon); a copy, so that a caller cannot change it. The tz
  // database's EST, MST and HST are accepted when typed (with legacyFixedZoneNote) but not offered: the regional
  // zones are what people mean.
  zoneNames ??= [...new Set(zoneSpellings().values())].filter((z) => IANAZone.isValidZone(z) && !zoneAbbreviation(z) && !LEGACY_FIXED_ZONES[z.toLowerCase()]).sort();
  return [...zoneNames];
}
let zoneNames: string[] | undefined;

/**
 * What an unknown zone the user typed probably meant, at most `max` (default 3); [] when nothing fits or `name` is empty:
 * - a time-zone abbreviation or informal name of {@link ZONE_ALIASES}: the zones it usually means, and only those
 *   (`AST` → [`Asia/Riyadh`, `America/Halifax`], `Eastern` → [`America/New_York`], `Mumbai` → [`Asia/Kolkata`]);
 * - IANA zones (of {@link allZoneNames}) whose last component is the last component of `name`, compared without case,
 *   a space read as `_`: `Berlin` → [`Europe/Berlin`], `new york` → [`America/New_York`], `Germany/Berlin` →
 *   [`Europe/Berlin`] (sorted);
 * - else, for 3 characters or more, the zones whose last component starts with it: `Kolk` → [`Asia/Kolkata`];
 * - else, for 4 characters or more, a typo of one (`Europe/Berln` → [`Europe/Berlin`]): one letter wrong, missing, extra
 *   or two neighbours swapped, two such slips from 8 characters;
 * - an offset written without `UTC` or with `GMT` (`+2`, `+05:30`, `GMT+2`, `utc 2`): the fixed offset `UTC+2`
 *   (GMT+2 as people write it, not the POSIX `Etc/GMT+2`, which is UTC-2 and accepted as it is).
 */
export function zoneSuggestions(name: string, max = 3): string[] {
  const raw = (name ?? '').trim();
  const off = /^(?:utc|gmt)?\s*([+-])\s*(\d{1,2}(?::?\d{2})?)$/i.exec(raw) ?? /^(?:utc|gmt)\s+(\d{1,2}(?::?\d{2})?)$/i.exec(raw);
  if (off) {
    const fixed = fixedOffsetZone(off.length === 3 ? `UTC${off[1]}${off[2]}` : `UTC+${off[1]}`);
    return fixed ? [fixed] : [];
  }
  const alias = ZONE_ALIASES[raw.replace(/\s+/g, '_').toLowerCase()];
  if (alias) return alias.slice(0, max);
  const last = raw.replace(/\s+/g, '_').split('/').pop()!.toLowerCase();
  if (last === '') return [];
  const named = allZoneNames().filter((z) => z.includes('/'));
  const lastOf = (z: string) => z.slice(z.lastIndexOf('/') + 1).toLowerCase();
  const exact = named.filter((z) => lastOf(z) === last);
  if (exact.length || last.length < 3) return exact.slice(0, max);
  const prefixed = named.filter((z) => lastOf(z).startsWith(last));
  if (prefixed.length || last.length < 4) return prefixed.slice(0, max);
  // a typo: one letter wrong, missing, extra or two swapped (two for 8 letters or more)
  const most = last.length >= 8 ? 2 : 1;
  return named.filter((z) => editDistance(lastOf(z), last, most) <= most).slice(0, max);
}

/** Optimal string alignment distance of `a` and `b` (swapped neighbours count 1), or `most + 1` once it exceeds `most`. */
export function editDistance(a: string, b: string, most: number): number {
  if (Math.abs(a.length - b.length) > most) return most + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      row.push(d);
    }
    if (Math.min(...row) > most) return most + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** ` did you mean A or B?` for the zones of {@link zoneSuggestions}, `''` when there are none (for messages). */
function didYouMean(value: string): string {
  const s = zoneSuggestions(value);
  return s.length ? `; did you mean ${s.join(' or ')}?` : '';
}

/**
 * The message of an unknown zone given to a command-line option, naming the option and offering the zones of
 * {@link zoneSuggestions}: `--console-tz Berlin: unknown time zone; did you mean Europe/Berlin? (use UTC, local, …)`;
 * a time-zone abbreviation is said to be one, with the zones it usually means ({@link zoneAbbreviationProblem}):
 * `--source-zone AST: "AST" is a time-zone abbreviation several zones share, …; use an IANA zone: Asia/Riyadh (UTC+3 now) or …`.
 */
export function unknownZoneMessage(option: string, value: string): string {
  const abbr = zoneAbbreviationProblem(value);
  if (abbr) return `${option} ${value}: "${value.trim()}" is ${abbr}`;
  return `${option} ${value}: unknown time zone${didYouMean(value)} (use ${ZONE_HINT})`;
}

/**
 * The message of a setting that holds an unknown zone, naming the setting, the zones of {@link zoneSuggestions} and
 * what is done instead (`effect`, a sentence): `setting socAnalytics.displayTimeZone “Berlin” is not a known time
 * zone; did you mean Europe/Berlin? Times are shown in UTC. Use UTC, local, …`; for a time-zone abbreviation
 * `setting … “AST” is a time-zone abbreviation several zones share, …; use an IANA zone: Asia/Riyadh (UTC+3 now) or …. Times are shown in UTC.`
 */
export function unknownZoneSettingMessage(setting: string, value: string, effect: string): string {
  const abbr = zoneAbbreviationProblem(value);
  if (abbr) return `setting ${setting} “${value}” is ${abbr}. ${effect}`;
  return `setting ${setting} “${value}” is not a known time zone${didYouMean(value) || '.'} ${effect} Use ${ZONE_HINT}.`;
}

/** True when `setting` names a usable zone: `UTC`, `local` / `system`, an IANA name (any case) or a fixed offset. */
export function isValidZoneSetting(setting: string): boolean {
  const l = (setting ?? '').trim().toLowerCase();
  if (l === 'local' || l === 'system') return true;
  return canonicalZone(setting) !== undefined;
}

/**
 * The value to store for a zone the user typed or picked: `local` for `local` / `system` (any case), else
 * {@link canonicalZone}; undefined when unknown.
 */
export function canonicalZoneSetting(setting: string): string | undefined {
  const l = (setting ?? '').trim().toLowerCase();
  if (l === 'local' || l === 'system') return 'local';
  return canonicalZone(setting);
}

/**
 * Resolves a display-zone setting to a zone luxon reads, spelled canonically.
 * - `UTC` (any case), empty or unknown names → `'UTC'`;
 * - `local` / `system` → the system zone name (see {@link systemZone});
 * - an IANA name in any case → its canonical spelling (`europe/paris` → `Europe/Paris`, see {@link canonicalZone});
 * - a fixed offset → `UTC+3` / `UTC-05:30`.
 * Never throws.
 */
export function resolveZone(setting: string): string {
  const l = (setting ?? '').trim().toLowerCase();
  if (l === 'local' || l === 'system') return systemZone();
  return canonicalZone(setting) ?? 'UTC';
}

function valid(ms: number | undefined): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms);
}

const pad2 = (n: number) => (n < 10 ? '0' : '') + n;

/** Zone offsets (minutes) cached per zone and per 15-minute UTC block (offsets only change on such blocks). */
const offsetCache = new Map<string, Map<number, number>>();
const BLOCK_MS = 15 * 60 * 1000;

/** Offset of `zone` from UTC at `ms` in minutes (+120 for Europe/Berlin in summer); undefined for an unknown zone. */
export function zoneOffsetMinutes(ms: number, zone: string): number | undefined {
  if (zone === 'UTC') return 0;
  let perZone = offsetCache.get(zone);
  if (!perZone) {
    if (!IANAZone.isValidZone(zone) && fixedOffsetZone(zone) === undefined) return undefined;
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
 * Formats epoch ms UTC as `yyyy-MM-dd HH:mm:ss` in `zone` (an IANA name, `UTC` or a fixed offset `UTC+3`; invalid → UTC).
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
