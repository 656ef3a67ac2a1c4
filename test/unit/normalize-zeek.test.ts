/**
 * Normalize Timestamps fixes from the new-user trial: a Zeek `.log.gz` is refused (shared check of the CLI and the
 * extension), Zeek TSV logs are read by their `#fields` header and written back as Zeek logs (the real conn log of
 * shared/data/zeek), and the wording for a CSV without a header row.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/cli';
import { parseCsvText, parseTabularText } from '../../src/core/parse/cases-input';
import { describeAddedColumns, isNotTextTable, normalizeTable, NOT_TEXT_TABLE, notTextTableMessage, readNormalizeInput, renderNormalized } from '../../src/core/tz-file';
import { suggestTimeColumns } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const ZEEK_DAY = resolve(__dirname, '../../../../shared/data/zeek/day-2024-04-19');
const GZ = join(ZEEK_DAY, 'conn.10:00:00-11:00:00.log.gz');
const TMP = mkdtempSync(join(tmpdir(), 'soc-normalize-zeek-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('a compressed Zeek log (.log.gz) is refused, with one check for the CLI and the extension', () => {
  test('the real conn .log.gz: isNotTextTable, the CLI exits 2 with NOT_TEXT_TABLE and writes nothing', async () => {
    const t = await readNormalizeInput(GZ);
    assert.equal(isNotTextTable(t), true);
    const c = capture();
    const out = join(TMP, 'gz.out');
    assert.equal(await main(['tz', 'convert', GZ, '--to', 'UTC', '--out', out], c.io), 2);
    // the next step is named: the gunzip command for this file, and the file to normalize then
    assert.ok(
      c.err().includes(`${GZ} ${NOT_TEXT_TABLE}: it is a gzip-compressed file; decompress it first, e.g. \`gunzip -k ${GZ}\` (keeps the compressed file), then convert ${GZ.replace(/\.gz$/, '')}`),
      c.err(),
    );
    assert.doesNotMatch(c.err(), /[\u0000-\u0008\u000e-\u001f\ufffd]/);
  });

  test('the message names the decompress step by the file ending (the extension shows the same text)', () => {
    assert.equal(
      notTextTableMessage('conn.log.gz'),
      'conn.log.gz is not a text table: it is a gzip-compressed file; decompress it first, e.g. `gunzip -k conn.log.gz` (keeps the compressed file), then convert conn.log',
    );
    assert.match(notTextTableMessage("my dns's.log.GZ"), /e\.g\. `gunzip -k 'my dns'\\''s\.log\.GZ'` .*, then convert my dns's\.log$/);
    assert.match(notTextTableMessage('x.log.xz'), /an xz-compressed file; decompress it first, e\.g\. `unxz -k x\.log\.xz`/);
    // a log name is attacker-chosen: a leading '-' must not become an option, `$(…)` stays inside single quotes
    assert.match(notTextTableMessage('-rf.log.gz'), /e\.g\. `gunzip -k \.\/-rf\.log\.gz`/);
    assert.match(notTextTableMessage('$(touch x).log.gz'), /e\.g\. `gunzip -k '\$\(touch x\)\.log\.gz'`/);
    // not a compressed name and no kind read from the bytes: a binary file, no step guessed
    assert.equal(notTextTableMessage('picture.png'), 'picture.png is not a text table: it is a binary file; only CSV, TSV, JSON, NDJSON, Zeek TSV and text logs (uncompressed) can be converted');
  });
});

describe('Zeek TSV logs in Normalize Timestamps', () => {
  const conn = join(TMP, 'conn.log');
  writeFileSync(conn, gunzipSync(readFileSync(GZ)));
  const inputLines = readFileSync(conn, 'utf8').split('\n');

  test('the real conn.log is read by its #fields header: columns, ts suggested as epoch seconds, every data line a row', async () => {
    const t = await readNormalizeInput(conn);
    assert.equal(t.format, 'zeek');
    assert.deepEqual(t.columns.slice(0, 6), ['_node_name', 'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h']);
    assert.equal(t.columns.length, 22);
    // 1353 lines: 8 header lines, 1344 data lines, #close
    assert.equal(t.rows.length, 1344);
    assert.deepEqual(t.errors, []);
    assert.equal(t.rows[0].values.ts, '1713520795.434188');
    assert.equal(t.rows[0].values.service, ''); // `-` (unset)
    assert.equal(t.rows[0].values.tunnel_parents, '');
    const s = suggestTimeColumns(t.columns, t.rows.map((r) => r.values));
    assert.deepEqual([s[0].column, s[0].guess.format], ['ts', 'epoch-s']);
  });

  test('CLI tz convert writes a Zeek log: # lines kept, the fields declared, real converted values on the first rows', async () => {
    const out = join(TMP, 'conn.berlin.log');
    const c = capture();
    assert.equal(await main(['tz', 'convert', conn, '--to', 'Europe/Berlin', '--out', out], c.io), 0, c.err());
    assert.match(c.err(), /using column "ts" \(Epoch seconds \(UTC\) in 500 of 500 values; sampled the first 500 rows\)/);
    assert.match(c.out(), /\nConverted 1344 of 1344 records to Europe\/Berlin: 1344 were epoch values \(UTC by definition\)\.\n/);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.equal(lines.length, inputLines.length); // same lines (and the final line end)
    for (let i = 0; i < 6; i++) assert.equal(lines[i], inputLines[i]); // #separator … #open unchanged
    assert.equal(lines[6], `${inputLines[6]}\tts_normalized\tts_tz_flag`);
    assert.equal(lines[7], `${inputLines[7]}\tstring\tstring`);
    // 1713520795.434188 s = 2024-04-19T09:59:55.434188Z = 11:59:55.434188 in Berlin (CEST, UTC+2): the microseconds as
    // written (.450506 stays .450506, not rounded to .451); no flag → `-` (unset)
    assert.equal(lines[8], `${inputLines[8]}\t2024-04-19T11:59:55.434188+02:00\t-`);
    assert.equal(lines[9], `${inputLines[9]}\t2024-04-19T11:59:54.300090+02:00\t-`);
    assert.equal(lines[10], `${inputLines[10]}\t2024-04-19T11:59:54.450506+02:00\t-`);
    assert.equal(lines[lines.length - 2], '#close\t2024-04-19-11-00-00');
    // every data line has the 22 fields + 2
    assert.ok(lines.slice(8, -2).every((l) => l.split('\t').length === 24));
  });

  test('`-` and `(empty)` in ts are empty (not unparsed); a line with too few fields is kept and reported', () => {
    const text =
      '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#fields\tts\tquery\n#types\ttime\tstring\n' +
      '1713520795.5\texample.org\n-\tx\n(empty)\t(empty)\n1713520796\n\n#close\t2024-04-19-11-00-00\n';
    const t = readNormalizeInputText(text);
    assert.equal(t.rows.length, 4);
    assert.deepEqual(t.rows.map((r) => r.values.ts), ['1713520795.5', '', '', '1713520796']);
    assert.deepEqual(t.errors.map((e) => [e.line, e.message]), [[11, 'expected 2 fields (#fields), found 1: kept, fields read by position (the missing ones unset: - in the copy)']]);
    const r = normalizeTable(t, { column: 'ts', format: 'epoch-s', fromZone: 'UTC', toZone: 'UTC' });
    assert.deepEqual([r.stats.converted, r.stats.empty, r.stats.unparsed], [2, 2, 0]);
    assert.equal(
      renderNormalized(t, r),
      '#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tdns\n#fields\tts\tquery\tts_normalized\tts_tz_flag\n#types\ttime\tstring\tstring\tstring\n' +
        '1713520795.5\texample.org\t2024-04-19T09:59:55.500Z\t-\n-\tx\t-\t-\n(empty)\t(empty)\t-\t-\n1713520796\t-\t2024-04-19T09:59:56Z\t-\n\n#close\t2024-04-19-11-00-00\n',
    );
    assert.equal(describeAddedColumns(t, r), 'Added fields: ts_normalized, ts_tz_flag (declared in #fields and #types; every # line and data line is kept).');
  });
});

/** The parser behind readNormalizeInput (same sniffing), on text. */
function readNormalizeInputText(text: string) {
  return parseTabularText(text, join(TMP, 'dns.log'), undefined, { timestampLog: true });
}

describe('a CSV without a header row (Loki --csv): the wording', () => {
  const text =
    '20220119T18:42:50Z,DS1,ALERT,a,b,c\n20220119T18:42:51Z,DS1,ALERT,a,b,c\n20220119T18:42:52Z,DS1,ALERT,a,b,c,extra\n';
  test('a longer record is measured against the first record, not a "header"', () => {
    const t = parseCsvText(text, 'scan.csv', { headerless: 'detect' });
    assert.equal(t.header, undefined);
    assert.deepEqual(t.errors.map((e) => e.message), ['record has 7 fields, the first record has 6: extra fields kept as col_<n>']);
    // with a header row it still says header
    const h = parseCsvText(`Time,Host,Level,x,y,z\n${text}`, 'scan.csv', { headerless: 'detect' });
    assert.deepEqual(h.errors.map((e) => e.message), ['record has 7 fields, header has 6: extra fields kept as col_<n>']);
  });
  test('the preview says the values are two new fields at the end of each line (no header)', () => {
    const t = parseCsvText(text, 'scan.csv', { headerless: 'detect' });
    const r = normalizeTable(t, { column: 'col_1', format: 'loki', fromZone: 'UTC', toZone: 'Europe/Berlin' });
    assert.equal(describeAddedColumns(t, r), 'The converted time and its flag are added as two new fields at the end of each line (the file has no header line).');
    const withHeader = parseCsvText(`Time,Host\n${text.split('\n')[0].split(',').slice(0, 2).join(',')}\n`, 'x.csv');
    const r2 = normalizeTable(withHeader, { column: 'Time', format: 'loki', fromZone: 'UTC', toZone: 'UTC' });
    assert.equal(describeAddedColumns(withHeader, r2), 'Added columns: Time_normalized, Time_tz_flag.');
  });
});
