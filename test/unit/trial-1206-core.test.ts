/**
 * CLI / core fixes from the 2026-12-06 user trial: `tz convert` on a compressed or binary file (told by its bytes),
 * `tz convert --out` onto an existing file (`--force`), legacy fixed-offset zone names (EST, MST, HST), `tz at now`,
 * the QRadar API `--timeout` bounds, and the hosts of the Loki report's top files.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { legacyZoneNotes, main, topFileHost } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { allZoneNames, canonicalZone, legacyFixedZoneNote, zoneAbbreviation } from '../../src/core/time';
import { isNotTextTable, notTextTableMessage, readNormalizeInput, sniffNotText } from '../../src/core/tz-file';
import { capture } from './cli-capture';

const DATA = resolve(__dirname, '../../../../shared/data');
const GZ = join(DATA, 'zeek/day-2024-04-19/conn.10:00:00-11:00:00.log.gz');
const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-1206-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('tz convert: a compressed or binary file is said to be one, by its bytes', () => {
  test('the real conn .log.gz under another name: a gzip-compressed file, with the gunzip -c step; exit 2, nothing written', async () => {
    const bin = join(TMP, 'conn.bin');
    copyFileSync(GZ, bin);
    const t = await readNormalizeInput(bin);
    assert.equal(t.notTextKind, 'gzip');
    assert.equal(t.rows.length, 0); // never read as text
    assert.equal(isNotTextTable(t), true);
    const c = capture();
    const out = join(TMP, 'bin.out.csv');
    assert.equal(await main(['tz', 'convert', bin, '--to', 'UTC', '--out', out], c.io), 2);
    assert.equal(
      c.err().split('\n')[0],
      `soc-analytics: ${bin} is not a text table: it is a gzip-compressed file; decompress it first, e.g. \`gunzip -c ${bin} > ${bin}.txt\`, then convert ${bin}.txt`,
    );
    assert.equal(existsSync(out), false);
  });

  test('random bytes are a binary file (before: "no timestamp column found"), exit 2', async () => {
    // a fixed pseudo-random sequence (xorshift), 2,000 bytes: few NULs, many other control bytes
    const buf = Buffer.alloc(2000);
    let x = 0x12345678;
    for (let i = 0; i < buf.length; i++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      buf[i] = x & 0xff;
    }
    const f = join(TMP, 'rand.dat');
    writeFileSync(f, buf);
    assert.equal(sniffNotText(buf), 'binary');
    const c = capture();
    assert.equal(await main(['tz', 'convert', f, '--to', 'UTC', '--out', join(TMP, 'rand.out')], c.io), 2);
    assert.equal(
      c.err().split('\n')[0],
      `soc-analytics: ${f} is not a text table: it is a binary file; only CSV, TSV, JSON, NDJSON, Zeek TSV and text logs (uncompressed) can be converted`,
    );
  });

  test('sniffNotText: magic bytes of each compressed kind; text, windows-1252 text, UTF-16 and a stray NUL are text', () => {
    assert.equal(sniffNotText(readFileSync(GZ).subarray(0, 4096)), 'gzip');
    assert.equal(sniffNotText(Buffer.from('BZh91AY&SY')), 'bzip2');
    assert.equal(sniffNotText(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0x00])), 'xz');
    assert.equal(sniffNotText(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04])), 'zstd');
    assert.equal(sniffNotText(Buffer.from('PK\u0003\u0004\u0014\u0000', 'latin1')), 'zip');
    assert.equal(sniffNotText(Buffer.from('time,user\n2024-03-01 12:00:00,m\u00fcller\n', 'latin1')), undefined);
    assert.equal(sniffNotText(Buffer.from('\ufefftime,msg\n2024-03-01T12:00:00Z,x\n', 'utf16le')), undefined);
    assert.equal(sniffNotText(Buffer.from('\u001b[0mtime,msg\n2024-03-01T12:00:00Z,a\tb\f\n' + 'x'.repeat(200) + '\u0000\n')), undefined);
    assert.equal(notTextTableMessage('a.zip', 'zip'), 'a.zip is not a text table: it is a zip archive; extract the log from it first (unzip), then convert the extracted file');
  });
});

describe('tz convert --out onto an existing file: refused unless --force', () => {
  test('exit 2, the message, the file unchanged; with --force it is replaced (exit 0); --help names --force', async () => {
    const input = join(TMP, 'in.csv');
    writeFileSync(input, 'time,msg\n2024-03-01T12:00:00+01:00,a\n');
    const out = join(TMP, 'exists.csv');
    writeFileSync(out, 'earlier output\n');
    const c = capture();
    assert.equal(await main(['tz', 'convert', input, '--to', 'UTC', '--out', out], c.io), 2);
    assert.equal(c.err().split('\n')[0], `soc-analytics: --out ${out} already exists; pass --force to replace it, or choose another file`);
    assert.equal(readFileSync(out, 'utf8'), 'earlier output\n');
    const f = capture();
    assert.equal(await main(['tz', 'convert', input, '--to', 'UTC', '--out', out, '--force'], f.io), 0);
    assert.equal(readFileSync(out, 'utf8'), 'time,msg,time_normalized,time_tz_flag\r\n2024-03-01T12:00:00+01:00,a,2024-03-01T11:00:00Z,\r\n');
    const h = capture();
    assert.equal(await main(['tz', '--help'], h.io), 0);
    assert.match(h.out(), /--force +replace an existing --out FILE/);
  });
});

describe('EST, MST, HST: accepted (the tz database\'s fixed offsets), with a note naming the regional zone', () => {
  test('canonicalZone and the note per name', () => {
    assert.equal(canonicalZone('est'), 'EST');
    assert.equal(zoneAbbreviation('HST'), undefined);
    assert.equal(legacyFixedZoneNote('EST'), 'EST is a fixed offset, UTC-5 all year with no daylight saving time; for US Eastern time (UTC-5 in winter, UTC-4 in summer) use America/New_York');
    assert.match(legacyFixedZoneNote('mst')!, /^MST is a fixed offset, UTC-7 all year with no daylight saving time; .* use America\/Denver$/);
    assert.match(legacyFixedZoneNote('HST')!, /^HST is a fixed offset, UTC-10 all year .* use Pacific\/Honolulu$/);
    assert.equal(legacyFixedZoneNote('EST5EDT'), undefined);
    assert.equal(legacyFixedZoneNote('America/New_York'), undefined);
    assert.ok(!allZoneNames().includes('EST')); // accepted when typed, not offered in the picker
  });

  test('tz at in summer: EST stays UTC-5 (New York is UTC-4), one note per name on stderr, exit 0', async () => {
    const c = capture();
    assert.equal(await main(['tz', 'at', '2024-07-01 12:00:00', '--from', 'EST', '--to', 'UTC,America/New_York,est,HST'], c.io), 0);
    assert.match(c.out(), /UTC +2024-07-01T17:00:00Z/);
    assert.match(c.out(), /America\/New_York +2024-07-01T13:00:00-04:00/);
    assert.match(c.out(), /HST +2024-07-01T07:00:00-10:00/);
    assert.equal(
      c.err(),
      'soc-analytics: note: EST is a fixed offset, UTC-5 all year with no daylight saving time; for US Eastern time (UTC-5 in winter, UTC-4 in summer) use America/New_York\n' +
        'soc-analytics: note: HST is a fixed offset, UTC-10 all year with no daylight saving time; for Hawaii time (also UTC-10 all year, under its regional name) use Pacific/Honolulu\n',
    );
    assert.deepEqual(legacyZoneNotes('kpi', ['x.csv', '--tz=MST', '--from', 'EST']).length, 1); // --from is no zone option of kpi
  });
});

describe('tz at now', () => {
  test('the current instant in each zone, text and --json (before: "cannot read the time "now"; pass --format", exit 2)', async () => {
    const before = Date.now();
    const c = capture();
    assert.equal(await main(['tz', 'at', 'now', '--to', 'UTC,Asia/Riyadh'], c.io), 0);
    const after = Date.now();
    const m = /^now \((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\)\n {2}UTC {10}\1\n {2}Asia\/Riyadh {2}(\S+)\n$/.exec(c.out());
    assert.ok(m, c.out());
    const ms = Date.parse(m[1]);
    assert.ok(ms >= before && ms <= after);
    assert.equal(Date.parse(m[2]), ms);
    assert.ok(m[2].endsWith('+03:00'));
    assert.equal(c.err(), '');
    const j = capture();
    assert.equal(await main(['tz', 'at', 'NOW', '--to', 'UTC', '--json'], j.io), 0);
    const doc = JSON.parse(j.out()) as { input: string; now: string; instants: { utc: string; zones: Record<string, string> }[] };
    assert.equal(doc.input, 'now');
    assert.equal(doc.instants.length, 1);
    assert.equal(doc.instants[0].utc, doc.now);
    assert.equal(doc.instants[0].zones.UTC, doc.now);
  });
});

describe('qradar-fetch / qradar-count --timeout below 1 second: a usage error before any request', () => {
  for (const [cmd, extra] of [['qradar-count', ['--group', 'day']], ['qradar-fetch', []]] as const) {
    test(`${cmd}: 0.5, 0, -5 and abc are exit 2 with the value said, nothing written`, async () => {
      const saved = process.env.QRADAR_TOKEN;
      process.env.QRADAR_TOKEN = 'test-token';
      try {
        for (const t of ['0.5', '0', '-5', 'abc']) {
          const c = capture();
          const out = join(TMP, `${cmd}-t.json`);
          assert.equal(await main([cmd, '--url', 'https://127.0.0.1:9', '--from', '-1d', '--to', 'now', ...extra, '--out', out, `--timeout=${t}`], c.io), 2, t);
          assert.equal(
            c.err().split('\n')[0],
            `soc-analytics ${cmd}: --timeout ${JSON.stringify(t)}: must be a number of seconds from 1 to 3600 (the time one request may take; default 120)`,
          );
          assert.equal(existsSync(out), false);
        }
      } finally {
        if (saved === undefined) delete process.env.QRADAR_TOKEN;
        else process.env.QRADAR_TOKEN = saved;
      }
    });
  }
});

describe('loki text report: Top files names the host (first by name, +N more)', () => {
  test('one file on three hosts and one on one: HOST "LAB-PC01 +2 more" and "LAB-PC07"; the analysis carries host', async () => {
    const dir = join(TMP, 'loki-hosts');
    mkdirSync(dir);
    const log = readFileSync(resolve(__dirname, '../../../test/fixtures/loki/legacy-plain-typed.log'), 'utf8');
    // the same scan on three more hosts, with another file (C:\Temp\b.exe) than LAB-PC07's
    for (const h of ['LAB-PC09', 'LAB-PC01', 'LAB-PC05']) writeFileSync(join(dir, `${h}.log`), log.replaceAll('LAB-PC07', h).replaceAll('C:\\Temp\\a.exe', 'C:\\Temp\\b.exe'));
    writeFileSync(join(dir, 'LAB-PC07.log'), log);
    const c = capture();
    assert.equal(await main(['loki', dir], c.io), 0);
    const section = c.out().slice(c.out().indexOf('Top files\n'));
    const lines = section.split('\n').slice(1, 4);
    assert.equal(lines[0], 'FINDINGS  HOSTS  HOST              MAX SCORE  PATH');
    assert.equal(lines[1], '       3      3  LAB-PC01 +2 more         70  C:\\Temp\\b.exe');
    assert.equal(lines[2], '       1      1  LAB-PC07                 70  C:\\Temp\\a.exe');
    const a = await runLokiAnalysis([dir]);
    assert.deepEqual(a.topFiles.map((f) => [f.path, f.hosts, f.host]), [['C:\\Temp\\b.exe', 3, 'LAB-PC01'], ['C:\\Temp\\a.exe', 1, 'LAB-PC07']]);
    assert.equal(topFileHost({ hosts: 2 }), '-'); // an analysis stored before the host was kept
  });
});

describe('Markdown summary (Loki): the hosts whose scan reported scanner errors', () => {
  test('the real AD scan (4 unreadable YARA rule files) is named; two hosts: most errors first, then by name', async () => {
    const real = await runLokiAnalysis([join(DATA, 'loki/real-2021-2022')]);
    const line = lokiMarkdown(real, { zone: 'UTC' }).split('\n').find((l) => l.startsWith('- Scanner errors:'));
    assert.equal(line, '- Scanner errors: 4 (the scanner itself reported errors; a host without findings whose scan had some reads Incomplete scan, not clean) — host: AD (4)');
    const dir = join(TMP, 'loki-errors');
    mkdirSync(dir);
    const log = readFileSync(join(DATA, 'loki/real-2021-2022/scan_result (2).log'), 'utf8');
    assert.ok(/\bAD\b/.test(log) && log.includes('Error reading signature file'));
    writeFileSync(join(dir, 'ad.log'), log);
    // a second host with one of the four error lines
    const lines = log.split('\n');
    let errors = 0;
    writeFileSync(join(dir, 'ad2.log'), lines.filter((l) => !l.includes('Error reading signature file') || errors++ === 0).join('\n').replace(/\bAD\b/g, 'AD2'));
    const two = await runLokiAnalysis([dir]);
    const md = lokiMarkdown(two, { zone: 'UTC' }).split('\n').find((l) => l.startsWith('- Scanner errors:'));
    assert.equal(md, '- Scanner errors: 5 (the scanner itself reported errors; a host without findings whose scan had some reads Incomplete scan, not clean) — 2 hosts: AD (4), AD2 (1)');
  });
});
