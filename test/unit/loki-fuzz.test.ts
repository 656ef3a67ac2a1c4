/**
 * Property tests (fast-check, fixed seed): the Loki parser never throws, terminates, and accounts for
 * every input line (parsedLines + unparsedLines === lines, one error per unparsed line).
 * Runs: FUZZ_RUNS env var (default 300), e.g. `FUZZ_RUNS=20000 node --test out/test/unit/loki-fuzz.test.js`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LokiLineParser, parseLokiText } from '../../src/core/parse/loki';
import { LineDecoder } from '../../src/core/parse/lines';
import type { LokiFileResult } from '../../src/core/model/loki';
import { writeInChunks } from './line-chunks';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 300);
const SEED = Number(process.env.FUZZ_SEED) || 42;
const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.resolve(__dirname, '../../../test/fixtures/loki');

/** Real and crafted lines used as mutation seeds. */
const SEEDS: string[] = (() => {
  const out: string[] = [];
  for (const dir of [REAL, FIX]) {
    for (const f of fs.readdirSync(dir)) {
      if (f.endsWith('.mjs') || f.startsWith('utf16') || f.startsWith('binary')) continue;
      const t = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const l of t.split(/\r?\n/)) if (l) out.push(l);
    }
  }
  return out;
})();

const KEYWORDS = [
  'FILE: ', ' SCORE: ', 'SCORE: ', ' TYPE: ', ' SIZE: ', ' FIRST_BYTES: ', ' MD5: ', ' SHA1: ', ' SHA256: ', ' CREATED: ',
  ' MODIFIED: ', ' ACCESSED: ', 'REASON_1: ', 'REASON_2: ', 'REASON_3: ', 'Yara Rule MATCH: ', ' SUBSCORE: ', ' DESCRIPTION: ',
  ' REF: ', ' AUTHOR: ', ' MATCHES: ', 'File Name IOC matched PATTERN: ', ' DESC: ', 'Malware Hash TYPE: ', ' HASH: ', ' PID: ',
  ' NAME: ', ' OWNER: ', ' CMD: ', ' PATH: ', ' COMMAND: ', ' IP: ', ' PORT: ', ' RIP: ', ' RPORT: ', 'Match: ', ' REASONS: [',
  '; ', ']', ',', '"', '\r', '\b', '\x1b[31m', '|/-\\', '\uFEFF', '\0', 'LOKI: ', 'Alert: MODULE: ', ' MESSAGE: ',
  'Results: ', 'Starting Loki Scan VERSION: ', 'Loki-RS scan started VERSION: ', '{"timestamp":"', '[2026-01-05T10:00:00Z] ',
  '20250312T08:14:02Z,', '2026-02-03T09:40:01Z ',
];

function check(r: LokiFileResult, inputLines: number): void {
  assert.equal(r.lines, inputLines);
  assert.equal((r.parsedLines ?? 0) + (r.unparsedLines ?? 0), r.lines);
  assert.equal(r.errors.filter((e) => e.line > 0).length, r.unparsedLines);
  for (const e of r.errors) assert.ok(e.line >= 0 && e.line <= r.lines);
  for (const f of r.findings) assert.ok(f.scanIndex >= 0 && f.scanIndex < r.scans.length);
}

function runLines(lines: string[]): LokiFileResult {
  const p = new LokiLineParser('fuzz.log');
  for (const l of lines) p.push(l);
  return p.finish();
}

const mutatedLine = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
        fc.record({ op: fc.constant('ins' as const), at: fc.nat(), s: fc.string({ maxLength: 4 }) }),
        fc.record({ op: fc.constant('kw' as const), at: fc.nat(), s: fc.constantFrom(...KEYWORDS) }),
        fc.record({ op: fc.constant('del' as const), at: fc.nat(), n: fc.nat({ max: 30 }) }),
        fc.record({ op: fc.constant('dup' as const), at: fc.nat(), n: fc.nat({ max: 40 }) }),
      ),
      { maxLength: 6 },
    ),
  )
  .map(([line, ops]) => {
    let s = line;
    for (const o of ops) {
      const at = s.length ? o.at % (s.length + 1) : 0;
      if (o.op === 'cut') s = s.slice(0, at);
      else if (o.op === 'ins' || o.op === 'kw') s = s.slice(0, at) + o.s + s.slice(at);
      else if (o.op === 'del') s = s.slice(0, at) + s.slice(at + o.n);
      else s = s.slice(0, at) + s.slice(at, at + o.n) + s.slice(at);
    }
    return s;
  });

const anyLine = fc.oneof(
  { weight: 5, arbitrary: mutatedLine },
  { weight: 2, arbitrary: fc.constantFrom(...SEEDS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...KEYWORDS), { maxLength: 12 }).map((a) => a.join('')) },
);

test('fuzz: arbitrary strings never throw and every line is accounted for', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
      const r = parseLokiText(text, 'fuzz.txt');
      const n = text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      check(r, n);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: mutated real/crafted lines (truncation, insertion, duplicated keywords)', () => {
  fc.assert(
    fc.property(fc.array(anyLine, { maxLength: 40 }), (lines) => {
      // Push lines directly: embedded \n / \r are inside a "physical line" here on purpose.
      const r = runLines(lines);
      check(r, lines.length);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: line-starting format is fixed by the first record; mixed formats still account', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...SEEDS), { minLength: 1, maxLength: 30 }), fc.nat(), (lines, k) => {
      const text = lines.join(k % 2 ? '\r\n' : '\n');
      const r = parseLokiText(text, 'mix.log');
      check(r, lines.length);
      const again = parseLokiText(text, 'mix.log');
      assert.deepEqual(again.findings.length, r.findings.length); // deterministic
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: LineDecoder chunking is invisible (any split of the bytes gives the same lines)', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 10 }),
      fc.constantFrom('utf8', 'utf16le'),
      (text, sizes, enc) => {
        const body = Buffer.from(text.replace(/\0/g, ''), enc as BufferEncoding);
        const bytes = enc === 'utf16le' ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body;
        const whole: string[] = [];
        const d1 = new LineDecoder((l) => whole.push(l), 8);
        d1.write(bytes);
        d1.end();
        const parts: string[] = [];
        writeInChunks(new LineDecoder((l) => parts.push(l), 8), bytes, sizes);
        assert.deepEqual(parts, whole);
      },
    ),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz: Python CSV lines given as bytes (pushBytes) parse as the same lines given as text (push): hosts, levels, modules, chunk ends', () => {
  const file = fs.readdirSync(REAL).find((f) => f.endsWith('.csv'))!;
  const fileMsgs = fs
    .readFileSync(path.join(REAL, file), 'utf8')
    .split(/\r?\n/)
    .filter((l) => /^\d{8}T[\d:]{8}Z,[^,]*,(ALERT|WARNING|NOTICE),\w+,FILE: /.test(l))
    .map((l) => l.split(',').slice(4).join(','))
    .slice(0, 3);
  assert.ok(fileMsgs.length > 0);
  // Hosts that share bytes, lengths or prefixes with each other, and hosts that are not ASCII.
  const hosts = ['WS-1', 'WS-10', 'WS-2', 'ws-1', 'WS-\u00fc', 'WS-\u00fc2', 'WS-\u00e9', 'WS-\u20ac', 'W', '', 'WS-1 x'];
  const levels = ['INFO', 'DEBUG', 'NOTICE', 'WARNING', 'ALERT', 'ERROR', 'CRITICAL', 'RESULT', 'Info', 'INFOS', 'ALERTX', ''];
  const modules = ['FileScan', 'Init', 'ProcessScan', 'Results', 'Mod_1', 'Fi le', '\u00dc', ''];
  const messages = [
    ...fileMsgs,
    'Scanning C:/x',
    'Starting Loki Scan VERSION: 0.44.2 SYSTEM: WS-1 TIME: 20220110T08:00:00Z',
    'Results: 1 alerts, 2 warnings, 3 notices',
    'Finished LOKI Scan SYSTEM: WS-1 TIME: 20220110T09:00:00Z',
    'SYSTEM SEEMS TO BE CLEAN.',
    'Indicators detected!',
    "LOKI's work has been interrupted by a human",
    'R\u00e9sum\u00e9 of something',
  ];
  const line = fc.oneof(
    {
      weight: 12,
      arbitrary: fc
        .tuple(fc.nat(59), fc.constantFrom(...hosts), fc.constantFrom(...levels), fc.constantFrom(...modules), fc.constantFrom(...messages))
        .map(([s, h, l, m, msg]) => `20220110T08:00:${String(s).padStart(2, '0')}Z,${h},${l},${m},${msg}`),
    },
    { weight: 1, arbitrary: fc.constantFrom('  continued text', 'contin\u00fc\u00e9d', '') },
  );
  fc.assert(
    fc.property(fc.array(line, { minLength: 1, maxLength: 60 }), fc.array(fc.boolean(), { maxLength: 60 }), (lines, ends) => {
      const name = 'loki_WS-1_2022-01-10_08-00-00.csv';
      const text = new LokiLineParser(name);
      for (const l of lines) text.push(l);
      const bytes = new LokiLineParser(name);
      lines.forEach((l, i) => {
        const b = Buffer.from(l, 'utf8');
        bytes.pushBytes(b, 0, b.length, b.every((c) => c < 0x80));
        if (ends[i]) bytes.releaseBytes(); // a chunk ends after this line
      });
      assert.deepStrictEqual(bytes.finish(), text.finish());
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
