/**
 * Shared texts of Loki findings (src/core/parse/loki-intern.ts) and the faster paths built on them:
 * differential tests against the plain code paths on the real results, the fixtures and mutated
 * lines (fast-check, fixed seed), plus the CLI's `--json` finding serialisation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { LokiIntern, TextMemo, TextPool } from '../../src/core/parse/loki-intern';
import { parseFileFinding } from '../../src/core/parse/python-messages';
import { parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import { hexRunKind, isHexRun, readInt } from '../../src/core/parse/text';
import { analyzeLoki, lokiScanId, type LokiAnalysis } from '../../src/core/analyze/loki-summary';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { isoUtcCached, writeJson } from '../../src/cli/cli';
import { isoUtc } from '../../src/core/time';
import type { LokiFinding } from '../../src/core/model/loki';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');

/** Every file of the real results and the text fixtures. */
const FILES: string[] = [REAL, FIX].flatMap((d) =>
  fs
    .readdirSync(d)
    .filter((f) => !f.endsWith('.mjs'))
    .map((f) => path.join(d, f)),
);

/** The `FILE: …` messages of the real results and fixtures (the text after the envelope). */
const FILE_MESSAGES: string[] = (() => {
  const out: string[] = [];
  for (const f of FILES) {
    if (/utf16|binary/.test(f)) continue;
    for (const l of fs.readFileSync(f, 'utf8').split(/\r?\n/)) {
      const i = l.indexOf('FILE: ');
      if (i >= 0) out.push(l.slice(i));
    }
  }
  return out;
})();

const KEYWORDS = [
  ' SCORE: ', ' TYPE: ', ' SIZE: ', ' FIRST_BYTES: ', ' MD5: ', ' SHA1: ', ' SHA256: ', ' CREATED: ', ' MODIFIED: ',
  ' ACCESSED: ', 'REASON_1: ', 'REASON_2: ', 'REASON_3: ', 'REASON_02: ', 'Yara Rule MATCH: ', ' SUBSCORE: ', ' DESCRIPTION: ',
  ' REF: ', ' AUTHOR: ', ' MATCHES: ', 'File Name IOC matched PATTERN: ', ' DESC: ', 'Malware Hash TYPE: ', ' HASH: ',
  'Levenshtein check', 'Anomaly detected', 'ABCDEF', 'abcdef0123', '\x10\x15', '\u0130', ' ', '',
];

/** A real `FILE:` message with cuts, insertions, deletions and duplicated spans. */
const mutatedMessage = fc
  .tuple(
    fc.constantFrom(...FILE_MESSAGES),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('ins' as const), at: fc.nat(), s: fc.string({ maxLength: 4 }) }),
        fc.record({ op: fc.constant('kw' as const), at: fc.nat(), s: fc.constantFrom(...KEYWORDS) }),
        fc.record({ op: fc.constant('del' as const), at: fc.nat(), n: fc.nat({ max: 30 }) }),
        fc.record({ op: fc.constant('dup' as const), at: fc.nat(), n: fc.nat({ max: 60 }) }),
        fc.record({ op: fc.constant('up' as const), at: fc.nat(), n: fc.nat({ max: 80 }) }),
      ),
      { maxLength: 5 },
    ),
  )
  .map(([msg, ops]) => {
    let s = msg;
    for (const o of ops) {
      const at = s.length ? o.at % (s.length + 1) : 0;
      if (o.op === 'cut') s = s.slice(0, at);
      else if (o.op === 'ins' || o.op === 'kw') s = s.slice(0, at) + o.s + s.slice(at);
      else if (o.op === 'del') s = s.slice(0, at) + s.slice(at + o.n);
      else if (o.op === 'dup') s = s.slice(0, at) + s.slice(at, at + o.n) + s.slice(at);
      else s = s.slice(0, at) + s.slice(at, at + o.n).toUpperCase() + s.slice(at + o.n);
    }
    return s;
  });

test('intern: TextMemo keeps values, respects its limit and turns itself off on a low hit rate', () => {
  const m = new TextMemo<number>(3, 8, 0.5);
  assert.equal(m.get('a'), undefined);
  m.set('a', 1);
  m.set('b', 2);
  m.set('c', 3);
  m.set('d', 4); // over the limit: not stored
  assert.equal(m.size, 3);
  assert.equal(m.get('a'), 1);
  assert.equal(m.get('d'), undefined);
  assert.equal(m.active, true);
  // 8 lookups with 1 hit (< 50 %): off for good, nothing stored any more.
  for (let i = 0; i < 5; i++) m.get('x' + i);
  assert.equal(m.active, false);
  assert.equal(m.get('a'), undefined);
  m.set('e', 5);
  assert.equal(m.size, 0);

  const p = new TextPool();
  const a = 'C:\\Windows\\System32\\x.exe';
  const b = ('C:\\Windows\\System32\\x' + '.exe').slice(0); // equal text, built separately
  assert.equal(p.text(a), a);
  assert.equal(p.text(b), a);
  assert.equal(p.size, 1);
});

test('intern: TextMemo behaves like a Map for texts that share a fingerprint (same length, same sampled characters)', () => {
  // 256 characters: 16 are sampled (every 16th from the end); the texts differ only at position 1,
  // which is never sampled, so all of them share one fingerprint and one bucket.
  const text = (i: number) => 'R' + String.fromCharCode(0x41 + (i % 26)) + String.fromCharCode(0x61 + Math.floor(i / 26)) + 'x'.repeat(253);
  const m = new TextMemo<number>();
  for (let i = 0; i < 20; i++) m.set(text(i), i);
  // Only the first 8 are kept (bucket cap); every answer is right or a miss, never another text's value.
  assert.equal(m.size, 8);
  for (let i = 0; i < 20; i++) assert.equal(m.get(text(i).slice(0)), i < 8 ? i : undefined, String(i));
  m.set(text(3), 99); // a text already stored keeps its first value
  assert.equal(m.get(text(3)), 3);
  // Against a Map on random texts (short, long, near-duplicates): same answers where stored.
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.string({ maxLength: 40 }), fc.nat(3)), { maxLength: 200 }), (ops) => {
      const memo = new TextMemo<number>(1e6, 1e6, 0);
      const ref = new Map<string, number>();
      ops.forEach(([k, rep], i) => {
        const key = k.repeat(rep + 1);
        const got = memo.get(key);
        if (got !== undefined) assert.equal(got, ref.get(key));
        else if (!ref.has(key)) {
          memo.set(key, i);
          ref.set(key, i);
        }
      });
      for (const [k, v] of ref) assert.equal(memo.get(k), v);
    }),
    { seed: 7, numRuns: 300 },
  );
});

test('intern: hexRunKind is isHexRun, and 1 exactly when toLowerCase changes nothing', () => {
  const alphabet = '0123456789abcdefABCDEFgG \x10\x19\x1a\x0f\u0130\u00c1xX:'.split('');
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), fc.nat({ max: 5 }), fc.nat({ max: 40 }), (cs, i, n) => {
      const s = cs.join('');
      const k = hexRunKind(s, i, n);
      assert.equal(k !== 0, isHexRun(s, i, n));
      if (k === 1) assert.equal(s.slice(i, i + n).toLowerCase(), s.slice(i, i + n));
      if (k === 2) assert.notEqual(s.slice(i, i + n).toLowerCase(), s.slice(i, i + n));
    }),
    { seed: SEED, numRuns: RUNS * 10 },
  );
  assert.equal(hexRunKind('MD5: 6bf474e180c160142578f745f1ff7cfc', 5, 32), 1);
  assert.equal(hexRunKind('MD5: 6BF474E180C160142578F745F1FF7CFC', 5, 32), 2);
  assert.equal(hexRunKind('MD5: 6bf474e180c160142578f745f1ff7cf', 5, 32), 0);
});

test('readInt: digit arithmetic gives what Number(digits) gave (up to 15 digits, else NaN)', () => {
  const oldReadInt = (s: string, i: number): [number, number] => {
    let j = i;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    if (j === i || j - i > 15) return [NaN, i];
    return [Number(s.slice(i, j)), j];
  };
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...'0123456789 9x:'.split('')), { maxLength: 20 }), fc.nat({ max: 21 }), (cs, i) => {
      const s = cs.join('');
      const [a, ae] = readInt(s, i);
      const [b, be] = oldReadInt(s, i);
      assert.ok(Object.is(a, b), `${s} @${i}: ${a} vs ${b}`);
      assert.equal(ae, be);
    }),
    { seed: SEED, numRuns: RUNS * 10 },
  );
  assert.deepEqual(readInt('SIZE: 999999999999999 x', 6), [999_999_999_999_999, 21]);
  assert.deepEqual(readInt('SIZE: 0001', 6), [1, 10]);
  assert.ok(Number.isNaN(readInt('SIZE: 1234567890123456', 6)[0]));
});

test('intern: parseFileFinding with a shared intern equals the plain parse (real, fixtures, mutated)', () => {
  assert.ok(FILE_MESSAGES.length >= 10, 'real FILE findings found');
  const intern = new LokiIntern();
  for (const m of [...FILE_MESSAGES, ...FILE_MESSAGES]) assert.deepStrictEqual(parseFileFinding(m, intern), parseFileFinding(m));
  fc.assert(
    fc.property(fc.array(mutatedMessage, { minLength: 1, maxLength: 8 }), (msgs) => {
      // twice, so that the second round is answered from the memos
      for (const m of [...msgs, ...msgs]) assert.deepStrictEqual(parseFileFinding(m, intern), parseFileFinding(m));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('intern: repeated reasons are one shared array, with the real values', () => {
  const msg =
    'FILE: C:\\Program Files (x86)\\WinPcap\\Uninstall.exe SCORE: 70 TYPE: EXE SIZE: 121106 FIRST_BYTES: 4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x03A76FB8> MD5: C0F94449E113FA3F7EB420C64108B58B SHA1: 2fc0779b5c0d560b4a085e452898b64775c9c3a6 SHA256: 348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede CREATED: Tue Dec 18 12:01:51 2018 MODIFIED: Tue Dec 18 12:01:51 2018 ACCESSED: Tue Dec 18 12:01:51 2018 REASON_1: Yara Rule MATCH: S149_WinPcap SUBSCORE: 70 DESCRIPTION: WinPcap REF: - MATCHES: Str1: nsis.sf.net Str2: WinPcap';
  const other = msg.replace('Uninstall.exe', 'Other.exe').replace('SIZE: 121106', 'SIZE: 5');
  const intern = new LokiIntern();
  const a = parseFileFinding(msg, intern)!;
  const b = parseFileFinding(other, intern)!;
  assert.equal(a.reasons, b.reasons); // same array object
  assert.equal(a.fileType, 'EXE');
  assert.equal(a.md5, 'c0f94449e113fa3f7eb420c64108b58b');
  assert.equal(a.sha1, '2fc0779b5c0d560b4a085e452898b64775c9c3a6');
  assert.deepStrictEqual(a.reasons, [
    {
      kind: 'yara',
      rule: 'S149_WinPcap',
      raw: 'Yara Rule MATCH: S149_WinPcap SUBSCORE: 70 DESCRIPTION: WinPcap REF: - MATCHES: Str1: nsis.sf.net Str2: WinPcap',
      subscore: 70,
      description: 'WinPcap',
      ref: '-',
      matches: 'Str1: nsis.sf.net Str2: WinPcap',
    },
  ]);
  assert.deepStrictEqual([a.created, a.modified, a.accessed], ['Tue Dec 18 12:01:51 2018', 'Tue Dec 18 12:01:51 2018', 'Tue Dec 18 12:01:51 2018']);
  const times = parseFileFinding(msg.replace('MODIFIED: Tue Dec 18 12:01:51 2018', 'MODIFIED: Wed Dec 19 12:01:51 2018'))!;
  assert.deepStrictEqual([times.created, times.modified, times.accessed], ['Tue Dec 18 12:01:51 2018', 'Wed Dec 19 12:01:51 2018', 'Tue Dec 18 12:01:51 2018']);
  const noAccess = parseFileFinding(msg.replace(' ACCESSED: Tue Dec 18 12:01:51 2018', ''))!;
  assert.deepStrictEqual([noAccess.created, noAccess.modified, noAccess.accessed], ['Tue Dec 18 12:01:51 2018', 'Tue Dec 18 12:01:51 2018', undefined]);
  assert.equal(b.size, 5);
  assert.equal(b.path, 'C:\\Program Files (x86)\\WinPcap\\Other.exe');
});

test('intern: files parsed with one shared intern give the same results as each on its own', async () => {
  const shared = new LokiIntern();
  for (const f of [...FILES, ...FILES]) {
    const a = await parseLokiFile(f, { intern: shared });
    const b = await parseLokiFile(f);
    assert.deepStrictEqual(a, b, f);
  }
  // A memo that has turned itself off (unique texts) changes nothing either.
  const off = new LokiIntern();
  for (let i = 0; i < 5000; i++) off.reasonLists.get('unique ' + i);
  assert.equal(off.reasonLists.active, false);
  for (const f of FILES) assert.deepStrictEqual(await parseLokiFile(f, { intern: off }), await parseLokiFile(f), f);
  // parseLokiText with a shared intern, on the real CSV, twice.
  const csv = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'), 'utf8');
  const t1 = parseLokiText(csv, 'x.csv', shared);
  const t2 = parseLokiText(csv, 'x.csv', shared);
  assert.deepStrictEqual(t1, t2);
  assert.ok(t1.findings.length > 0);
  assert.equal(t1.findings[0].reasons, t2.findings[0].reasons);
});

test('intern: a whole run over a folder with repeated and mutated files equals the per-file parse', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-intern-'));
  const csv = fs.readFileSync(path.join(REAL, 'scan_result (1).csv'), 'utf8');
  const lines = csv.split('\n');
  for (let i = 0; i < 6; i++) {
    // Same host findings in several files, some with the reasons or hashes changed.
    const t = lines
      .map((l, k) => (k % (i + 2) === 0 ? l.replace('SUBSCORE: 70', 'SUBSCORE: 71').replace(/MD5: ([0-9a-f]{8})/, (_m, h: string) => 'MD5: ' + h.toUpperCase()) : l))
      .join(i % 2 ? '\r\n' : '\n')
      .replace(/DS1/g, 'HOST' + i);
    fs.writeFileSync(path.join(dir, `scan_${i}.csv`), t);
  }
  const run = await runLokiAnalysis([dir]);
  const files = fs.readdirSync(dir).sort().map((f) => path.join(dir, f));
  const each = [];
  for (const f of files) each.push(await parseLokiFile(f));
  const expected = analyzeLoki(each);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(run.findings)), JSON.parse(JSON.stringify(expected.findings)));
  assert.deepStrictEqual(run.rules, expected.rules);
  assert.ok(run.findings.length >= 6 * 5);
  assert.ok([...run.findings].some((f) => f.reasons.some((r) => r.subscore === 71)));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('cli json: the per-day ISO memo writes what isoUtc writes', () => {
  const iso = isoUtcCached();
  const ref = (ms: number | undefined) => isoUtc(ms) || null;
  const fixed = [undefined, NaN, Infinity, -Infinity, 0, -1, 1, 999, 1000, 86_399_999, 86_400_000, -86_400_000, -86_400_001,
    8.64e15, -8.64e15, 8.64e15 + 1, 253_402_300_799_999, 253_402_300_800_000, -62_167_219_200_000, -62_167_219_200_001, 1.5, -0.5,
    1_641_801_605_000, 1_641_801_605_007, 1_641_801_605_070, 1_641_801_605_700];
  for (const v of fixed) assert.equal(iso(v), ref(v), String(v));
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -9e15, max: 9e15 }), fc.integer({ min: 1_600_000_000_000, max: 1_700_000_000_000 }), fc.double()), (v) => {
      assert.equal(iso(v), ref(v));
    }),
    { seed: SEED, numRuns: RUNS * 30 },
  );
});

/** The finding JSON as writeJson built it before (one JSON.stringify per finding). */
function oldFindingJson(f: LokiFinding): string {
  const nul = <V>(v: V | undefined): V | null => (v === undefined ? null : v);
  return JSON.stringify({
    host: f.host,
    level: f.level,
    module: f.module,
    timestamp: isoUtc(f.timestamp) || null,
    path: nul(f.path),
    score: nul(f.score),
    md5: nul(f.md5),
    sha1: nul(f.sha1),
    sha256: nul(f.sha256),
    reasons: f.reasons.map((r) => ({ kind: r.kind, rule: r.rule, subscore: nul(r.subscore), description: nul(r.description), ref: nul(r.ref) })),
    source: { file: f.source.file, line: f.source.line },
  });
}

test('cli json: findings are written byte for byte as one JSON.stringify per finding', async () => {
  const run = await runLokiAnalysis([REAL, FIX]);
  const a: LokiAnalysis = { ...run, findings: [...run.findings] };
  // Odd findings too: no optional fields, NaN time, quotes / control characters / non-ASCII in texts.
  const odd: LokiFinding = {
    host: 'h"\u0001\u00e9',
    level: 'NOTICE',
    module: 'X',
    kind: 'other',
    timestamp: NaN,
    reasons: [{ kind: 'other', rule: 'r\n"x"', raw: '' }, { kind: 'yara', rule: '', raw: '', subscore: 1, description: '\u2028', ref: '' }],
    message: 'm',
    source: { file: 'C:\\a "b".log', line: 7 },
    scanIndex: 0,
  };
  a.findings.push(
    odd,
    { ...odd, timestamp: 1_641_801_605_123, reasons: a.findings[0].reasons },
    { ...odd, timestamp: -1 },
    { ...odd, score: NaN, path: 'C:\\x\\"y"\u2029.exe', md5: 'ABC', sha1: '', sha256: '\u0010' },
    { ...odd, score: Infinity, source: { file: 'f', line: NaN } },
    { ...odd, score: -0, source: { file: 'f', line: -0 } },
    { ...odd, score: 1e21, source: { file: 'f', line: 2.5 } },
    // Not well-typed (as from a hand-built or foreign object): the general path, keys dropped as JSON.stringify drops them.
    { ...odd, host: undefined as unknown as string, module: 7 as unknown as string },
    { ...odd, path: 5 as unknown as string, score: '3' as unknown as number, source: { file: undefined as unknown as string, line: 1 } },
  );
  const out: string[] = [];
  writeJson(a, { stdout: (s) => out.push(s) });
  const text = out.join('');
  const doc = JSON.parse(text) as { findings: unknown[] };
  assert.equal(doc.findings.length, a.findings.length);
  const start = text.indexOf('"findings":[') + '"findings":['.length;
  const end = text.indexOf('],\n"rules":');
  const body = text.slice(start, end);
  // the fixtures hold a host whose latest scan did not finish (kept with its last finished scan): every
  // finding then names its scan, as with --all-scans
  assert.ok(a.scans.length > a.hosts.length);
  const scansIn = new Map(a.files.map((f) => [f.file, f.scans]));
  const withScan = (f: LokiFinding) => oldFindingJson(f).slice(0, -1) + ',"scanId":' + JSON.stringify(lokiScanId(f.source.file, f.scanIndex, scansIn.get(f.source.file))) + '}';
  assert.equal(body, '\n' + a.findings.map(withScan).join(',\n'));
});
