/**
 * Hostile inputs for the shared Loki texts (src/core/parse/loki-intern.ts) and the CLI's `--json`
 * writer memo: texts that defeat a `Map` must not be memoised.
 *
 * V8 hashes a string longer than 16,383 characters by its length only, so every such key of one
 * length lands in one hash chain and each lookup compares against all of them: with distinct
 * 17,000-character REASON tails a 53 MB log took 42 s instead of 0.7 s (and grows quadratically).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LokiIntern, MAX_MEMO_KEY_CHARS, TextMemo, TextPool } from '../../src/core/parse/loki-intern';
import { parseFileFinding } from '../../src/core/parse/python-messages';
import { JSON_MEMO_CHARS, WRITE_CHUNK_CHARS, writeJson } from '../../src/cli/cli';
import type { LokiAnalysis } from '../../src/core/analyze/loki-summary';
import type { LokiFinding } from '../../src/core/model/loki';
import { readInt } from '../../src/core/parse/text';

const LONG = 17_000; // beyond V8's full-hash length (16,383)

/** A complete FILE message; `pad` makes the chosen part long. */
function fileMessage(i: number, long: 'tail' | 'path' | 'type' | 'firstBytes' | 'none'): string {
  const pad = 'A'.repeat(LONG) + String(i).padStart(8, '0');
  const path = long === 'path' ? `C:\\${pad}` : 'C:\\x\\core.dll';
  const type = long === 'type' ? pad : 'EXE';
  const fb = long === 'firstBytes' ? pad : '4d5a / <filter object at 0x01>';
  const matches = long === 'tail' ? pad : 'x';
  return (
    `FILE: ${path} SCORE: 150 TYPE: ${type} SIZE: 241664 FIRST_BYTES: ${fb} MD5: 72579411a8096fb3626868f0932c0202 ` +
    'SHA1: 06038f516a6c46d002a8137ef80cf4f1ac3817df SHA256: c00c1d4e60ccce1abd56df15681ff96e03628e8177ac6299b3507699cd1862c7 ' +
    'CREATED: Tue Mar  4 16:02:51 2025 MODIFIED: Tue Mar  4 16:02:51 2025 ACCESSED: Wed Mar 12 09:20:13 2025 ' +
    `REASON_1: Yara Rule MATCH: R1 SUBSCORE: 80 DESCRIPTION: d REF: - AUTHOR: - MATCHES: ${matches}` +
    `REASON_2: File Name IOC matched PATTERN: x${long === 'tail' ? pad : ''} SUBSCORE: 70 DESC: y`
  );
}

test('intern hostile: texts longer than MAX_MEMO_KEY_CHARS are neither stored nor looked up', () => {
  assert.ok(MAX_MEMO_KEY_CHARS >= 1000 && MAX_MEMO_KEY_CHARS <= 16_383);
  const long = 'x'.repeat(MAX_MEMO_KEY_CHARS + 1);
  const m = new TextMemo<number>();
  assert.equal(m.set(long, 1), 1);
  assert.equal(m.size, 0);
  assert.equal(m.get(long), undefined);
  const edge = 'y'.repeat(MAX_MEMO_KEY_CHARS);
  m.set(edge, 2);
  assert.equal(m.get(edge), 2);
  assert.equal(m.size, 1);

  const p = new TextPool();
  assert.equal(p.text(long), long);
  assert.equal(p.size, 0);
});

test('intern hostile: distinct long tails, paths, types and FIRST_BYTES stay out of the memos (same values)', () => {
  const intern = new LokiIntern();
  for (const kind of ['tail', 'path', 'type', 'firstBytes'] as const) {
    for (let i = 0; i < 40; i++) {
      const msg = fileMessage(i, kind);
      const shared = parseFileFinding(msg, intern);
      assert.deepEqual(shared, parseFileFinding(msg));
      assert.equal(shared?.reasons.length, 2);
    }
  }
  assert.equal(intern.reasonLists.size, 1); // the one short tail (rounds 'path', 'type', 'firstBytes')
  assert.equal(intern.paths.size, 1); // C:\x\core.dll only
  assert.equal(intern.fileTypes.size, 1); // EXE only
  assert.equal(intern.firstBytes.size, 1);
  for (let i = 0; i < 40; i++) {
    const r = parseFileFinding(fileMessage(i, 'tail'), intern)!;
    assert.equal(r.reasons[0].matches, 'A'.repeat(LONG) + String(i).padStart(8, '0'));
    assert.equal(r.reasons[1].rule, 'x' + 'A'.repeat(LONG) + String(i).padStart(8, '0'));
  }
  assert.equal(intern.reasons.size, 2); // `Yara … MATCHES: x` and `File Name IOC … PATTERN: x …`
  // Short texts are still shared.
  const a = parseFileFinding(fileMessage(1, 'none'), intern)!;
  const b = parseFileFinding(fileMessage(2, 'none'), intern)!;
  assert.equal(a.reasons, b.reasons);
});

test('cli json hostile: the writer keeps no long text as a Map key (same bytes)', () => {
  const finding = (i: number): LokiFinding => ({
    host: 'H',
    level: 'ALERT',
    module: 'FileScan',
    kind: 'file',
    timestamp: 0,
    reasons: [],
    message: '',
    source: { file: 'f.log', line: i + 1 },
    scanIndex: 0,
    path: 'P'.repeat(LONG) + String(i).padStart(8, '0'),
  });
  const findings = [0, 1, 2].map(finding);
  const a = {
    summary: { files: 1, hosts: 1, hostsWithFindings: 1, alerts: 3, warnings: 0, notices: 0, unparsedLines: 0, cleanHosts: 0, scansSetAside: 0, scannerErrors: 0 },
    hosts: [],
    scans: [],
    findings,
    rules: [],
    errors: [],
    warnings: [],
    setAside: [],
    scannerMessages: [],
    skipped: [],
  } as unknown as LokiAnalysis;
  const keys: number[] = [];
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const set = Map.prototype.set;
  Map.prototype.set = function (this: Map<unknown, unknown>, k: unknown, v: unknown) {
    if (typeof k === 'string') keys.push(k.length);
    return set.call(this, k, v);
  };
  const out: string[] = [];
  try {
    writeJson(a, { stdout: (s) => out.push(s) });
  } finally {
    Map.prototype.set = set;
  }
  assert.ok(keys.length > 0); // host / level / module / file are memoised
  assert.ok(Math.max(...keys) <= MAX_MEMO_KEY_CHARS, `longest Map key ${Math.max(...keys)}`);
  const doc = JSON.parse(out.join('')) as { findings: { path: string }[] };
  assert.deepEqual(
    doc.findings.map((f) => f.path),
    findings.map((f) => f.path),
  );
});

test('cli json hostile: the JSON memos hold a bounded amount of text (distinct long texts cost no memory after writing)', () => {
  // 3,000 findings with distinct 1,000-character paths and reasons of control characters: JSON
  // escapes each as \u00XX, so every path or reasons JSON is ~6,000 characters (36 M in all). The
  // writer streams; what it keeps for repeated texts must stay small (the old writer kept nothing;
  // keeping all of it made `loki --json` run out of a 300 MB heap on a 62 MB log the old one wrote).
  const ctl = '\u0001'.repeat(1000);
  const findings: LokiFinding[] = [];
  for (let i = 0; i < 3000; i++) {
    findings.push({
      host: 'H',
      level: 'ALERT',
      module: 'FileScan',
      kind: 'file',
      timestamp: 0,
      reasons: [{ kind: 'other', rule: 'r', raw: '', description: ctl + i }],
      message: '',
      source: { file: 'f.log', line: i + 1 },
      scanIndex: 0,
      path: ctl + i,
    });
  }
  const a = {
    summary: { files: 1, hosts: 1, hostsWithFindings: 1, alerts: 3000, warnings: 0, notices: 0, unparsedLines: 0, cleanHosts: 0, scansSetAside: 0, scannerErrors: 0 },
    hosts: [],
    scans: [],
    findings,
    rules: [],
    errors: [],
    warnings: [],
    setAside: [],
    scannerMessages: [],
    skipped: [],
  } as unknown as LokiAnalysis;
  let kept = 0;
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const set = Map.prototype.set;
  Map.prototype.set = function (this: Map<unknown, unknown>, k: unknown, v: unknown) {
    if (typeof v === 'string') kept += v.length;
    return set.call(this, k, v);
  };
  let written = 0;
  let last = '';
  try {
    writeJson(a, {
      stdout: (s) => {
        written += s.length;
        last = s;
      },
    });
  } finally {
    Map.prototype.set = set;
  }
  assert.ok(written > 36_000_000, `written ${written}`);
  assert.ok(kept <= JSON_MEMO_CHARS, `kept ${kept} characters of JSON`);
  assert.ok(JSON_MEMO_CHARS <= 16_000_000);
  assert.ok(last.startsWith('],\n"rules":'));
});

test('readInt: an index before the string start reads nothing, as before ([NaN, i])', () => {
  // charCodeAt outside the string is NaN: not a digit (the old isDigit test), so the read stops there.
  assert.deepEqual(readInt('12 x', -1), [NaN, -1]);
  assert.deepEqual(readInt('7', -3), [NaN, -3]);
  assert.deepEqual(readInt('SIZE: 42', 6), [42, 8]);
});

test('cli json hostile: findings are written in pieces of bounded size (huge texts never make one over-long string)', () => {
  // A batch of 2,000 findings used to be joined into one string whatever their size: six lines with
  // 15-million-character paths of control characters (90 MB of log, ~540 M characters of JSON)
  // exceeded V8's string limit and `loki --json` died with "Invalid string length".
  const path = '\u0001'.repeat(4000);
  const findings: LokiFinding[] = [];
  for (let i = 0; i < 1500; i++) {
    findings.push({
      host: 'H',
      level: 'ALERT',
      module: 'FileScan',
      kind: 'file',
      timestamp: 0,
      reasons: [],
      message: '',
      source: { file: 'f.log', line: i + 1 },
      scanIndex: 0,
      path: path + i,
    });
  }
  const a = {
    summary: { files: 1, hosts: 1, hostsWithFindings: 1, alerts: 1500, warnings: 0, notices: 0, unparsedLines: 0, cleanHosts: 0, scansSetAside: 0, scannerErrors: 0 },
    hosts: [],
    scans: [],
    findings,
    rules: [],
    errors: [],
    warnings: [],
    setAside: [],
    scannerMessages: [],
    skipped: [],
  } as unknown as LokiAnalysis;
  const chunks: string[] = [];
  writeJson(a, { stdout: (s) => chunks.push(s) });
  const one = JSON.stringify(path + 1000).length + 200; // one finding's JSON, at most
  assert.ok(chunks.join('').length > 36_000_000);
  for (const c of chunks) assert.ok(c.length <= WRITE_CHUNK_CHARS + one, `chunk of ${c.length} characters`);
  const doc = JSON.parse(chunks.join('')) as { findings: { path: string; source: { line: number } }[] };
  assert.equal(doc.findings.length, 1500);
  assert.equal(doc.findings[1499].path, path + 1499);
  assert.equal(doc.findings[1499].source.line, 1500);
});
