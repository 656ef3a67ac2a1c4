/**
 * Hostile review of 2026-12-07 (round 4): folder inputs that are not what their names say, Zeek headers that are not
 * what Zeek writes, and attacker text in the CLI's text tables and Markdown summaries. Real samples from
 * ../shared/data are the base of each hostile variant.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, copyFileSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { main } from '../../src/cli/cli';
import { sniffInput, streamLines } from '../../src/core/parse/zeek';
import { parseZeekTsvText } from '../../src/core/parse/zeek-table';
import { assertSubquadratic } from './cpu-cost';
import { visibleText } from '../../src/shared/visible-text';
import { oneLogLine, showInvisible, terminalSafe } from '../../src/core/text-safe';
import { escapeMarkdownCell } from '../../src/core/export/markdown-escape';
import { neutralizeCell } from '../../src/core/export/csv';
import { parseLokiFile } from '../../src/core/parse/loki';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-1207-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const SHARED = join(__dirname, '..', '..', '..', '..', 'shared', 'data');
const ZEEK_HOUR = join(SHARED, 'zeek', 'day-2024-04-19', 'conn.00:00:00-01:00:00.log.gz');

/** A sparse file of `bytes` NUL bytes (no disk used): a packet capture or disk image as a folder holds them. */
function sparseFile(file: string, bytes: number): string {
  const fd = openSync(file, 'w');
  try {
    ftruncateSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  return file;
}

describe('beacons: a large binary file beside the logs', () => {
  const GiB = 1024 ** 3;

  test('streamLines stops at the first chunk once the start is binary (it read all 4 GiB for no line)', async () => {
    const f = sparseFile(join(TMP, 'capture.pcap'), 4 * GiB);
    let lines = 0;
    const r = await streamLines(f, () => lines++);
    assert.equal(r.error, 'not a text file (binary data)');
    assert.equal(lines, 0);
    assert.ok(r.bytes <= 4 * 1024 * 1024, `read ${r.bytes} bytes of a binary file`);
  });

  test('sniffInput of an 8 GiB binary file answers "binary" at once (it read every byte)', async () => {
    const f = sparseFile(join(TMP, 'disk.img'), 8 * GiB);
    const t0 = performance.now();
    const info = await sniffInput(f);
    const ms = performance.now() - t0;
    assert.equal(info.format, 'binary');
    assert.ok(ms < 2000, `sniff took ${Math.round(ms)} ms`);
  });

  test('beacons on a real Zeek hour beside an 8 GiB capture: the log read, the capture skipped without reading it', async () => {
    const dir = join(TMP, 'evidence');
    mkdirSync(dir);
    copyFileSync(ZEEK_HOUR, join(dir, 'conn.00:00:00-01:00:00.log.gz'));
    sparseFile(join(dir, 'conn.pcap'), 8 * GiB);
    const c = capture();
    const t0 = performance.now();
    const code = await main(['beacons', dir, '--internal', 'none', '--json'], c.io);
    const ms = performance.now() - t0;
    assert.equal(code, 0, c.err());
    const doc = JSON.parse(c.out()) as { summary: { records: number; pairs: number }; skipped: { file: string; reason: string }[] };
    assert.equal(doc.summary.records, 1765);
    assert.equal(doc.summary.pairs, 78);
    assert.deepEqual(doc.skipped.map((s) => [s.file, s.reason]), [[join(dir, 'conn.pcap'), 'not a Zeek log, CSV or JSON-lines file']]);
    assert.ok(ms < 8000, `beacons took ${Math.round(ms)} ms`);
  });
});

describe('Zeek TSV: a #fields header that names a field twice', () => {
  interface Doc {
    summary: { records: number; pairsSeen: number; pairs: number };
    pairs: { src: string; dst: string; count: number }[];
    notes: string[];
  }
  /** The real hour with a decoy `id.resp_h` column appended (header and every data line): plain, gzip, and with a non-ASCII header value (read on the string path). */
  function decoyLog(kind: 'plain' | 'gzip' | 'utf8'): string {
    const gzip = kind === 'gzip';
    const lines = gunzipSync(readFileSync(ZEEK_HOUR)).toString('utf8').split('\n');
    const out = lines.map((l) => (l.startsWith('#fields\t') ? `${l}\tid.resp_h` : l.startsWith('#types\t') ? `${l}\taddr` : l.startsWith('#open\t') && kind === 'utf8' ? `${l} – é` : l === '' || l.startsWith('#') ? l : `${l}\t10.66.66.66`));
    const f = join(TMP, `decoy-${kind}.conn.log${gzip ? '.gz' : ''}`);
    writeFileSync(f, gzip ? gzipSync(out.join('\n')) : out.join('\n'));
    return f;
  }

  for (const kind of ['plain', 'gzip', 'utf8'] as const) {
    test(`the first column of the name is read and a note names the repeat (${kind}${kind === 'utf8' ? ': the string path' : ''}; the last one was read silently: every destination became the decoy)`, async () => {
      const f = decoyLog(kind);
      const c = capture();
      assert.equal(await main(['beacons', f, '--internal', 'none', '--json'], c.io), 0, c.err());
      const doc = JSON.parse(c.out()) as Doc;
      // the same as the real hour read as it is: 1765 records, 523 pairs seen, 78 listed, top pair to 64.225.56.201
      assert.equal(doc.summary.records, 1765);
      assert.equal(doc.summary.pairsSeen, 523);
      assert.equal(doc.summary.pairs, 78);
      assert.deepEqual([doc.pairs[0].src, doc.pairs[0].dst, doc.pairs[0].count], ['120.245.134.197', '64.225.56.201', 225]);
      assert.equal(doc.pairs.some((p) => p.dst === '10.66.66.66'), false);
      // (the other notes are the hour's own: since 2026-12-06 its pairs that never carried data — the same on the real hour)
      assert.deepEqual(doc.notes.filter((n) => n.includes('#fields')), [`decoy-${kind}.conn.log${kind === 'gzip' ? '.gz' : ''}:7: the #fields header names "id.resp_h" twice (columns 6 and 23); the first column was read`]);
      assert.deepEqual(doc.notes.filter((n) => !n.includes('#fields')).map((n) => n.slice(0, 40)), ['21 of 78 listed pairs never carried data']);
    });
  }
});

describe('tz convert of a Zeek log: the #fields header', () => {
  test('a header of many fields is read in linear time (100,000 fields, an 890 KB file, took 28 s: a walk of the columns per field)', () => {
    const log = (n: number) => `#separator \\x09\n#fields\tts\t${Array.from({ length: n }, (_, i) => `f${i}`).join('\t')}\n1713484795.943239\t${'x\t'.repeat(n - 1)}x\n`;
    const t = parseZeekTsvText(log(10), 'wide.log');
    assert.deepEqual(t.columns.slice(0, 3), ['ts', 'f0', 'f1']);
    assert.equal(t.columns.length, 11);
    assert.equal(t.rows[0].values.ts, '1713484795.943239');
    assertSubquadratic('parseZeekTsvText: #fields of n names', log, (text) => parseZeekTsvText(text, 'wide.log'), 2000);
  });

  test('a field named twice: the first column is its value (as beacons reads it) and the header line is reported', async () => {
    const lines = gunzipSync(readFileSync(ZEEK_HOUR)).toString('utf8').split('\n').slice(0, 10);
    // a decoy ts column at the end, with a time a year later
    const text = lines.map((l) => (l.startsWith('#fields\t') ? `${l}\tts` : l.startsWith('#types\t') ? `${l}\ttime` : l === '' || l.startsWith('#') ? l : `${l}\t1745020800.000000`)).join('\n');
    const t = parseZeekTsvText(text, 'conn.log');
    assert.deepEqual(t.rows.map((r) => r.values.ts), ['1713484795.943239', '1713484799.565772']);
    assert.equal(t.columns.filter((c) => c === 'ts').length, 1);
    assert.deepEqual(t.errors, [{ file: 'conn.log', line: 7, message: 'the #fields header names "ts" twice (columns 2 and 23); the first column was read' }]);
  });
});

describe('the dashboard shows what the CLI and the reports show of invisible characters', () => {
  const LOKI_1 = join(SHARED, 'loki', 'real-2021-2022', 'scan_result (1).log');

  test('a host name with a zero-width space, joiner, BOM, soft hyphen, C0/C1 control or DEL reads as such in a dashboard cell (only bidi controls were made visible: two hosts looked the same)', async () => {
    // the real scan, and copies of it whose host has each character after its name: each a host of its own in the tables
    const real = readFileSync(LOKI_1, 'utf8');
    const marks = ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u0007', '\u0085', '\u007f', '\u200e', '\u202e'];
    const found: string[] = [];
    for (const [i, text] of [real, ...marks.map((m) => real.replace(/DS-SER1/g, `DS-SER1${m}`))].entries()) {
      const f = join(TMP, `host-${i}.log`);
      writeFileSync(f, text);
      for (const x of (await parseLokiFile(f)).findings) found.push(x.host);
    }
    const hosts = [...new Set(found)].sort();
    assert.equal(hosts.length, 1 + marks.length);
    const shown = hosts.map(visibleText);
    assert.equal(new Set(shown).size, hosts.length);
    assert.deepEqual(shown, hosts.map((h) => terminalSafe(h, true)));
    assert.deepEqual(shown.filter((h) => h !== 'DS-SER1'), ['DS-SER1\\u0007', 'DS-SER1\\u007f', 'DS-SER1\\u0085', 'DS-SER1\\u00ad', 'DS-SER1\\u180e', 'DS-SER1\\u200b', 'DS-SER1\\u200c', 'DS-SER1\\u200d', 'DS-SER1\\u200e', 'DS-SER1\\u202e', 'DS-SER1\\u2060', 'DS-SER1\\ufeff'].sort());
  });

  test('line breaks and tabs stay (a message in the detail pane keeps its lines)', () => {
    assert.equal(visibleText('line 1\nline 2\r\n\tindented'), 'line 1\nline 2\r\n\tindented');
  });
});

describe('Hangul fillers and tag characters: blank or nothing where they are drawn', () => {
  // U+3164 HANGUL FILLER draws as a blank (the "invisible identifier" of Trojan Source), U+115F/U+1160 and U+FFA0 the
  // same, U+034F COMBINING GRAPHEME JOINER and U+17B4/U+17B5 as nothing; tag characters U+E0000–U+E007F (two UTF-16
  // units each) draw as nothing and can carry a hidden text ("ASCII smuggling")
  const cases: [string, string][] = [
    ['\u3164', '\\u3164'],
    ['\u115f', '\\u115f'],
    ['\u1160', '\\u1160'],
    ['\uffa0', '\\uffa0'],
    ['\u034f', '\\u034f'],
    ['\u17b4', '\\u17b4'],
    ['\u17b5', '\\u17b5'],
    ['\u{e0001}', '\\udb40\\udc01'],
    ['\u{e0041}\u{e0042}', '\\udb40\\udc41\\udb40\\udc42'],
    ['\u{e007f}', '\\udb40\\udc7f'],
  ];
  test('the CLI, the Markdown and CSV exports, the log and the dashboard write them as \\uXXXX text (they passed as they were)', () => {
    for (const [c, shown] of cases) {
      const host = `DS-SER1${c}`;
      const want = `DS-SER1${shown}`;
      assert.equal(terminalSafe(host), want, JSON.stringify(host));
      assert.equal(terminalSafe(host, true), want);
      assert.equal(oneLogLine(host), want);
      assert.equal(showInvisible(host), want);
      assert.equal(visibleText(host), want);
      assert.equal(escapeMarkdownCell(host), want);
      assert.equal(neutralizeCell(host), want);
    }
  });

  test('a lone surrogate, other astral characters and emoji are kept as they are', () => {
    for (const s of ['\udb40', 'a\udb40b', '\udc41', '\u{1f600}', '\u{e0100}', 'DS-SER1 \u{10000}', '\u2764\ufe0f']) {
      assert.equal(terminalSafe(s), s);
      assert.equal(showInvisible(s), s);
      assert.equal(visibleText(s), s);
    }
  });
});
