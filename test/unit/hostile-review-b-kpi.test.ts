/**
 * Hostile review B (kpi and tz convert): a time column empty in its first 500 rows (H1), one field with millions of
 * line breaks that made the whole file "too large" (H2), empty option values (M3), a `loki` run that read no file (L4).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCases } from '../../src/core/parse/cases';
import { readTabular, tableMemoryProblem, TZ_CONVERT_MEMORY, KPI_CASES_MEMORY } from '../../src/core/parse/cases-input';
import { nonEmptySample } from '../../src/core/tz-normalize';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { withOpenDenied } from './open-denied';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-b-kpi-'));
after(() => rmSync(TMP, { recursive: true, force: true }));
const tmpFile = (name: string, text: string | Buffer) => {
  const f = join(TMP, name);
  writeFileSync(f, text);
  return f;
};
const H = 3_600_000;

/** 600 cases newest first: rows 1–550 open (`Closed` empty), 551–600 closed 30 minutes after creation (the repro). */
function closedLateCsv(): string {
  const rows = ['Case ID,Title,Created,Closed,Status,Owner,Severity'];
  const t0 = Date.parse('2026-03-20T00:00:00Z');
  for (let i = 0; i < 600; i++) {
    const created = t0 - i * H;
    const closed = i >= 550 ? new Date(created + H / 2).toISOString().replace('.000Z', 'Z') : '';
    rows.push(`C-${1000 - i},${i >= 550 ? 'Malware alert' : 'Phishing report'} ${i},${new Date(created).toISOString().replace('.000Z', 'Z')},${closed},${closed ? 'Closed' : 'Open'},${i >= 550 ? 'bob' : 'alice'},High`);
  }
  return rows.join('\n') + '\n';
}

describe('H1: a time column empty in its first 500 rows is detected from its values further down', () => {
  test('nonEmptySample: the first n non-empty values wherever they are, in order; blank, null and undefined skipped', () => {
    const rows = [...Array.from({ length: 700 }, () => ({ v: '' })), { v: null }, { v: '  ' }, { v: 'a' }, { v: undefined }, { v: 'b' }, { v: 0 }];
    assert.deepEqual(nonEmptySample(rows, (r) => r.v), ['a', 'b', 0]);
    assert.deepEqual(nonEmptySample(rows, (r) => r.v, 2), ['a', 'b']);
    assert.deepEqual(nonEmptySample([{ v: '' }], (r) => r.v), []);
  });

  test('CSV: 550 open cases before 50 closed ones — the closed times are read (it said no "closed" column and MTTR unavailable)', async () => {
    const f = tmpFile('cases-closed-late.csv', closedLateCsv());
    const r = await readCases([f]);
    assert.equal(r.cases.length, 600);
    assert.equal(r.timeFormats.closed, 'iso');
    assert.ok(!r.missing.includes('closed'), `missing: ${r.missing.join(', ')}`);
    assert.ok(!r.notes.some((n) => /no timestamp format reads column "Closed"/.test(n)), r.notes.join('\n'));
    const closed = r.cases.filter((c) => c.closed !== undefined);
    assert.equal(closed.length, 50);
    for (const c of closed) assert.equal(c.closed! - c.created!, H / 2);
    assert.equal(closed[0].id, 'C-450');
    assert.equal(closed[0].closed, Date.parse('2026-02-25T02:30:00Z'));
  });

  test('CLI kpi of that file: MTTR over the 50 closed cases, 30 min', async () => {
    const f = tmpFile('cases-closed-late-cli.csv', closedLateCsv());
    const c = capture();
    const code = await main(['kpi', f, '--as-of', '2026-03-25T00:00:00Z', '--seed-rules', '--json'], c.io);
    assert.equal(code, 0, c.err());
    const j = JSON.parse(c.out());
    assert.equal(j.kpis.mttr.available, true);
    assert.equal(j.kpis.mttr.value.n, 50);
    assert.equal(j.kpis.mttr.value.median, H / 2);
    assert.ok(!j.missing.includes('closed'));
  });

  test('NDJSON that omits null keys: 520 records without acknowledged/closed, then 80 with — 80 acknowledgements and 80 closes read', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 600; i++) {
      const o: Record<string, string> = { id: `INC-${i}`, title: `Alert ${i}`, created: '2026-03-01T10:00:00Z', status: i >= 520 ? 'Closed' : 'Open' };
      if (i >= 520) {
        o.acknowledged = '2026-03-01T10:05:00Z';
        o.closed = '2026-03-01T11:00:00Z';
      }
      lines.push(JSON.stringify(o));
    }
    const f = tmpFile('cases-sparse.ndjson', lines.join('\n') + '\n');
    const r = await readCases([f]);
    assert.equal(r.cases.length, 600);
    assert.equal(r.timeFormats.acknowledged, 'iso');
    assert.equal(r.timeFormats.closed, 'iso');
    assert.ok(!r.missing.includes('acknowledged') && !r.missing.includes('closed'), `missing: ${r.missing.join(', ')}`);
    assert.equal(r.cases.filter((c) => c.acknowledged === Date.parse('2026-03-01T10:05:00Z')).length, 80);
    assert.equal(r.cases.filter((c) => c.closed === Date.parse('2026-03-01T11:00:00Z')).length, 80);
  });

  test('tz convert --column of a column empty in its first 500 rows: its format is detected, its times converted', async () => {
    const rows = ['id,closed'];
    for (let i = 0; i < 520; i++) rows.push(`${i},`);
    for (let i = 0; i < 5; i++) rows.push(`x${i},2026-03-01T1${i}:00:00+02:00`);
    const f = tmpFile('closed-late.csv', rows.join('\n') + '\n');
    const out = join(TMP, 'closed-late.out.csv');
    const c = capture();
    const code = await main(['tz', 'convert', f, '--column', 'closed', '--to', 'UTC', '--out', out], c.io);
    assert.equal(code, 0, c.err());
    const written = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(written.length, 526);
    assert.match(written[521], /^x0,2026-03-01T10:00:00\+02:00,2026-03-01T08:00:00(?:\.000)?(?:Z|\+00:00)/);
  });
});

describe('H2: line breaks inside one field do not make a file "too large to read"', () => {
  const heap = (freeBytes: number) => ({ heap_size_limit: 1e9, used_heap_size: 1e9 - freeBytes });
  /** The record count of the refusal message (a heap of 1 byte refuses every file). */
  const records = (buf: Buffer, blank: boolean | 'zeek' = false) => /about ([\d,]+) records/.exec(tableMemoryProblem(buf, TZ_CONVERT_MEMORY, heap(1), blank) ?? '')?.[1];

  test('the estimate counts lines holding something: a header, 3 records and a field of 2,000,000 line breaks are 5 (it was 2,000,005)', () => {
    const csv = Buffer.from('time,msg\n2024-01-01T00:00:00Z,"' + '\n'.repeat(2_000_000) + '"\n2024-01-01T00:00:01Z,b\n2024-01-01T00:00:02Z,c\n');
    assert.equal(records(csv), '5');
    // CRLF and lone CR line ends alike; trailing blank lines are no records either
    assert.equal(records(Buffer.from('a,b\r\n1,"x' + '\r\n'.repeat(1000) + '\r'.repeat(1000) + '"\r\n\r\n\r\n')), '3');
  });

  test('lines with text still count inside a quote (the CSV reader reads a field over 10,000 lines line by line)', () => {
    const csv = Buffer.from('a,b\n1,"' + 'x\n'.repeat(50_000) + '"\n');
    assert.equal(records(csv), '50,002');
  });

  test('a Zeek log keeps its blank lines: counted when the reader keeps them (true, or a `#` start with "zeek")', () => {
    const zeek = Buffer.from('#separator \\x09\n#fields\tts\tuid\n' + '\n'.repeat(100_000) + '1.0\tC1\n');
    assert.equal(records(zeek), '3');
    assert.equal(records(zeek, true), '100,004');
    assert.equal(records(zeek, 'zeek'), '100,004');
    // a CSV under the same sniffing reader: its blank lines are skipped, not counted
    assert.equal(records(Buffer.from('time,msg\n' + '\n'.repeat(1000) + '1,2\n'), 'zeek'), '2');
  });

  test('JSON: `{` inside strings are no records (a string of 100,000 `{` was 100,000 records); escaped quotes stay inside', () => {
    const json = Buffer.from(JSON.stringify([{ t: '{'.repeat(100_000) }, { t: 'a\\"{{{' }, { t: 'b' }]));
    assert.equal(records(json), '3');
    // one line of many objects: still counted by their `{`
    assert.equal(records(Buffer.from(JSON.stringify(Array.from({ length: 5000 }, (_, i) => ({ i }))))), '5,000');
  });

  test('UTF-16 text is counted by its 16-bit units: its blank lines and a quote byte inside `∑` fool no count', () => {
    const text = 'a,b\n1,"' + '\n'.repeat(10_000) + '"\n2,∑\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    assert.equal(records(le), '4');
    const json = '[' + Array.from({ length: 3000 }, (_, i) => JSON.stringify({ s: i === 0 ? '∑' : 'x' })).join(',') + ']';
    assert.equal(records(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])), '3,000');
  });

  test('readTabular (tz convert): a file of 3 records with 3,000,000 line breaks in quoted fields is read, no line-0 refusal', async () => {
    const f = tmpFile('nl-cells.csv', 'time,msg\n' + [0, 1, 2].map((i) => `2024-01-01T00:00:0${i}Z,"${'\n'.repeat(1_000_000)}"`).join('\n') + '\n');
    const t = await readTabular(f, undefined, { timestampLog: true, memory: TZ_CONVERT_MEMORY });
    assert.ok(!t.errors.some((e) => /too large to read in memory/.test(e.message)), t.errors.map((e) => e.message).join('\n'));
    assert.deepEqual(t.rows.slice(0, 1).map((r) => r.values.time), ['2024-01-01T00:00:00Z']);
  });

  test('kpi of 100 cases and one title of 8,000,000 line breaks: the cases are read (it refused the file: "about 8,000,103 records")', async () => {
    const rows = ['Case ID,Title,Created,Closed,Status,Owner,Severity'];
    for (let i = 0; i < 100; i++) rows.push(`C-${i},Alert ${i},2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,Closed,alice,High`);
    rows.push(`C-999,"evil${'\n'.repeat(8_000_000)}",2026-03-01T10:00:00Z,,Open,mallory,High`);
    const buf = Buffer.from(rows.join('\n') + '\n');
    assert.equal(tableMemoryProblem(buf, KPI_CASES_MEMORY), undefined);
    const r = await readCases([tmpFile('cases-newlines.csv', buf)]);
    assert.ok(!r.errors.some((e) => /too large/.test(e.message)), r.errors.map((e) => e.message).join('\n'));
    assert.equal(r.cases.filter((c) => /^C-\d\d?$/.test(c.id ?? '') && c.closed === Date.parse('2026-03-01T11:00:00Z')).length, 100);
  });
});

describe('M3: an empty option value is exit 2 "<option> needs a value", never "not given"', () => {
  const file = () => tmpFile('cases-m3.csv', 'Case ID,Title,Created,Closed,Severity\nC-1,Phish,2026-03-01T10:00:00Z,2026-03-01T11:00:00Z,High\n');
  for (const [args, message] of [
    [['--rules', ''], '--rules needs a value'],
    [['--md', ''], '--md needs a value'],
    [['--html='], '--html needs a value'],
    [['--as-of', ''], '--as-of needs a value'],
    [['--tz='], '--tz needs a value (UTC, local'],
    [['--zone='], '--zone needs a value (UTC, local'],
    [['--source-zone='], '--source-zone needs a value (UTC, local'],
    [['--sla='], '--sla needs a value'],
    [['--map='], '--map needs a value'],
    [['--closing-reasons', ''], '--closing-reasons needs a value'],
  ] as [string[], string][]) {
    test(`kpi ${args.map((a) => (a === '' ? '""' : a)).join(' ')}: exit 2, "${message}", nothing on stdout`, async () => {
      const c = capture();
      assert.equal(await main(['kpi', file(), ...args], c.io), 2);
      assert.ok(c.err().startsWith(`soc-analytics: ${message}`), c.err());
      assert.equal(c.out(), '');
    });
  }

  test('tz convert and tz at: an empty --from, --to, --format, --column or --out is exit 2 naming it, no file written', async () => {
    const f = tmpFile('tz-m3.csv', 'time,msg\n2024-03-01 12:00:00,a\n');
    const out = join(TMP, 'tz-m3.out.csv');
    for (const [args, message] of [
      [['--from', ''], '--from needs a value (UTC, local'],
      [['--format='], '--format needs a value'],
      [['--column', ''], '--column needs a value'],
      [['--year='], '--year needs a value'],
    ] as [string[], string][]) {
      const c = capture();
      assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', out, ...args], c.io), 2, args.join(' '));
      assert.ok(c.err().startsWith(`soc-analytics: ${message}`), c.err());
    }
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--from', 'UTC', '--out='], c.io), 2);
    assert.ok(c.err().startsWith('soc-analytics: --out needs a value'), c.err());
    assert.throws(() => readFileSync(out), /ENOENT/);
    const a = capture();
    assert.equal(await main(['tz', 'at', '2024-03-01T12:00:00Z', '--to', ''], a.io), 2);
    assert.ok(a.err().startsWith('soc-analytics: --to needs a value (UTC, local'), a.err());
  });
});

describe('L4: loki of a folder whose only Loki file cannot be read exits 3 naming it (it said "1 file, 0 hosts", exit 0)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs = require('node:fs') as typeof import('node:fs');
  const LOKI_LINE = '20240301T10:00:00Z,HOST1,ALERT,FileScan,FILE: C:\\x.exe SCORE: 80 TYPE: EXE SIZE: 10 FIRST_BYTES: 4d5a / MZ MD5: - SHA1: - SHA256: - CREATED: - MODIFIED: - ACCESSED: - REASON_1: Yara Rule MATCH: R1 SUBSCORE: 80 DESCRIPTION: d REF: -\n';
  const withSecretUnreadable = <T>(fn: () => Promise<T>): Promise<T> => withOpenDenied('secret.csv', fn);

  test('only an unreadable file: exit 3, stderr names it and its error, the report says it could not be read', async () => {
    const d = join(TMP, 'l4-only');
    nodeFs.mkdirSync(d);
    writeFileSync(join(d, 'secret.csv'), LOKI_LINE);
    const c = capture();
    const code = await withSecretUnreadable(() => main(['loki', d], c.io));
    assert.equal(code, 3, c.err());
    assert.equal(c.err(), `soc-analytics: no Loki result file could be read (${join(d, 'secret.csv')}: cannot read file: EACCES: permission denied, open '${join(d, 'secret.csv')}') in the given paths; exit 3\n`);
    assert.match(c.out(), /^Loki results: 1 file \(1 could not be read\), 0 hosts$/m);
    const j = capture();
    assert.equal(await withSecretUnreadable(() => main(['loki', d, '--json'], j.io)), 3);
    const doc = JSON.parse(j.out());
    assert.deepEqual([doc.summary.files, doc.summary.unreadableFiles, doc.summary.hosts], [1, 1, 0]);
  });

  test('beside a Loki file that is read: exit 0, its finding counted, the unreadable one listed', async () => {
    const d = join(TMP, 'l4-mixed');
    nodeFs.mkdirSync(d);
    writeFileSync(join(d, 'secret.csv'), LOKI_LINE);
    writeFileSync(join(d, 'loki-host1.csv'), LOKI_LINE);
    const c = capture();
    const code = await withSecretUnreadable(() => main(['loki', d], c.io));
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /^Loki results: 2 files \(1 could not be read\), 1 host$/m);
    assert.match(c.out(), /Findings read: 1 alert, 0 warnings/);
    assert.match(c.out(), /secret\.csv: cannot read file: EACCES/);
    const j = capture();
    assert.equal(await withSecretUnreadable(() => main(['loki', d, '--json'], j.io)), 0);
    assert.deepEqual([JSON.parse(j.out()).summary.files, JSON.parse(j.out()).summary.unreadableFiles], [2, 1]);
  });
});
