/**
 * Matching of closing reasons and dispositions against the configured fragments ("escalat",
 * "false positive", …), shared by the QRadar dashboards and the SOC KPIs.
 *
 * A fragment counts where it occurs in the text (case-insensitive) unless that occurrence is negated
 * within its clause: preceded by `not`, `no`, `non`, `never`, `isn't`/`wasn't`/`aren't`/`weren't`,
 * `without` (optionally followed by `a`/`an`/`the`/`really`/`actually`, spaces, `-` or `_`). A clause
 * starts after `, ; : . ( ) [ ] | /` or a spaced dash. So `Not a false positive` is not a false
 * positive and `Not escalated - benign` is not escalated, while `Benign, escalated to IR` is.
 * Free-text reasons are written by people; this rule covers the negations seen in closing-reason
 * lists, not every way a sentence can deny something.
 */

/** The words that negate a fragment right after them (within its clause). */
const NEGATED_BEFORE = /(?:^|[^\p{L}\p{N}])(?:not|no|non|never|isn't|isnt|wasn't|wasnt|aren't|weren't|without)[\s\-_]*(?:(?:a|an|the|really|actually)\s+)?$/iu;
/** Where a clause ends (the text before the last of these does not negate what follows). */
const CLAUSE_BREAK = /[,;:.()[\]|/]|\s[-–—]\s/g;

/**
 * True when `fragment` occurs in `text` at least once without a negation before it in its clause
 * (both compared in lower case; an empty or blank fragment never matches). Never throws.
 */
export function mentions(text: string, fragment: string): boolean {
  const f = fragment.trim().toLowerCase();
  if (f === '') return false;
  const l = text.toLowerCase();
  for (let at = l.indexOf(f); at >= 0; at = l.indexOf(f, at + 1)) {
    const before = l.slice(0, at);
    let start = 0;
    for (const m of before.matchAll(CLAUSE_BREAK)) start = m.index + m[0].length;
    if (!NEGATED_BEFORE.test(before.slice(start))) return true;
  }
  return false;
}

/** True when `text` {@link mentions} any of `fragments`. Undefined or empty text: false. */
export function mentionsAny(text: string | undefined, fragments: readonly string[]): boolean {
  if (!text) return false;
  return fragments.some((f) => mentions(text, f));
}

/**
 * Fragments as the dashboards list them: each between `*` (`*escalat*`, `*true positive*`), `*` standing for any
 * characters, since a fragment counts wherever it occurs in the text ({@link mentions}: `escalat` in `Escalated`,
 * `Escalated to IR ticket`, `De-escalated`) — a stem shown bare (`escalat`) read as a typo (UI review). Blank
 * fragments (they never match) are left out; `—` when none is left.
 */
export function fragmentsText(fragments: readonly string[]): string {
  const shown = fragments.map((f) => f.trim()).filter((f) => f !== '');
  return shown.length ? shown.map((f) => `*${f}*`).join(', ') : '—';
}
