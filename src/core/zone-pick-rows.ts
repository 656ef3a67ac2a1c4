/**
 * What the one time-zone picker of the extension (src/extension/zone-pick.ts: display zone, Normalize Timestamps,
 * QRadar console zone) shows for the text typed and what Enter does, as pure functions (no vscode): the picker
 * turns the rows into quick-pick items and the answers into its title or its result.
 *
 * VS Code's quick pick filters the rows by the typed text itself (fuzzy on the label: `AST` matches
 * `Africa/Sao_Tome` by its capitals, `IST` matches `America/Boa_Vista`) and puts every row whose label matches before
 * the rows shown only because they are `alwaysShow`, so a suggestion row can only be first when no other row matches.
 * A time-zone abbreviation (`AST`, `IST`, `CST`, `BST`, `PST`, …) and the tz database's fixed offsets `EST`, `MST`,
 * `HST` therefore get only the zones they stand for ({@link pickerAbbreviation}, the table the CLI's messages use):
 * the first row, highlighted, is the most likely zone, and Enter never saves a zone whose name merely holds the
 * letters.
 */
import { canonicalZoneSetting, pickerAbbreviation, pickerAbbreviationProblem, zoneAbbreviation, zoneOffsetLabel, zoneSuggestions, ZONE_HINT } from './time';

/** A row a caller puts on top of the picker: a zone or a special value (`local`, `majority`), with its description. */
export interface ZoneChoice {
  label: string;
  description?: string;
}

/** A row of the zone picker: a zone (its label is the zone), or the separator before the full list. */
export interface ZoneRow {
  label: string;
  description?: string;
  /** Shown whatever the filter (a quick-pick item's `alwaysShow`). */
  alwaysShow?: boolean;
  /** The separator row (a quick-pick item of kind Separator; never chosen). */
  separator?: boolean;
  /** A zone suggested for the text typed (an abbreviation, or a name that is no zone). */
  suggested?: boolean;
}

/** What the picker shows for a typed text: its rows, in order, and its title. */
export interface ZonePickView {
  rows: ZoneRow[];
  title: string;
}

/** What Enter does: choose `zone` (the value to store), or stay open with `title` saying why. */
export type ZonePickAnswer = { zone: string } | { title: string };

/**
 * The picker's rows before anything is typed: `first` (the caller's suggestions, in order), a separator
 * `all time zones`, then every zone of `zones` (normally `allZoneNames()`, which offers no abbreviation and not
 * `EST`, `MST`, `HST`) that is not among `first`.
 */
export function zonePickBase(first: readonly ZoneChoice[], zones: readonly string[]): ZoneRow[] {
  const firstLabels = new Set(first.map((f) => f.label));
  return [
    ...first.map((f) => ({ ...f })),
    { label: 'all time zones', separator: true },
    ...zones.filter((z) => !firstLabels.has(z)).map((z) => ({ label: z })),
  ];
}

/** ` · UTC+3 now` for a named zone at `ms`; '' for a fixed offset (`UTC+2` says its offset). */
function offsetNow(zone: string, ms: number): string {
  return /^UTC(?:[+-]|$)/.test(zone) ? '' : ` · ${zoneOffsetLabel(zone, ms)} now`;
}

/**
 * The rows and title of the picker when `value` is typed, `base` being {@link zonePickBase} and `title` the prompt's
 * own title (epoch ms `ms` for the offsets shown, default now):
 * - nothing typed, or a zone of `base` (`europe/paris`, `UTC`, `local`): `base`;
 * - a time-zone abbreviation or `EST`/`MST`/`HST` ({@link pickerAbbreviation}): only the zones it stands for, most
 *   likely first, each `alwaysShow` and described `suggested for “AST”, an abbreviation (not a zone) · UTC+3 now`
 *   (`EST` → America/New_York, `… a fixed UTC-5 all year …`): `AST` → Asia/Riyadh, America/Halifax; `IST` →
 *   Asia/Kolkata, Asia/Jerusalem, Europe/Dublin. None of the full list, whose fuzzy matches VS Code would put first.
 *   An abbreviation the table does not list (`CTT`) gets no row and the title says what to use;
 * - another zone not in `base` (a fixed offset `utc+3`): it in canonical spelling, `as typed`, then `base`;
 * - a name that is no zone (`Berlin`, `new york`, `GMT+3`): the zones it probably means ({@link zoneSuggestions}),
 *   `did you mean? (“Berlin” is not a time zone) · UTC+1 now`, then `base` without them;
 * - anything else: `base` (VS Code's filter then shows what matches).
 */
export function zonePickRows(value: string, base: readonly ZoneRow[], title: string, ms = Date.now()): ZonePickView {
  const text = (value ?? '').trim();
  if (!text) return { rows: [...base], title };
  const quoted = `“${text.slice(0, 40)}”`;
  const abbr = pickerAbbreviation(text);
  if (abbr) {
    // (an abbreviation of zoneAbbreviation, else the tz database's EST/MST/HST)
    const what = zoneAbbreviation(text) ? 'an abbreviation (not a zone)' : `a fixed ${zoneOffsetLabel(text.toUpperCase(), ms)} all year, without daylight saving time`;
    const rows = abbr.map((z) => ({ label: z, description: `suggested for ${quoted}, ${what}${offsetNow(z, ms)}`, alwaysShow: true, suggested: true }));
    return { rows, title: rows.length ? title : (pickerAbbreviationProblem(text, ms) ?? title) };
  }
  const typed = canonicalZoneSetting(text);
  if (typed) {
    const known = base.some((r) => !r.separator && r.label === typed);
    return { rows: known ? [...base] : [{ label: typed, description: 'as typed', alwaysShow: true }, ...base], title };
  }
  // not a zone: what it probably means, shown whatever the filter (`new york` matches no label as typed)
  const meant = zoneSuggestions(text);
  if (!meant.length) return { rows: [...base], title };
  return {
    rows: [
      ...meant.map((z) => ({ label: z, description: `did you mean? (${quoted} is not a time zone)${offsetNow(z, ms)}`, alwaysShow: true, suggested: true })),
      ...base.filter((r) => r.separator || !meant.includes(r.label)),
    ],
    title,
  };
}

/**
 * What Enter does with `value` typed and `picked` the label of the selected row (undefined when none is selected),
 * `firstLabels` the labels of the caller's `first` rows (accepted as given, e.g. `local`, `majority`) and `title` the
 * prompt's own title:
 * - `value` a time-zone abbreviation or `EST`/`MST`/`HST` ({@link pickerAbbreviation}): only one of the zones it stands
 *   for is chosen; any other row (the quick pick may still show its rows for the text before, whose fuzzy match it
 *   highlighted: `AST` → Africa/Sao_Tome) or none stays open, the title saying why and what to use
 *   (`“AST” is a time-zone abbreviation several zones share, …; use an IANA zone: Asia/Riyadh (UTC+3 now) or …`);
 * - else the picked row, or the typed text when it is a zone (`utc+3` → `UTC+3`), stored as {@link canonicalZoneSetting}
 *   spells it (a `first` label as given);
 * - nothing picked and nothing typed: stays open, `Choose a zone first …`;
 * - an unknown name: stays open, `Unknown time zone “Berlin”: did you mean Europe/Berlin? Or use …`.
 */
export function zonePickAccept(value: string, picked: string | undefined, firstLabels: ReadonlySet<string>, title: string): ZonePickAnswer {
  const text = (value ?? '').trim();
  const abbr = text ? pickerAbbreviation(text) : undefined;
  if (abbr) {
    if (picked !== undefined && abbr.includes(picked)) return { zone: canonicalZoneSetting(picked) ?? picked };
    return { title: pickerAbbreviationProblem(text) ?? title };
  }
  const chosen = picked ?? (text ? canonicalZoneSetting(text) : undefined);
  if (!chosen && !text) return { title: `Choose a zone first (arrow keys or type to filter) — ${title}` };
  if (!chosen) {
    // (a quick pick has no validation message: the title says it, until the text changes)
    const meant = zoneSuggestions(text);
    return { title: `Unknown time zone “${text.slice(0, 60)}”${meant.length ? `: did you mean ${meant.join(' or ')}? Or use` : ': use'} ${ZONE_HINT}` };
  }
  return { zone: firstLabels.has(chosen) ? chosen : (canonicalZoneSetting(chosen) ?? chosen) };
}
