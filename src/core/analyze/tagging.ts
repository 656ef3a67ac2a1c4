/**
 * Rule-based tagging of cases (keyword / regular expression → tag), with rules as data
 * (`.soc/tagging.json`, schema `schemas/tagging.schema.json`). Pure (no vscode).
 *
 * Semantics (fixing the seed snippet's defects, shared/docs/soc-peers-and-kpis.md §1.1):
 * - rules are evaluated in file order and the **first matching rule wins** (the seed let later
 *   rules overwrite earlier ones);
 * - matching is **case-insensitive by default** (`caseSensitive: true` per rule to change it);
 * - `type: "substring"` (default) tests whether the field contains any of the `match` strings;
 *   `type: "regex"` tests a JavaScript regular expression (any of them, when `match` is a list);
 *   a pattern with Unicode-only escapes (`\p{L}`, `\u{1F600}`) is compiled with the `u` flag, any
 *   other pattern without it (so `\-` keeps working; {@link needsUnicodeFlag});
 * - a record no rule matches gets the default tag `Other`;
 * - a coverage report lists rules that never match (or never win), records matched by several
 *   rules, and the largest groups of unmatched records.
 *
 * Regex safety: user patterns can backtrack catastrophically (e.g. `^(a+)+$`). Every regex is run
 * inside a `node:vm` context with a time bound (V8 interrupts a running regex on timeout): records
 * are evaluated in batches under {@link TaggingOptions.batchTimeoutMs}; when a batch times out, its
 * records are re-evaluated one at a time under the same bound (every regex of the record in one call, each
 * one's time measured), and a record over it one regex at a time under {@link TaggingOptions.evalTimeoutMs};
 * a rule that exceeds that is **disabled** for the rest of the run and reported (rule, record, line). A
 * rule whose regular expressions stay under that bound on each record but are slow on many of them
 * (quadratic, say `a*b` on long titles: 50 ms × 100,000 cases is over an hour) is disabled the same
 * way once its evaluations after a batch timed out took {@link TaggingOptions.ruleBudgetMs} in total. A batch
 * slow by the number of rules alone (every record under the bound) makes the later batches smaller, to what
 * half the bound holds.
 * Patterns with nested quantifiers are also flagged when compiled ({@link riskyRegex}).
 * The whole tagging — substring rules too, which had no bound (a rule of 1.5 million substrings on 20,000 cases ran
 * for hours) — stops at {@link TaggingOptions.totalBudgetMs}; the result then tags nothing ({@link TaggingResult.stopped}).
 */
import * as vm from 'node:vm';

export type MatchType = 'substring' | 'regex';

/** One rule as written in `.soc/tagging.json`. */
export interface TaggingRule {
  tag: string;
  /** A substring / regular expression, or a list of them (any one matches). */
  match: string | string[];
  /** Default `substring`. */
  type?: MatchType;
  /** Case field (e.g. `title`, `rule`, `disposition`) or a raw column name. Default `title`. */
  field?: string;
  /** Default false (case-insensitive). */
  caseSensitive?: boolean;
  /** Free text for the rule author. */
  description?: string;
}

/**
 * A rule as loaded: its 0-based position in the file (`_index`) and, for a rule that cannot be used
 * (invalid, or not run in Restricted Mode), the reason (`_disabled`). Disabled rules stay in the
 * rule list so that they are listed in the coverage report (matching nothing) with the reason.
 */
export type LoadedRule = TaggingRule & { _index?: number; _disabled?: string };

export interface TaggingConfig {
  $schema?: string;
  /** Tag of records no rule matches. Default `Other`. */
  defaultTag?: string;
  rules: TaggingRule[];
}

export const DEFAULT_TAG = 'Other';
export const DEFAULT_FIELD = 'title';

/**
 * The seed blog's rule list (§1.1 of the KPI doc: substring → tag, in the seed's order), as a
 * tagging configuration with this extension's semantics (first match wins, case-insensitive), with one
 * change: the blog's `port` matched any word containing it — "Phishing email re*port*ed by user", support,
 * export, airport were PortScan. PortScan is two rules: `scan` as a substring (Portscan, NMAP_Scan,
 * scanning), and `port`/`ports` as a word of its own (a regular expression: no letter before or after —
 * `port 445`, `Port_Sweep`). The other substrings stay (`login` also in SSH_Login_Failures, FailedLogin).
 * In Restricted Mode a rules file's regular expressions do not run: only that `port` rule.
 */
export const SEED_TAGGING_CONFIG: TaggingConfig = {
  $schema: '../schemas/tagging.schema.json',
  defaultTag: 'Other',
  rules: [
    { tag: 'Logon', match: ['logon', 'login', 'authentication failure', 'geo'] },
    { tag: 'AV', match: ['malware', 'defender', 'symantec'] },
    { tag: 'OpenSSL', match: ['openssl'] },
    { tag: 'SQLInjection', match: ['injection'] },
    { tag: 'PortScan', match: ['scan'] },
    { tag: 'PortScan', type: 'regex', match: ['(?<![a-z])ports?(?![a-z])'], description: 'port as a word of its own: not report, support, export' },
    { tag: 'WAF', match: ['waf'] },
    { tag: 'MaliciousIP', match: ['Intelfeed1', 'Intelfeed2', 'suspicious communication'] },
    { tag: 'UserEvents', match: ['user added'] },
  ],
};

export interface TaggingProblem {
  /** 0-based rule index (position in the file's `rules` array), or -1 for the whole file. */
  rule: number;
  message: string;
  /** Record line/number when the problem happened on a record (regex time-out). */
  line?: number;
  /** 1-based line of the problem in the rules file, when known: the offending key's line, else the rule's. */
  ruleLine?: number;
  /** 1-based column of the offending key in the rules file, when the problem is about a key and it was located. */
  ruleColumn?: number;
  severity: 'error' | 'warning';
}

/**
 * `rule 3 ("AV", line 12)`, `rule 3 ("AV", line 14, column 7)`: how problems name a rule (1-based
 * number, tag, and the place in the file when known: the offending key's line and column, else the
 * rule's line).
 */
export function ruleLabel(index: number, tag: unknown, line?: number, column?: number): string {
  const name = typeof tag === 'string' && tag.trim() ? JSON.stringify(tag.length > 60 ? tag.slice(0, 59) + '…' : tag) : 'no tag';
  return `rule ${index + 1} (${name}${line ? `, line ${line}${column ? `, column ${column}` : ''}` : ''})`;
}

/** Where the key `key` of rule `rule` is in the rules file (1-based line and column), when known. */
export type RuleKeyLocator = (rule: number, key: string) => { line: number; column: number } | undefined;

function shown(v: unknown): string {
  let t: string;
  try {
    t = v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v);
  } catch {
    t = Array.isArray(v) ? '[…] (nested too deeply to show)' : '{…} (nested too deeply to show)'; // a stack overflow
  }
  return t.length > 60 ? t.slice(0, 59) + '…' : t;
}

/**
 * Checks a parsed JSON document against the tagging format (the same constraints as
 * `schemas/tagging.schema.json`). Returns the config and the problems: an invalid rule stays in the
 * list, disabled (`_disabled` = the reason; it matches nothing), and its problem names it by number,
 * tag and — with `ruleLines` (1-based line of each rule in the file) — its line, or, with `keyAt`,
 * the line and column of the offending key (`"type"` of `"type": "regexp"`; the rule's line when
 * the problem is not about a key, e.g. a missing `"tag"`). `fatal` is set when the document as a
 * whole is unusable (not an object, or no `rules` array): the config then has no rules and must not
 * be used to tag anything. Never throws.
 */
export function validateTaggingConfig(doc: unknown, ruleLines: number[] = [], keyAt?: RuleKeyLocator): { config: TaggingConfig; problems: TaggingProblem[]; fatal?: string } {
  const problems: TaggingProblem[] = [];
  const out: TaggingConfig = { rules: [] };
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    const fatal = 'the tagging file must be a JSON object with a "rules" array';
    problems.push({ rule: -1, message: fatal, severity: 'error' });
    return { config: out, problems, fatal };
  }
  const d = doc as Record<string, unknown>;
  if (d.defaultTag !== undefined) {
    if (typeof d.defaultTag === 'string' && d.defaultTag.trim()) out.defaultTag = d.defaultTag;
    else problems.push({ rule: -1, message: '"defaultTag" must be a non-empty string', severity: 'error' });
  }
  if (!Array.isArray(d.rules)) {
    const fatal = d.rules === undefined ? 'the tagging file has no "rules" array' : '"rules" must be an array';
    problems.push({ rule: -1, message: fatal, severity: 'error' });
    return { config: out, problems, fatal };
  }
  d.rules.forEach((r, i) => {
    const o = typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as Record<string, unknown>) : undefined;
    const ruleLine = ruleLines[i] || undefined;
    const bad = (m: string, key?: string) => {
      // a problem with a key present in the rule points at that key; otherwise (or unlocated) at the rule
      const at = key !== undefined && o && key in o ? keyAt?.(i, key) : undefined;
      const line = at?.line ?? ruleLine;
      const column = at?.column;
      problems.push({ rule: i, message: `${ruleLabel(i, o?.tag, line, column)}: ${m}; the rule is disabled`, severity: 'error', ...(line ? { ruleLine: line } : {}), ...(column ? { ruleColumn: column } : {}) });
      // kept, disabled, so that the coverage report lists it with the reason
      const placeholder: LoadedRule = { tag: typeof o?.tag === 'string' && o.tag.trim() ? o.tag : `(rule ${i + 1})`, match: [], _index: i, _disabled: `invalid rule: ${m}` };
      out.rules.push(placeholder);
    };
    if (!o) return bad(`must be an object (found ${shown(r)})`);
    if (typeof o.tag !== 'string' || !o.tag.trim()) return bad(`"tag" must be a non-empty string (found ${shown(o.tag)})`, 'tag');
    const m = o.match;
    const list = typeof m === 'string' ? [m] : Array.isArray(m) ? m : undefined;
    if (!list || list.length === 0 || list.some((x) => typeof x !== 'string' || x === '')) return bad(`"match" must be a non-empty string or a list of non-empty strings (found ${shown(m)})`, 'match');
    if (o.type !== undefined && o.type !== 'substring' && o.type !== 'regex') return bad(`"type" must be "substring" or "regex" (found ${shown(o.type)})`, 'type');
    if (o.field !== undefined && (typeof o.field !== 'string' || !o.field)) return bad(`"field" must be a non-empty string (found ${shown(o.field)})`, 'field');
    if (o.caseSensitive !== undefined && typeof o.caseSensitive !== 'boolean') return bad(`"caseSensitive" must be true or false (found ${shown(o.caseSensitive)})`, 'caseSensitive');
    const rule: TaggingRule = { tag: o.tag, match: m as string | string[] };
    if (o.type) rule.type = o.type as MatchType;
    if (o.field) rule.field = o.field as string;
    if (o.caseSensitive !== undefined) rule.caseSensitive = o.caseSensitive as boolean;
    if (typeof o.description === 'string') rule.description = o.description;
    out.rules.push(rule);
    (rule as TaggingRule & { _index?: number })._index = i;
  });
  return { config: out, problems };
}

/**
 * Flags regular expressions that can backtrack catastrophically: a group that contains a quantifier
 * and is itself quantified (`(a+)+`, `(\w*\s?)*`, `(x{1,9})+`), or a quantified group of
 * alternatives where one alternative is a prefix of another (`(a|aa)+`). A heuristic, not a proof:
 * evaluation is time-bounded regardless. Returns a reason or undefined.
 */
export function riskyRegex(src: string): string | undefined {
  const stack: { start: number; inner: boolean; alts: string[]; cur: string }[] = [];
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      if (stack.length) stack[stack.length - 1].cur += src.slice(i, i + 2);
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      if (stack.length) stack[stack.length - 1].cur += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (stack.length) stack[stack.length - 1].cur += c;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i, inner: false, alts: [], cur: '' });
      continue;
    }
    if (c === '|' && stack.length) {
      const top = stack[stack.length - 1];
      top.alts.push(top.cur);
      top.cur = '';
      continue;
    }
    if (c === ')') {
      const g = stack.pop();
      if (!g) continue;
      g.alts.push(g.cur);
      const next = src[i + 1];
      const quantified = next === '*' || next === '+' || next === '{';
      if (quantified && g.inner) return `nested quantifier in ${src.slice(g.start, i + 2)}`;
      if (quantified && overlappingAlternatives(g.alts.map((a) => a.replace(/^\?:/, '')))) return `overlapping alternatives in ${src.slice(g.start, i + 2)}`;
      if (stack.length) {
        const parent = stack[stack.length - 1];
        parent.cur += src.slice(g.start, i + 1);
        if (g.inner || quantified) parent.inner = true;
      }
      continue;
    }
    if ((c === '*' || c === '+' || c === '{') && stack.length) stack[stack.length - 1].inner = true;
    if (stack.length) stack[stack.length - 1].cur += c;
  }
  return undefined;
}

/**
 * True when one non-empty alternative is a prefix of another (a repeated one included): `a|aa`, `ab|ab`. Sorted (by
 * UTF-16 code units, as `startsWith` compares), the texts that start with `x` follow `x` directly, so only neighbours
 * are compared: n log n. Comparing every pair made a group of 16,000 alternatives take 2.3 s before the rule ran (no
 * time bound holds this check), a 16 MB rules file hours.
 */
function overlappingAlternatives(alts: string[]): boolean {
  const sorted = alts.filter((a) => a !== '').sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (let x = 0; x + 1 < sorted.length; x++) if (sorted[x + 1].startsWith(sorted[x])) return true;
  return false;
}

/**
 * True when a pattern uses an escape that only means something in Unicode mode: a property escape
 * (`\p{L}`, `\P{Script=Greek}`) or a code point escape (`\u{1F600}`). Without the `u` flag these are
 * identity escapes and match the literal text (`p{L}`), silently. Escaped backslashes (`\\p{L}`)
 * do not count.
 */
export function needsUnicodeFlag(src: string): boolean {
  for (let i = 0; i < src.length; i++) {
    if (src[i] !== '\\') continue;
    const c = src[i + 1];
    if ((c === 'p' || c === 'P' || c === 'u') && src[i + 2] === '{') return true;
    i++; // skip the escaped character (an escaped backslash included)
  }
  return false;
}

interface CompiledRule {
  index: number;
  tag: string;
  type: MatchType;
  field: string;
  caseSensitive: boolean;
  /** Substring rules: the needles (lower-cased unless case-sensitive). */
  needles: string[];
  /** Regex rules: one slot per pattern in the vm's regex array. */
  regexSlots: number[];
  /** Set when the rule cannot match (invalid regex) or was disabled (time-out). */
  disabled?: string;
}

export interface TaggingOptions {
  /** Time bound for one batch of records (all regex rules), and for one record of a batch that timed out, ms. Default 250. */
  batchTimeoutMs?: number;
  /** Time bound for one regex on one record after that record timed out, ms. Default 50. */
  evalTimeoutMs?: number;
  /**
   * Total time, ms, a rule's regular expressions may take in evaluations after batches timed out (record by
   * record) before the rule is disabled for the rest of the run. Default 5000.
   */
  ruleBudgetMs?: number;
  /** Where rule `i`'s `"match"` key is in the rules file (1-based), to name a rule whose regular expression does not compile. */
  matchAt?: (rule: number) => { line: number; column: number } | undefined;
  /** Records per batch. Default 500. */
  batchSize?: number;
  /** Examples kept per coverage list. Default 50. */
  examples?: number;
  /**
   * Longest the whole tagging may take, ms (default {@link defaultTaggingBudgetMs}: 60 s, more for over 600,000
   * records). Past it tagging stops and the result says so ({@link TaggingResult.stopped}): a rules file of a million
   * substrings (13 MB, under the 16 MiB file bound) on 20,000 cases ran for hours, in Restricted Mode too.
   */
  totalBudgetMs?: number;
}

/**
 * The default bound of a whole tagging run, ms: 60 s, or 0.1 ms per record when that is more. Legitimate rules take a
 * fraction of it (10,000 substrings on 20,000 cases: 3.6 s); only a rules file far larger or slower than a team's
 * taxonomy reaches it.
 */
export function defaultTaggingBudgetMs(records: number): number {
  return Math.max(60_000, records * 0.1);
}

/** Thrown inside {@link tagRecords} when its time bound is reached; never leaves it. */
class TaggingStopped extends Error {}

/** Characters compared (text length × needles) between two looks at the clock in substring matching. */
const WORK_PER_CLOCK_CHECK = 1 << 22;

/** A record to tag: field name → value (strings; lists are joined with `, `). */
export type TagInput = { fields: Record<string, unknown>; line?: number };

export interface RuleCoverage {
  index: number;
  tag: string;
  /** Records this rule matches. */
  matches: number;
  /** Records this rule tags (it is their first match). */
  wins: number;
  disabled?: string;
}

export interface CoverageReport {
  rules: RuleCoverage[];
  /** Indices of rules that match no record. */
  neverMatched: number[];
  /** Indices of rules that match records but never win (every match is taken by an earlier rule). */
  neverWins: number[];
  /** Records matched by two or more rules. */
  /** Cases matched by several rules: `examples` (at most `examples`), each with its line, its case id (the `id` field, when the case has one), title, rules and tags. */
  multiMatched: { count: number; examples: { line?: number; id?: string; text: string; rules: number[]; tags: string[] }[] };
  /** Records no rule matches (tagged with the default tag), grouped by normalised title. */
  unmatched: { count: number; groups: { text: string; count: number }[] };
}

export interface TaggingResult {
  /** The tag of each record (same order as the input). */
  tags: string[];
  /** Indices of every rule matching each record (ascending). */
  matched: number[][];
  tagCounts: { tag: string; count: number }[];
  coverage: CoverageReport;
  problems: TaggingProblem[];
  defaultTag: string;
  /**
   * Set when the tagging reached its time bound ({@link TaggingOptions.totalBudgetMs}) and was stopped: why, in words.
   * Every record then has the default tag and no rule matches: partial tags would look plausible and be wrong.
   */
  stopped?: string;
}

/**
 * The record's own field `name` — never an inherited `Object.prototype` member (a rule on `constructor`
 * matched the text `function Object()…` of every record); a column named `__proto__` is an own field.
 */
/** A case's id (its `id` field) as `{ id }`, or `{}` when it has none: the multi-matched examples name the case by it. */
function idOf(fields: Record<string, unknown>): { id?: string } {
  const id = fieldText(ownField(fields, 'id'));
  return id ? { id } : {};
}

function ownField(fields: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(fields, name) ? fields[name] : undefined;
}

function fieldText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return nfc(v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(', '));
  if (typeof v === 'object') return nfc(JSON.stringify(v));
  return nfc(String(v));
}

const NON_ASCII = /[^\u0000-\u007f]/;
/**
 * Unicode NFC (composed) form: `é` as one code point or as `e` + U+0301 (macOS, some ticketing exports) is the same
 * text to a rule, in the cases' fields and in the rules' patterns alike. ASCII text is returned as it is (no copy).
 */
function nfc(s: string): string {
  return NON_ASCII.test(s) ? s.normalize('NFC') : s;
}

/** The name of the unmatched group of cases without a title (no title column mapped, or an empty title). */
export const NO_TITLE_GROUP = '(no title)';

/** Normalised key for grouping unmatched titles: lower case, digit runs → `#`, whitespace collapsed. */
export function groupKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim().slice(0, 160);
}

const BATCH_SCRIPT = new vm.Script(
  'out = []; for (let i = 0; i < T.length; i++) { const row = T[i]; const hits = []; ' +
    'for (let k = 0; k < R.length; k++) { const re = R[k]; const s = row[k]; if (re !== null && s !== undefined && re.test(s)) hits.push(k); } out.push(hits); }',
);
const ONE_SCRIPT = new vm.Script('out = R[k].test(s)');
/** One record (`row`: its text per regular expression), every regular expression, each one's time added to `slotMs`. */
const RECORD_SCRIPT = new vm.Script(
  'out = []; for (let k = 0; k < R.length; k++) { const re = R[k]; const s = row[k]; if (re === null || s === undefined) continue; ' +
    'const t0 = now(); if (re.test(s)) out.push(k); slotMs[k] += now() - t0; }',
);

function isTimeout(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';
}

/**
 * Tags records with the rules of `config` (see the module comment for semantics and regex safety).
 * Never throws: invalid regular expressions are reported in `problems` and never match.
 */
export function tagRecords(records: TagInput[], config: TaggingConfig, opts: TaggingOptions = {}): TaggingResult {
  const budget = opts.totalBudgetMs ?? defaultTaggingBudgetMs(records.length);
  const deadline = performance.now() + budget;
  try {
    return tagRecordsUntil(records, config, opts, deadline);
  } catch (e) {
    if (!(e instanceof TaggingStopped)) throw e;
    const rules = config.rules ?? [];
    const patterns = rules.reduce((n, r) => n + (Array.isArray(r.match) ? r.match.length : 1), 0);
    const secs = budget >= 1000 ? `${Math.round(budget / 1000).toLocaleString('en-US')} s` : `${Math.round(budget)} ms`;
    const why =
      `tagging took longer than ${secs} and was stopped (${rules.length.toLocaleString('en-US')} ${rules.length === 1 ? 'rule' : 'rules'} with ` +
      `${patterns.toLocaleString('en-US')} ${patterns === 1 ? 'pattern' : 'patterns'} on ${records.length.toLocaleString('en-US')} ${records.length === 1 ? 'case' : 'cases'}): ` +
      'the rules file is far larger or slower than a taxonomy needs';
    const result = tagRecordsUntil(records, { rules: [], defaultTag: config.defaultTag }, { ...opts, totalBudgetMs: undefined }, Infinity);
    result.problems.push({ rule: -1, severity: 'error', message: why });
    result.stopped = why;
    return result;
  }
}

/** {@link tagRecords} until `deadline` (a `performance.now()` time): past it, throws {@link TaggingStopped}. */
function tagRecordsUntil(records: TagInput[], config: TaggingConfig, opts: TaggingOptions, deadline: number): TaggingResult {
  const pastDeadline = () => {
    if (performance.now() > deadline) throw new TaggingStopped();
  };
  const defaultTag = config.defaultTag?.trim() || DEFAULT_TAG;
  const problems: TaggingProblem[] = [];
  const regexes: (RegExp | null)[] = [];
  const regexRule: number[] = []; // slot → rule position
  const rules: CompiledRule[] = config.rules.map((r, pos) => {
    if ((pos & 1023) === 1023) pastDeadline();
    const index = (r as LoadedRule)._index ?? pos;
    const disabled = (r as LoadedRule)._disabled;
    const list = disabled ? [] : (Array.isArray(r.match) ? r.match : [r.match]).filter((m) => typeof m === 'string' && m !== '');
    const cr: CompiledRule = {
      index,
      tag: r.tag,
      type: r.type === 'regex' ? 'regex' : 'substring',
      field: r.field || DEFAULT_FIELD,
      caseSensitive: r.caseSensitive === true,
      needles: [],
      regexSlots: [],
    };
    if (disabled) {
      cr.disabled = disabled;
      return cr;
    }
    if (list.length === 0) cr.disabled = 'no match pattern';
    if (cr.type === 'substring') cr.needles = list.map((m) => (cr.caseSensitive ? nfc(m) : nfc(m).toLowerCase()));
    else {
      for (const raw of list) {
        const src = nfc(raw);
        let re: RegExp | undefined;
        const flags = cr.caseSensitive ? '' : 'i';
        // `\p{L}` or `\u{1F600}` without the u flag silently matches the literal text ("p{L}"): such patterns
        // are compiled in Unicode mode; any other pattern keeps its non-Unicode meaning (e.g. `\-` or `\_`).
        const unicode = needsUnicodeFlag(src);
        try {
          re = new RegExp(src, unicode ? `${flags}u` : flags);
        } catch (e1) {
          try {
            if (unicode) throw e1;
            re = new RegExp(src, `${flags}u`);
          } catch {
            // the error of the pattern as it is meant (without the u flag unless it has \p{…} / \u{…}), not of the retry
            const at = opts.matchAt?.(index);
            problems.push({
              rule: index,
              severity: 'error',
              message: `${ruleLabel(index, r.tag, at?.line, at?.column)}: invalid regular expression ${JSON.stringify(raw)}${unicode ? ' (compiled with the u flag for its \\p{…} / \\u{…} escapes)' : ''}: ${(e1 as Error).message}; it never matches`,
              ...(at ? { ruleLine: at.line, ruleColumn: at.column } : {}),
            });
          }
        }
        if (!re) continue;
        if ((regexes.length & 1023) === 1023) pastDeadline();
        const risk = riskyRegex(src);
        if (risk) problems.push({ rule: index, severity: 'warning', message: `rule ${index + 1} (${r.tag}): ${risk}: may backtrack catastrophically; evaluated under a time bound` });
        cr.regexSlots.push(regexes.length);
        regexes.push(re);
        regexRule.push(pos);
      }
      if (cr.regexSlots.length === 0) cr.disabled = 'invalid regular expression';
    }
    return cr;
  });

  const batchTimeout = opts.batchTimeoutMs ?? 250;
  const evalTimeout = opts.evalTimeoutMs ?? 50;
  const batchSize = Math.max(1, opts.batchSize ?? 500);
  const ruleBudget = opts.ruleBudgetMs ?? 5000;
  const spent = new Float64Array(rules.length); // ms of one-at-a-time evaluation per rule (position)
  const slotMs = new Float64Array(regexes.length); // ms per regular expression of one record (RECORD_SCRIPT)
  const ctx = vm.createContext({ R: regexes, T: [] as (string | undefined)[][], out: null as unknown, k: 0, s: '', row: [] as (string | undefined)[], slotMs, now: () => performance.now() });

  const texts = (rec: TagInput, field: string, cs: boolean): string | undefined => {
    const t = fieldText(ownField(rec.fields, field));
    return t === undefined ? undefined : cs ? t : t.toLowerCase();
  };

  const matched: number[][] = new Array(records.length);
  const regexHits: Set<number>[] = new Array(records.length);
  // Regex evaluation, batched and time-bounded.
  if (regexes.length > 0) {
    /** Disables the rule at `pos` (its regular expressions no longer run) with the problem `message`. */
    const disable = (pos: number, reason: string, line: number | undefined, message: string) => {
      const rule = rules[pos];
      for (const sl of rule.regexSlots) regexes[sl] = null;
      rule.disabled = reason;
      problems.push({ rule: rule.index, line, severity: 'error', message: `rule ${rule.index + 1} (${rule.tag}): ${message}; rule disabled for the rest of the run` });
    };
    /** Adds `ms` to the rule of `slot` and disables it past the budget (under the bound on each record, but slow on so many that it would hold the analysis for minutes). */
    const charge = (slot: number, ms: number, line: number | undefined, where: number) => {
      const pos = regexRule[slot];
      spent[pos] += ms;
      if (spent[pos] > ruleBudget && !rules[pos].disabled)
        disable(pos, `regular expression took over ${ruleBudget} ms in total and was disabled`, line, `regular expression took ${Math.round(spent[pos])} ms in total by record ${line ?? where} (slow on many records: catastrophic backtracking?)`);
      // Matches this rule made on earlier records stay (this record's too): they were evaluated in full.
    };
    let size = batchSize;
    for (let b = 0; b < records.length; ) {
      const batch = records.slice(b, b + size);
      pastDeadline();
      const T = batch.map((rec) => {
        pastDeadline();
        return regexes.map((_, slot) => fieldText(ownField(rec.fields, rules[regexRule[slot]].field)));
      });
      ctx.R = regexes;
      ctx.T = T;
      let ok = false;
      try {
        BATCH_SCRIPT.runInContext(ctx, { timeout: batchTimeout });
        ok = true;
      } catch (e) {
        if (!isTimeout(e)) throw e;
      }
      if (ok) {
        const out = ctx.out as number[][];
        out.forEach((hits, i) => (regexHits[b + i] = new Set(hits)));
        b += batch.length;
        continue;
      }
      // Slow batch: one record at a time (all its regular expressions in one call, each one's time measured for the
      // budget), under the batch's bound; a record over it, one regular expression at a time under its own bound.
      // (One call per regular expression and record for the whole batch took 0.35 ms each: 2,000 quick rules on 2,000
      // cases, whose batches of 500 ran past the bound by their number alone, took 6 minutes.)
      let recordsMs = 0;
      let slowRecord = false;
      for (let i = 0; i < batch.length; i++) {
        pastDeadline();
        const line = batch[i].line;
        ctx.row = T[i];
        slotMs.fill(0);
        const t0 = performance.now();
        try {
          RECORD_SCRIPT.runInContext(ctx, { timeout: batchTimeout });
          recordsMs += performance.now() - t0;
          regexHits[b + i] = new Set(ctx.out as number[]);
          for (let slot = 0; slot < regexes.length; slot++) if (slotMs[slot] > 0) charge(slot, slotMs[slot], line, b + i + 1);
          continue;
        } catch (e) {
          if (!isTimeout(e)) throw e;
          slowRecord = true;
        }
        const hits = new Set<number>();
        for (let slot = 0; slot < regexes.length; slot++) {
          const re = regexes[slot];
          const s = T[i][slot];
          if (re === null || s === undefined) continue;
          pastDeadline();
          ctx.k = slot;
          ctx.s = s;
          const t1 = performance.now();
          try {
            ONE_SCRIPT.runInContext(ctx, { timeout: evalTimeout });
            if (ctx.out === true) hits.add(slot);
            charge(slot, performance.now() - t1, line, b + i + 1);
          } catch (e) {
            if (!isTimeout(e)) throw e;
            // Matches this rule made on earlier records stay: they were evaluated in full.
            disable(regexRule[slot], `regular expression exceeded ${evalTimeout} ms on one record and was disabled`, line, `regular expression took longer than ${evalTimeout} ms on record ${line ?? b + i + 1} (catastrophic backtracking?)`);
          }
        }
        regexHits[b + i] = hits;
      }
      // A batch slow by its size alone (every record under the bound): later batches are made as large as half the bound
      // holds at this batch's pace, so that they do not each run past the bound first.
      if (!slowRecord && recordsMs > 0) size = Math.max(1, Math.min(batchSize, Math.floor((batchTimeout / 2) * (batch.length / recordsMs))));
      b += batch.length;
    }
  }

  const tags: string[] = new Array(records.length);
  const cov: RuleCoverage[] = rules.map((r) => ({ index: r.index, tag: r.tag, matches: 0, wins: 0 }));
  const tagCount = new Map<string, number>();
  const examplesMax = opts.examples ?? 50;
  const multi: CoverageReport['multiMatched'] = { count: 0, examples: [] };
  const unmatchedGroups = new Map<string, { text: string; count: number }>();
  let unmatched = 0;
  // Characters compared since the clock was last read: a rule of a million substrings, or a long text, is not one
  // quick step per record, so the bound is checked inside a record's matching too.
  let work = 0;
  const containsAny = (t: string, needles: string[]): boolean => {
    const cost = t.length + 1;
    for (let j = 0; j < needles.length; j++) {
      if (t.includes(needles[j])) return true;
      work += cost;
      if (work >= WORK_PER_CLOCK_CHECK) {
        work = 0;
        pastDeadline();
      }
    }
    return false;
  };
  for (let i = 0; i < records.length; i++) {
    if ((i & 255) === 255) pastDeadline();
    const rec = records[i];
    const hits: number[] = [];
    for (let pos = 0; pos < rules.length; pos++) {
      const r = rules[pos];
      let hit = false;
      if (r.type === 'substring') {
        if (r.disabled) continue;
        const t = texts(rec, r.field, r.caseSensitive);
        hit = t !== undefined && containsAny(t, r.needles);
      } else {
        const h = regexHits[i];
        hit = h !== undefined && r.regexSlots.some((s) => h.has(s));
      }
      if (hit) hits.push(pos);
    }
    matched[i] = hits;
    for (const p of hits) cov[p].matches++;
    let tag = defaultTag;
    if (hits.length > 0) {
      tag = rules[hits[0]].tag;
      cov[hits[0]].wins++;
    } else {
      unmatched++;
      const text = fieldText(ownField(rec.fields, DEFAULT_FIELD)) ?? '';
      const key = groupKey(text);
      const g = unmatchedGroups.get(key);
      if (g) g.count++;
      // cases without a title (none mapped, or empty) are one group, named: an empty name read as a display fault
      else unmatchedGroups.set(key, { text: text.replace(/\s+/g, ' ').trim() || NO_TITLE_GROUP, count: 1 });
    }
    if (hits.length > 1) {
      multi.count++;
      if (multi.examples.length < examplesMax)
        multi.examples.push({ line: rec.line, ...idOf(rec.fields), text: fieldText(ownField(rec.fields, DEFAULT_FIELD)) ?? '', rules: hits.map((p) => rules[p].index), tags: hits.map((p) => rules[p].tag) });
    }
    tags[i] = tag;
    tagCount.set(tag, (tagCount.get(tag) ?? 0) + 1);
  }
  rules.forEach((r, p) => {
    if (r.disabled) cov[p].disabled = r.disabled;
  });
  const tagCounts = [...tagCount.entries()].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  return {
    tags,
    matched: matched.map((h) => h.map((p) => rules[p].index)),
    tagCounts,
    coverage: {
      rules: cov,
      neverMatched: cov.filter((c) => c.matches === 0).map((c) => c.index),
      neverWins: cov.filter((c) => c.matches > 0 && c.wins === 0).map((c) => c.index),
      multiMatched: multi,
      unmatched: {
        count: unmatched,
        groups: [...unmatchedGroups.values()].sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)).slice(0, examplesMax),
      },
    },
    problems,
    defaultTag,
  };
}
