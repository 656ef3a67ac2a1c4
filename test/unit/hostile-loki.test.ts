/**
 * Hostile and malformed input for the Loki path: line ends, over-long lines, special files,
 * super-linear parser hot spots, JSONL values that break String(), CSV injection, bad table queries.
 * Large inputs are generated into os.tmpdir() at test time and removed afterwards.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { LokiLineParser, parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import { LineDecoder, MAX_LINE_CHARS } from '../../src/core/parse/lines';
import { writeInChunks } from './line-chunks';
import { discoverLokiFiles } from '../../src/core/parse/discover';
import { parseFileFinding } from '../../src/core/parse/python-messages';
import { parseRsLegacyFinding } from '../../src/core/parse/rs-messages';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';
import { TableStore, type StoreColumn } from '../../src/core/table/store';
import type { LokiFileResult } from '../../src/core/model/loki';
import type { TableQuery } from '../../src/shared/protocol';
import { assertSubquadratic } from './cpu-cost';

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-hostile-'));
after(() => fs.rmSync(TMP, { recursive: true, force: true }));

let seq = 0;
function tmpFile(content: string | Buffer, name = `f${seq++}.log`): string {
  const p = path.join(TMP, name);
  fs.writeFileSync(p, content);
  return p;
}

/** One real-looking Python Loki 0.51 file finding. */
function pyFinding(host: string, file: string, rule = 'RuleX'): string {
  return (
    `20211013T22:11:03Z ${host} LOKI: Warning: MODULE: FileScan MESSAGE: FILE: ${file} SCORE: 70 TYPE: EXE SIZE: 10 ` +
    'FIRST_BYTES: 4d5a / MZ MD5: 0123456789abcdef0123456789abcdef SHA1: 0123456789abcdef0123456789abcdef01234567 ' +
    'SHA256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef CREATED: Mon Mar 10 11:47:05 2025 ' +
    `MODIFIED: Mon Mar 10 11:47:05 2025 ACCESSED: Mon Mar 10 11:47:09 2025 REASON_1: Yara Rule MATCH: ${rule} SUBSCORE: 70 ` +
    'DESCRIPTION: d REF: r AUTHOR: a MATCHES: Str1: x'
  );
}

function accounting(r: LokiFileResult): void {
  assert.equal((r.parsedLines ?? 0) + (r.unparsedLines ?? 0), r.lines, 'parsed + unparsed = lines');
  assert.equal(r.errors.filter((e) => e.line > 0).length, r.unparsedLines, 'one error per unparsed line');
  for (const e of r.errors) assert.ok(e.line >= 0 && e.line <= r.lines && e.file === r.file);
}

/** Resolves with the promise's value, or 'timeout' after `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<'timeout'>((r) => (t = setTimeout(() => r('timeout'), ms)))]).finally(() => clearTimeout(t));
}

// ------------------------------------------------------------------ line ends

test('hostile: lone-CR line ends (classic Mac) are line breaks, not one glued record', async () => {
  const lines = [pyFinding('HOSTA', 'C:\\a.exe'), pyFinding('HOSTA', 'C:\\b.exe'), pyFinding('HOSTA', 'C:\\c.exe')];
  const r = await parseLokiFile(tmpFile(lines.join('\r') + '\r'));
  accounting(r);
  assert.equal(r.lines, 3);
  assert.deepEqual(r.findings.map((f) => [f.path, f.source.line]), [['C:\\a.exe', 1], ['C:\\b.exe', 2], ['C:\\c.exe', 3]]);
});

test('hostile: mixed CRLF / LF / lone CR endings keep every record and VS Code line numbers', async () => {
  const l = (c: string) => pyFinding('HOSTA', `C:\\${c}.exe`);
  const r = await parseLokiFile(tmpFile(`${l('a')}\r\n${l('b')}\n${l('c')}\r${l('d')}\n\r\n${l('e')}`));
  accounting(r);
  assert.equal(r.lines, 6); // the empty line 5 counts (blank → parsed)
  assert.deepEqual(r.findings.map((f) => [f.path, f.source.line]), [
    ['C:\\a.exe', 1], ['C:\\b.exe', 2], ['C:\\c.exe', 3], ['C:\\d.exe', 4], ['C:\\e.exe', 6],
  ]);
});

test('hostile: LineDecoder splitLoneCR — any chunking gives the same lines (CRLF split across chunks)', () => {
  const text = 'a\r\nb\rc\n\rd\r\r\ne\r';
  const expected = ['a', 'b', 'c', '', 'd', '', 'e'];
  const bytes = Buffer.from(text);
  for (let size = 1; size <= bytes.length; size++) {
    const got: string[] = [];
    const d = new LineDecoder((l) => got.push(l), 4, { splitLoneCR: true });
    for (let i = 0; i < bytes.length; i += size) d.write(bytes.subarray(i, i + size));
    d.end();
    assert.deepEqual(got, expected, `chunk size ${size}`);
  }
  // Default (no option): unchanged legacy behaviour, only LF ends a line.
  const legacy: string[] = [];
  const d = new LineDecoder((l) => legacy.push(l), 4);
  d.write(bytes);
  d.end();
  assert.deepEqual(legacy, ['a', 'b\rc', '\rd\r', 'e']);
});

test('hostile: LineDecoder splitLoneCR property — same lines as splitting on CRLF|CR|LF, for any chunking', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom('a', 'é', '\r', '\n', '\r\n', '😀'), { maxLength: 60 }).map((a) => a.join('')),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
      (text, sizes) => {
        const expected = text === '' ? [] : text.split(/\r\n|\r|\n/);
        if (expected.length && /(\r\n|\r|\n)$/.test(text)) expected.pop();
        const bytes = Buffer.from(text);
        const got: string[] = [];
        const d = new LineDecoder((l) => got.push(l), 4, { splitLoneCR: true });
        writeInChunks(d, bytes, sizes);
        assert.deepEqual(got, expected);
      },
    ),
    { seed: 7, numRuns: 500 },
  );
});

test('hostile: LineDecoder byte path — each line is the input bytes at its offset (any chunking, BOM, CR/LF mixes)', () => {
  // The columnar Loki store reads messages back from the file at these offsets (loki-store.ts).
  fc.assert(
    fc.property(
      fc.boolean(),
      fc.array(fc.constantFrom('a', 'bc', 'é', '\r', '\n', '\r\n', '😀', ','), { maxLength: 80 }).map((a) => a.join('')),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 8 }),
      (bom, text, sizes) => {
        const bytes = Buffer.concat([Buffer.from(bom ? [0xef, 0xbb, 0xbf] : []), Buffer.from(text)]);
        const expected = text === '' ? [] : text.split(/\r\n|\r|\n/);
        if (expected.length && /(\r\n|\r|\n)$/.test(text)) expected.pop();
        const got: string[] = [];
        const d = new LineDecoder((l) => got.push('string path: ' + l), 4, {
          splitLoneCR: true,
          onLineBytes: (buf, start, end, _ascii, at) => {
            assert.ok(bytes.subarray(at, at + end - start).equals(buf.subarray(start, end)), `line ${got.length + 1} at ${at}`);
            got.push(buf.toString('utf8', start, end));
          },
        });
        writeInChunks(d, bytes, sizes);
        assert.deepEqual(got, expected);
      },
    ),
    { seed: 7, numRuns: 500 },
  );
});

// ------------------------------------------------------------------ over-long lines

test('hostile: a line longer than MAX_LINE_CHARS counts as ONE unparsed line; later line numbers stay right', async () => {
  const big = 'x'.repeat(MAX_LINE_CHARS + 3 * (1 << 20)); // > 16 Mi chars, spans several 1 MiB chunks
  const f = tmpFile(`${pyFinding('HOSTA', 'C:\\first.exe')}\n${big}\n${pyFinding('HOSTA', 'C:\\after.exe')}\n`);
  const r = await parseLokiFile(f);
  accounting(r);
  assert.equal(r.lines, 3);
  assert.equal(r.unparsedLines, 1);
  assert.equal(r.errors[0].line, 2);
  assert.match(r.errors[0].message, /line too long \(\d+ characters/);
  assert.deepEqual(r.findings.map((f) => [f.path, f.source.line]), [['C:\\first.exe', 1], ['C:\\after.exe', 3]]);
});

test('hostile: an over-long last line without EOL is reported too', async () => {
  const r = await parseLokiFile(tmpFile(`${pyFinding('HOSTA', 'C:\\a.exe')}\n${'y'.repeat(MAX_LINE_CHARS + 10)}`));
  accounting(r);
  assert.equal(r.lines, 2);
  assert.equal(r.errors[0].line, 2);
  assert.match(r.errors[0].message, new RegExp(`line too long \\(${MAX_LINE_CHARS + 10} characters`));
});

// ------------------------------------------------------------------ special files

test('hostile: a FIFO passed to parseLokiFile does not hang (line-0 error)', { skip: process.platform === 'win32' }, async () => {
  const fifo = path.join(TMP, 'pipe.log');
  execFileSync('mkfifo', [fifo]);
  const res = await within(parseLokiFile(fifo), 3000);
  if (res === 'timeout') {
    // Unblock the stuck open() so the test process can exit, then fail.
    const w = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
    fs.closeSync(w);
    assert.fail('parseLokiFile blocked on a FIFO');
  }
  assert.equal(res.lines, 0);
  assert.equal(res.errors[0].line, 0);
  assert.match(res.errors[0].message, /not a regular file/);
});

test('hostile: endless character devices (/dev/urandom, /dev/zero) are refused, not read forever', { skip: !fs.existsSync('/dev/urandom') }, async () => {
  for (const dev of ['/dev/urandom', '/dev/zero']) {
    const res = await within(parseLokiFile(dev), 5000);
    assert.notEqual(res, 'timeout', `${dev} read forever`);
    const r = res as LokiFileResult;
    assert.equal(r.errors[0].line, 0);
    assert.match(r.errors[0].message, /not a regular file/);
  }
  // A symlink to them inside a folder is ignored by discovery.
  const dir = path.join(TMP, 'devlinks');
  fs.mkdirSync(dir);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero.log'));
  fs.symlinkSync('/dev/urandom', path.join(dir, 'rand.log'));
  const d = await discoverLokiFiles([dir]);
  assert.deepEqual(d.files, []);
});

test('hostile: symlink loops are reported once and terminate', { skip: process.platform === 'win32' }, async () => {
  const dir = path.join(TMP, 'loops');
  fs.mkdirSync(path.join(dir, 'a'), { recursive: true });
  fs.symlinkSync('..', path.join(dir, 'a', 'up'));
  fs.symlinkSync(path.join(dir, 'a'), path.join(dir, 'a', 'self'));
  fs.symlinkSync('nowhere', path.join(dir, 'a', 'dangling.log'));
  fs.symlinkSync('l2', path.join(dir, 'l1'));
  fs.symlinkSync('l1', path.join(dir, 'l2')); // ELOOP
  fs.writeFileSync(path.join(dir, 'a', 'r.log'), pyFinding('H', 'C:\\x'));
  const d = await within(discoverLokiFiles([dir]), 5000);
  assert.notEqual(d, 'timeout');
  const r = d as Awaited<ReturnType<typeof discoverLokiFiles>>;
  assert.deepEqual(r.files, [path.join(dir, 'a', 'r.log')]);
  // the loops are skipped with the reason, as beacons, kpi and qradar skip them (they were errors); a dangling link is an error
  const why = Object.fromEntries(r.skipped.map((k) => [path.relative(dir, k.file), k.reason]));
  assert.equal(why[path.join('a', 'up')], `symbolic link to a folder, not entered (a loop: it points to ${fs.realpathSync(dir)})`);
  assert.equal(why[path.join('a', 'self')], `symbolic link to a folder, not entered (a loop: it points to ${fs.realpathSync(path.join(dir, 'a'))})`);
  assert.equal(why.l1, 'symbolic link loop');
  assert.equal(why.l2, 'symbolic link loop');
  assert.deepEqual(r.errors.map((e) => path.relative(dir, e.file)), [path.join('a', 'dangling.log')]);
});

test('hostile: empty, whitespace-only, binary, invalid UTF-8 and BOM-less UTF-16 files', async () => {
  const empty = await parseLokiFile(tmpFile(''));
  assert.equal(empty.lines, 0);
  assert.deepEqual(empty.errors, []);
  const blank = await parseLokiFile(tmpFile('\n\r\n \t\n'));
  accounting(blank);
  assert.equal(blank.unparsedLines, 0);
  const bin = await parseLokiFile(tmpFile(Buffer.alloc(100000)));
  // binary data: no Loki output, skipped by the analysis as a binary file (no file error)
  assert.equal(bin.notText, 'binary');
  assert.deepEqual(bin.errors, []);
  const bad = await parseLokiFile(tmpFile(Buffer.concat([Buffer.from(pyFinding('H', 'C:\\\xff')), Buffer.from([0xc3, 0x28, 0x0a])])));
  accounting(bad);
  assert.equal(bad.encoding, 'windows-1252');
  assert.equal(bad.findings.length, 1);
  const u16 = await parseLokiFile(tmpFile(Buffer.from(`${pyFinding('H', 'C:\\ü.exe')}\r\n`, 'utf16le')));
  assert.equal(u16.encoding, 'utf-16le');
  assert.equal(u16.findings[0].path, 'C:\\ü.exe');
});

// ------------------------------------------------------------------ super-linear hot spots

test('hostile: thousands of REASON_n keys without a known prefix parse in linear time', () => {
  const n = 40000;
  const msg = (n: number) =>
    'FILE: a SCORE: 70 TYPE: x SIZE: 1 FIRST_BYTES: a REASON_1: Yara Rule MATCH: r SUBSCORE: 1 DESCRIPTION: d ' +
    Array.from({ length: n }, (_, i) => `REASON_${i + 2}: zz`).join(' ');
  const b = parseFileFinding(msg(n))!;
  assert.equal(b.reasons.length, n + 1);
  assert.equal(b.reasons[n].raw, 'zz');
  // CPU time of 40,000 keys against 2,500: linear, not quadratic (each key searched from the start was)
  assertSubquadratic('REASON_n keys', msg, (m) => parseFileFinding(m), n / 16);
});

test('hostile: REASON_n split still prefers the prefixed key (REASON_2: inside MATCHES is skipped)', () => {
  const msg =
    'FILE: a SCORE: 70 TYPE: x SIZE: 1 FIRST_BYTES: a REASON_1: Yara Rule MATCH: r SUBSCORE: 1 DESCRIPTION: d MATCHES: ' +
    'Str1: REASON_2: fake REASON_02: Yara Rule MATCH: no REASON_2: Yara Rule MATCH: real SUBSCORE: 2 DESCRIPTION: e';
  const b = parseFileFinding(msg)!;
  assert.deepEqual(b.reasons.map((r) => r.rule), ['r', 'real']);
  assert.match(b.reasons[0].matches!, /REASON_2: fake REASON_02: Yara Rule MATCH: no$/);
});

test('hostile: legacy Loki-RS GenMatch list with 100k `message: "` parses in linear time', () => {
  const msg = (n: number) => 'ALERT match found FILE: x ' + 'message: "'.repeat(n);
  const b = parseRsLegacyFinding(msg(100000))!;
  assert.ok(b.reasons.length > 0);
  assertSubquadratic('`message: "` × n', msg, (m) => parseRsLegacyFinding(m), 100000 / 16);
  // score still attached to its own GenMatch only
  const two = parseRsLegacyFinding('FILE: x REASONS: [GenMatch { message: "YARA match with rule A", score: 70 }, GenMatch { message: "YARA match with rule B" }]')!;
  assert.deepEqual(two.reasons.map((r) => [r.rule, r.subscore]), [['A', 70], ['B', undefined]]);
});

test('hostile: catastrophic-backtracking candidates stay fast (spaces, SCORE: x100k, 1M colons, ANSI, spinner)', () => {
  const P = '20211013T22:11:03Z HOSTA LOKI: Warning: MODULE: FileScan MESSAGE: ';
  // each case at its full size (scale 16) is read, and costs at most ~16^1.5 times its 1/16 size in CPU time:
  // backtracking that is quadratic or worse in the run's length fails that
  const cases: ((scale: number) => string)[] = [
    (s) => P + 'FILE: ' + ' '.repeat(62500 * s) + 'SCORE: 1',
    (s) => P + 'FILE: a ' + 'SCORE: '.repeat(6250 * s),
    (s) => P + 'FILE: a ' + 'SCORE: 1 '.repeat(6250 * s),
    (s) => P + 'FILE: ' + ':'.repeat(62500 * s) + ' SCORE: 1 TYPE: x',
    (s) => P + 'FILE: a SCORE: 70 TYPE: x SIZE: 1 FIRST_BYTES: a ' + 'REASON_'.repeat(6250 * s),
    (s) => P + ('\x1b[' + '1'.repeat(100)).repeat(625 * s),
    (s) => '|/-\\ '.repeat(6250 * s),
    (s) => '2026-02-03T09:41:27Z HOST ALERT Match: /a SCORE: 80 REASONS: [' + '; x'.repeat(6250 * s) + ']',
  ];
  for (const c of cases) {
    accounting(parseLokiText(c(16), 'x.log'));
    assertSubquadratic(`${c(1).replace(P, '').slice(0, 40)}…`, c, (text) => parseLokiText(text, 'x.log'), 1);
  }
});

// ------------------------------------------------------------------ JSONL values

test('hostile: JSONL values that break String() (toString key, deep nesting) keep the record', () => {
  const deep = '['.repeat(20000) + ']'.repeat(20000);
  const text = [
    '{"timestamp":"2026-02-03T09:41:27Z","event_type":"scan_start","hostname":"H","message":"Loki-RS scan started VERSION: 2.0"}',
    '{"timestamp":"2026-02-03T09:41:28Z","level":"ALERT","event_type":"file_match","hostname":"H","file_path":"/x","score":85,' +
      '"reasons":[{"message":"YARA match with rule R","score":85,"matched_strings":["a",{"toString":1},' + deep + ']}]}',
    '{"timestamp":"2026-02-03T09:41:29Z","level":"ERROR","event_type":"error","hostname":"H","message":"boom","context":{"a":{"toString":1},"b":' + deep + '}}',
    '{"timestamp":"2026-02-03T09:41:30Z","event_type":"scan_end","hostname":"H","message":"Loki-RS scan finished","context":{"valueOf":{"x":1},"Alerts":1,"Warnings":0,"Notices":0}}',
  ].join('\n');
  const r = parseLokiText(text, 'loki_H_2026-02-03_09-41-27.jsonl');
  accounting(r);
  assert.equal(r.unparsedLines, 0, JSON.stringify(r.errors).slice(0, 300));
  assert.equal(r.findings.length, 1);
  assert.match(r.findings[0].reasons[0].matches!, /^a, \{"toString":1\}, /);
  assert.equal(r.scans[0].messages.length, 1);
  assert.match(r.scans[0].messages[0].message, /a: \{"toString":1\}/);
  assert.equal(r.scans[0].verdict, 'indicators');
});

test('hostile: JSONL __proto__/constructor keys and hostnames do not pollute prototypes; payloads stay verbatim', () => {
  const payload = '<img src=x onerror=alert(1)>"><script>alert(1)</script>\u202e\u0000';
  const lines = ['__proto__', 'constructor', 'toString'].map((h) =>
    JSON.stringify({ timestamp: '2026-02-03T09:41:27Z', level: 'ALERT', event_type: 'file_match', hostname: h, file_path: `/x/${payload}`, score: 1e309 }),
  );
  lines.push('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"timestamp":"2026-02-03T09:41:27Z","event_type":"file_match"}');
  const r = parseLokiText(lines.join('\n'), 'x.jsonl');
  accounting(r);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(r.findings.map((f) => f.host), ['__proto__', 'constructor', 'toString', '']); // (no hostname: '' = no host, named after its file by the summary)
  assert.equal(r.findings[0].path, `/x/${payload}`);
  assert.equal(r.findings[0].score, undefined); // 1e309 → Infinity → dropped, not NaN/Infinity
});

test('hostile: overlong lines fed to LokiLineParser directly via pushOverlong are accounted', () => {
  const p = new LokiLineParser('x.log');
  p.push(pyFinding('H', 'C:\\a'));
  p.pushOverlong(123);
  p.push(pyFinding('H', 'C:\\b'));
  const r = p.finish();
  accounting(r);
  assert.deepEqual(r.findings.map((f) => f.source.line), [1, 3]);
});

// ------------------------------------------------------------------ CSV export

test('hostile: CSV export neutralises NUL and LF formula prefixes too (ASVS V1.2.10) and round-trips', () => {
  // `+1+1`, `-1)`: a sign before anything but a plain number (a plain `+1` / `-1` is a number, kept: see csv.ts)
  const cells = ["=cmd|' /C calc'!A0", '@SUM(1+1)', '+1+1', '-1)', '\t=1', '\r=1', '\n=1+1', '\0=1+1', 'a,b"c', 'ok'];
  // a formula character after a line break gets its own ' too (Excel with ';' ends the record there)
  for (const c of cells.slice(0, 8)) assert.equal(neutralizeCell(c), `'${c.replace(/^([\r\n])/, "$1'")}`, JSON.stringify(c));
  assert.equal(neutralizeCell('ok'), 'ok');
  // a text cell that is a signed number is neutralised too: Excel with ';' as list separator reads a line up to the
  // next ';', so `-1` followed by the cell `1+cmd|' /C calc'!A0` is the one field `-1,1+cmd|…` — a formula (review)
  assert.deepEqual([neutralizeCell('+1'), neutralizeCell('-1'), neutralizeCell('x;-1')], ["'+1", "'-1", "x;'-1"]);
  const back: string[][] = parse(toCsv(['h'], cells.map((c) => [c])), { relax_column_count: false });
  assert.deepEqual(back.slice(1).map((r) => r[0]), cells.map((c) => neutralizeCell(c)));
});

// ------------------------------------------------------------------ table store

test('hostile: table store survives malformed queries and out-of-range windows/ids', () => {
  const rows = Array.from({ length: 100 }, (_, i) => ({ h: i % 2 ? `h${i}` : '.*+?^${}()|[]\\', s: i }));
  const cols: StoreColumn<(typeof rows)[number]>[] = [
    { id: 'h', title: 'H', type: 'text', get: (r) => r.h },
    { id: 's', title: 'S', type: 'number', get: (r) => r.s },
  ];
  const st = new TableStore(rows, cols);
  const bad = (q: unknown) => q as TableQuery;
  assert.equal(st.window(bad({ search: '.*+?^${}()|[]\\' }), 0, 5).total, 50);
  assert.equal(st.window(bad({ search: 5 }), 0, 5).total, 100);
  assert.equal(st.window(bad({ columnFilters: { h: { x: 1 } } }), 0, 5).total, 100);
  assert.equal(st.window(bad(undefined), 0, 5).total, 100);
  assert.equal(st.window({ search: 'x'.repeat(1e6) }, 0, 5).total, 0);
  assert.equal(st.window({}, -5, 3).ids[0], 0);
  assert.equal(st.window({}, 0, 1e9).ids.length, 100);
  assert.equal(st.window({}, 1e9, 10).ids.length, 0);
  assert.equal(st.window({}, NaN, Infinity).ids.length, 100);
  assert.deepEqual(st.rowTexts(1e9), ['', '']);
  assert.deepEqual(st.rowTexts(-1, ['h']), ['']);
  assert.deepEqual(st.rowTexts(1.5), ['', '']);
});

// ------------------------------------------------------------------ impossible timestamps

test('hostile: a timestamp whose date or time does not exist is NaN, not rolled over into another date (every path)', async () => {
  const { parseLokiFileColumnar } = await import('../../src/core/parse/loki');
  const { MessageReader } = await import('../../src/core/parse/loki-store');
  const { parseIsoTs, parsePyTs, utcDay } = await import('../../src/core/parse/text');
  // Date.UTC alone gave 2023-04-13T04:40:39Z for the first and 1899-11-30 for the second.
  assert.ok(Number.isNaN(parsePyTs('20221399T99:99:99Z')));
  assert.ok(Number.isNaN(parsePyTs('00000000T00:00:00Z')));
  assert.ok(Number.isNaN(parsePyTs('20220229T00:00:00Z'))); // 2022 is no leap year
  assert.ok(Number.isNaN(parsePyTs('20220101T24:00:00Z')));
  assert.ok(Number.isNaN(parseIsoTs('2022-02-30T00:00:00Z')));
  assert.ok(Number.isNaN(parseIsoTs('2022-01-01T23:60:00+01:00')));
  assert.equal(parsePyTs('20240229T23:59:59Z'), Date.parse('2024-02-29T23:59:59Z'));
  assert.equal(parsePyTs('20000229T00:00:00Z'), Date.parse('2000-02-29T00:00:00Z'));
  assert.ok(Number.isNaN(parsePyTs('19000229T00:00:00Z')));
  assert.equal(parsePyTs('20161231T23:59:60Z'), Date.parse('2016-12-31T23:59:59Z')); // leap second: the day's last second, as Normalize Timestamps
  assert.equal(parseIsoTs('2022-01-19T18:50:46.5+02:00'), Date.parse('2022-01-19T16:50:46.500Z'));
  assert.equal(utcDay(50, 6, 1), Date.parse('0050-06-01T00:00:00Z')); // not 1950
  // Every existing day is Date.UTC's value; every other one NaN.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 }), (y, mo, d) => {
      const probe = new Date(0);
      probe.setUTCFullYear(y, mo - 1, d);
      const exists = mo >= 1 && mo <= 12 && d >= 1 && probe.getUTCMonth() === mo - 1 && probe.getUTCDate() === d;
      const got = utcDay(y, mo, d);
      return exists ? got === probe.getTime() : Number.isNaN(got);
    }),
    { numRuns: 3000 },
  );
  // The same through a file: the byte path of a Python CSV log, the columnar store and the string path.
  const line = (ts: string, file: string): string =>
    `${ts},DS1,ALERT,FileScan,FILE: C:\\${file} SCORE: 140 TYPE: UNKNOWN SIZE: 99761 FIRST_BYTES: 230a23 / <f> ` +
    'MD5: 2d627721090593d73ea446f5a4b9382e SHA1: a688b85fd04893c3ee477d05f92b028cde22c685 ' +
    'SHA256: 21b540afccf22c762c51c0e808e1aabf26c941ae11af82082fb7a265afc681c5 CREATED: Mon Dec 27 03:30:46 2021 ' +
    'MODIFIED: Sun Aug 15 16:30:43 2021 ACCESSED: Mon Dec 27 03:30:46 2021 REASON_1: Yara Rule MATCH: R SUBSCORE: 60 DESCRIPTION: d';
  const text = [
    line('20220119T18:50:46Z', 'ok1'),
    line('20221399T99:99:99Z', 'month13'),
    line('00000000T00:00:00Z', 'zero'),
    line('20220119T18:61:00Z', 'minute61'),
    line('20161231T23:59:60Z', 'leap'),
    line('20220119T18:50:60Z', 'second60'),
    line('20220119T18:50:47Z', 'ok2'),
  ].join('\n') + '\n';
  const want: [string, number][] = [
    ['C:\\ok1', Date.parse('2022-01-19T18:50:46Z')],
    ['C:\\month13', NaN],
    ['C:\\zero', NaN],
    ['C:\\minute61', NaN],
    ['C:\\leap', Date.parse('2016-12-31T23:59:59Z')], // a leap second: the day's last second, as Normalize Timestamps
    ['C:\\second60', NaN], // second 60 that is no leap second: no time (as Normalize Timestamps: unparsed)
    ['C:\\ok2', Date.parse('2022-01-19T18:50:47Z')],
  ];
  const file = tmpFile(text, 'badts.csv');
  const viaObjects = await parseLokiFile(file);
  accounting(viaObjects);
  assert.deepStrictEqual(viaObjects.findings.map((f) => [f.path, f.timestamp]), want);
  const viaColumns = await parseLokiFileColumnar(file, new MessageReader());
  assert.deepStrictEqual([...viaColumns.findings].map((f) => [f.path, f.timestamp]), want);
  assert.deepStrictEqual(parseLokiText(text, 'badts.csv').findings.map((f) => [f.path, f.timestamp]), want);
});
