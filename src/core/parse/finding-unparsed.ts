/**
 * Why a Loki finding message was not read as a finding: the reason of its "unparsed line" (CLI report, Problems tab),
 * saying what is actually missing. A message that has a SCORE but nothing acceptable after it was reported as
 * `truncated or malformed file finding (no SCORE)` (new-user trial: `…PsExec64.exe SCORE: 7 ` — a record cut after
 * its SCORE, a trailing space or NUL after the digits, so not accepted as `record ends after SCORE`).
 */

/** The kinds of finding message explained: Python Loki's `FILE: ` and Loki-RS plain `Match: `. */
export type UnparsedFindingKind = 'file' | 'rs-match';

const WORDS: Record<UnparsedFindingKind, { what: string; key: string; next: string; after: string }> = {
  // `next` as the parsers want it right after the SCORE digits (python-messages.ts locateFileFinding, rs-messages.ts parseRsMatch)
  file: { what: 'file finding', key: 'FILE:', next: ' TYPE: ', after: 'TYPE' },
  'rs-match': { what: 'Loki-RS match', key: 'Match:', next: ' REASONS: [', after: 'REASONS' },
};

/** A code unit that shows nothing: C0 controls (NUL, CR, tab, …), space and DEL. */
const blank = (c: number): boolean => c <= 32 || c === 127;

/** What the characters after the SCORE digits are, when they show nothing: `a space`, `2 NUL characters`, `white space`. */
function blankTail(t: string): string {
  if (/^\0+$/.test(t)) return t.length === 1 ? 'a NUL character' : `${t.length} NUL characters`;
  if (/^ +$/.test(t)) return t.length === 1 ? 'a space' : `${t.length} spaces`;
  return 'white space or control characters';
}

/**
 * The reason a finding message `msg` (`FILE: …` of Python Loki, `Match: …` of Loki-RS plain) that its parser refused
 * is reported with, naming what is missing, with the words of python-messages.ts's FF_TRUNC texts where they fit:
 * - nothing: `truncated record (nothing after its envelope)`;
 * - (part of) the key alone (`FIL`, `FILE:`): `truncated file finding (record ends before its path)`;
 * - a SCORE whose digits nothing visible follows (a space, CR or NUL after them):
 *   `truncated file finding (record ends after SCORE, then a space: no TYPE)` (Loki-RS: `no REASONS`);
 * - a SCORE followed by part of the next key (` TYP`): `truncated file finding (record ends after SCORE, inside the TYPE key)`;
 * - a SCORE followed by other text: `malformed file finding (no TYPE after SCORE)`;
 * - `SCORE:` without digits: `truncated file finding (record ends inside SCORE: no value)` at the end, else
 *   `malformed file finding (SCORE without a value)`; more than 15 digits: `malformed file finding (SCORE of more than 15 digits)`;
 * - no `SCORE:` at all (SUBSCORE does not count): `truncated or malformed file finding (no SCORE)`.
 * The last `SCORE:` (not SUBSCORE) is the one explained (an earlier one is part of the path). Pure; never throws.
 */
export function unparsedFindingReason(msg: string, kind: UnparsedFindingKind): string {
  const w = WORDS[kind];
  if (msg === '') return 'truncated record (nothing after its envelope)';
  if (msg.length <= w.key.length && w.key.startsWith(msg)) return `truncated ${w.what} (record ends before its path)`;
  // the last SCORE (not SUBSCORE): the one a cut record ends with (an earlier one is part of the path)
  let i = msg.lastIndexOf('SCORE:');
  while (i >= 3 && msg.startsWith('SUB', i - 3)) i = msg.lastIndexOf('SCORE:', i - 1);
  if (i < w.key.length) return `truncated or malformed ${w.what} (no SCORE)`;
  let d = i + 6;
  if (msg.charCodeAt(d) === 32) d++;
  let e = d;
  while (e < msg.length && msg.charCodeAt(e) >= 48 && msg.charCodeAt(e) <= 57) e++;
  if (e === d) {
    let k = d;
    while (k < msg.length && blank(msg.charCodeAt(k))) k++;
    return k >= msg.length ? `truncated ${w.what} (record ends inside SCORE: no value)` : `malformed ${w.what} (SCORE without a value)`;
  }
  if (e - d > 15) return `malformed ${w.what} (SCORE of more than 15 digits)`;
  const tail = msg.slice(e);
  if (tail === '') return `truncated ${w.what} (record ends after SCORE: no ${w.after})`;
  let k = 0;
  while (k < tail.length && blank(tail.charCodeAt(k))) k++;
  if (k >= tail.length) return `truncated ${w.what} (record ends after SCORE, then ${blankTail(tail)}: no ${w.after})`;
  if (w.next.startsWith(tail)) return `truncated ${w.what} (record ends after SCORE, inside the ${w.after} key)`;
  return `malformed ${w.what} (no ${w.after} after SCORE)`;
}
