/**
 * Normalize Timestamps / `tz` fixes from hostile review B: a value that is no number does not make an epoch column
 * "values below 1e8" (L1); blank lines and NDJSON record text are kept in the converted copy (L3); the micro-seconds of
 * a leap second are kept (L5).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { timeColumnVerdict } from '../../src/core/tz-normalize';
import { capture } from './cli-capture';

const TMP = mkdtempSync(join(tmpdir(), 'soc-tz-hostile-b-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('L1: a value that is no number in an epoch column', () => {
  test('timeColumnVerdict: N/A is an unread value, not a number below 1e8; a real small number still refuses', () => {
    const v = timeColumnVerdict(['1713484795', '1713484796', '1713484797', '1713484798', 'N/A']);
    assert.equal(v.recognised, true);
    assert.equal(v.guess?.format, 'epoch-s');
    assert.equal(v.text, 'Epoch seconds (UTC) in 4 of 5 values');
    const small = timeColumnVerdict(['1713484795', '1713484796', '1713484797', '1713484798', '443']);
    assert.equal(small.recognised, false);
    assert.match(small.text, /below 1e8/);
  });

  test('tz convert epoch-na.csv: ts detected, 4 rows converted, the N/A row flagged and reported at its line', async () => {
    const input = join(TMP, 'epoch-na.csv');
    const out = join(TMP, 'epoch-na.out.csv');
    writeFileSync(input, 'ts,host\n1713484795,a\n1713484796,b\n1713484797,c\n1713484798,d\nN/A,e\n');
    const r = await run(['tz', 'convert', input, '--to', 'UTC', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /epoch-na\.csv:6: ts: unparsed: not Epoch seconds \(UTC\): "N\/A"/);
    assert.equal(
      readFileSync(out, 'utf8'),
      'ts,host,ts_normalized,ts_tz_flag\r\n1713484795,a,2024-04-18T23:59:55Z,\r\n1713484796,b,2024-04-18T23:59:56Z,\r\n1713484797,c,2024-04-18T23:59:57Z,\r\n' +
        '1713484798,d,2024-04-18T23:59:58Z,\r\nN/A,e,,"unparsed: not Epoch seconds (UTC): ""N/A"""\r\n',
    );
  });
});

describe('L5: the fraction of a leap second is kept as written', () => {
  test('tz at 2016-12-31T23:59:60.123456Z → …23:59:59.123456Z (not .123); in another zone and from an offset too', async () => {
    const r = await run(['tz', 'at', '2016-12-31T23:59:60.123456Z', '--to', 'UTC,Asia/Tokyo']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '2016-12-31T23:59:60.123456Z (ISO 8601 (with or without offset))\n  UTC         2016-12-31T23:59:59.123456Z\n  Asia/Tokyo  2017-01-01T08:59:59.123456+09:00\n');
    const off = await run(['tz', 'at', '2017-01-01T02:59:60.5004+03:00', '--to', 'UTC', '--json']);
    assert.equal(JSON.parse(off.out).instants[0].zones.UTC, '2016-12-31T23:59:59.5004Z');
    // a second 60 that is no leap second is still unparsed
    const bad = await run(['tz', 'at', '2024-03-01T23:59:60.123456Z', '--to', 'UTC']);
    assert.equal(bad.code, 2);
    assert.match(bad.out + bad.err, /second 60 on a date without a leap second/);
  });
});

describe('L3: tz convert keeps every line in its place, and NDJSON records as written', () => {
  test('a text log: blank lines stay blank and in place (the copy line N is the input line N)', async () => {
    const input = join(TMP, 'sys-mixed.log');
    const out = join(TMP, 'sys-mixed.out.log');
    // the review file: a continuation line, a blank line, CRLF and CR CR LF line ends, a last line without a newline
    writeFileSync(
      input,
      'Mar 10 01:30:00 host1 sshd: a  \r\n\tcontinuation line\n\nMar 10 03:30:00 host1 sshd: b\r\n2024-03-10T05:00:00Z iso line\nMar 10 04:30:00 host1 sshd: trailing-cr\r\r\nlast line without newline',
    );
    const r = await run(['tz', 'convert', input, '--from', 'America/New_York', '--to', 'UTC', '--year', '2024', '--out', out]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /sys-mixed\.log:5: timestamp: unparsed/);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.deepEqual(lines, [
      '2024-03-10T06:30:00Z\t\tMar 10 01:30:00 host1 sshd: a  ',
      '\t\t\tcontinuation line',
      '',
      '2024-03-10T07:30:00Z\t\tMar 10 03:30:00 host1 sshd: b',
      `\tunparsed: not RFC 3164 syslog (MMM d HH:mm:ss, no zone; a year after the time is read): "2024-03-10T05:00:00Z"\t2024-03-10T05:00:00Z iso line`,
      '2024-03-10T08:30:00Z\t\tMar 10 04:30:00 host1 sshd: trailing-cr',
      '',
      '\t\tlast line without newline',
      '',
    ]);
  });

  test('NDJSON: blank lines kept; each record its text as written (a key given twice, a 19-digit number) plus the two fields', async () => {
    const input = join(TMP, 'ev.ndjson');
    const out = join(TMP, 'ev.out.ndjson');
    writeFileSync(
      input,
      '{"ts":"2024-03-10T01:00:00","__proto__":{"polluted":1},"msg":"a"}\n\n{"ts":"2024-03-10T02:30:00","msg":"gap"}\n[1,2,3]\n{"ts": broken json\n' +
        '{"ts":"2024-03-10T03:00:00","ts":"2024-03-10T04:00:00","msg":"dup key"}\n{"ts":1710072000123456789,"msg":"big number"}\n' +
        '   {"ts" : "2024-03-10T06:00:00", "msg":"leading space"}   \n{"ts":"2024-03-10T07:00:00","msg":"crlf"}\r\n\n{ }\n"just a string"\n',
    );
    const r = await run(['tz', 'convert', input, '--from', 'America/New_York', '--to', 'UTC', '--out', out]);
    assert.equal(r.code, 0, r.err);
    const lines = readFileSync(out, 'utf8').split('\n');
    assert.deepEqual(lines, [
      '{"ts":"2024-03-10T01:00:00","__proto__":{"polluted":1},"msg":"a","ts_normalized":"2024-03-10T06:00:00Z","ts_tz_flag":""}',
      '',
      '{"ts":"2024-03-10T02:30:00","msg":"gap","ts_normalized":"","ts_tz_flag":"nonexistent: 2024-03-10T02:30:00 does not exist in America/New_York (clocks moved forward at a DST change); no instant written"}',
      '[1,2,3]',
      '{"ts": broken json',
      // both values of the key given twice are kept; the last one is the one read (JSON.parse), as the flag says
      '{"ts":"2024-03-10T03:00:00","ts":"2024-03-10T04:00:00","msg":"dup key","ts_normalized":"2024-03-10T08:00:00Z","ts_tz_flag":""}',
      '{"ts":1710072000123456789,"msg":"big number","ts_normalized":"","ts_tz_flag":"unparsed: not ISO 8601 (with or without offset): \\"1710072000123456800\\""}',
      '   {"ts" : "2024-03-10T06:00:00", "msg":"leading space","ts_normalized":"2024-03-10T10:00:00Z","ts_tz_flag":""}   ',
      '{"ts":"2024-03-10T07:00:00","msg":"crlf","ts_normalized":"2024-03-10T11:00:00Z","ts_tz_flag":""}',
      '',
      '{ "ts_normalized":"","ts_tz_flag":""}',
      '"just a string"',
      '',
    ]);
    // each line of the copy parses as its input line did (objects get the two fields)
    assert.deepEqual(JSON.parse(lines[5]), { ts: '2024-03-10T04:00:00', msg: 'dup key', ts_normalized: '2024-03-10T08:00:00Z', ts_tz_flag: '' });
  });
});

describe('L3 follow-up: blank lines kept by a rewrite count in its memory estimate', () => {
  // The text-log and NDJSON copies keep blank lines (above), so they are records to the memory estimate: 30 MB of
  // blank lines after one syslog line took 2.2 GB of heap once they were kept and not counted (a file ten times that
  // size would have run the CLI out of memory instead of being refused with the estimate). A CSV file's blank lines
  // are still skipped by its reader, and not counted (a quoted field of millions of line breaks stays readable).
  test('readTabular with timestampLog: a text log of 10,000 blank lines is refused at 1 MB a record; the same lines in a .csv are not', async () => {
    const { readTabular } = await import('../../src/core/parse/cases-input');
    const cost = { perRecord: 1_000_000, perCell: 0, perByte: 0 }; // 10,003 records (the last line end counts too) ≈ 10 GB, 2 records ≈ 2 MB
    const body = 'Mar  5 10:00:00 host sshd[1]: hello\n' + '\n'.repeat(10_000) + 'Mar  5 10:00:01 host sshd[1]: bye\n';
    const log = join(TMP, 'blank-lines.log');
    writeFileSync(log, body);
    const t = await readTabular(log, undefined, { timestampLog: true, memory: cost });
    assert.equal(t.rows.length, 0);
    assert.match(t.errors[0]?.message ?? '', /^too large to read in memory: about 10,003 records/);
    const csv = join(TMP, 'blank-lines.csv');
    writeFileSync(csv, 'timestamp,msg\n2024-03-05T10:00:00Z,a\n' + '\n'.repeat(10_000));
    const c = await readTabular(csv, undefined, { timestampLog: true, memory: cost });
    assert.equal(c.rows.length, 1);
    assert.deepEqual(c.errors.filter((e) => /too large/.test(e.message)), []);
  });
});
