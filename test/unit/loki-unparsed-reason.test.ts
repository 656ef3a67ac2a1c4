/**
 * New-user trial: a Python CSV log record cut after `…PsExec64.exe SCORE: 7` (a trailing space or NUL after the
 * digits, so not taken as `record ends after SCORE`) was reported by `loki <dir>` as `truncated or malformed file
 * finding (no SCORE)`. It has a SCORE: what is missing is TYPE and the rest. The reasons of an unparsed finding say
 * what is missing (unparsedFindingReason), on the real line of shared/data/loki/real-2021-2022.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { parseLokiFileColumnar, parseLokiText } from '../../src/core/parse/loki';
import { MessageReader } from '../../src/core/parse/loki-store';
import { unparsedFindingReason } from '../../src/core/parse/finding-unparsed';
import { capture } from './cli-capture';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

/** The real scan_result (3).log up to its PsExec64.exe finding (line 16), that line cut after `SCORE: 7` and `tail`. */
function cutReal(tail: string): { text: string; line: number } {
  const lines = fs.readFileSync(path.join(REAL, 'scan_result (3).log'), 'latin1').split('\r\n');
  const i = lines.findIndex((l) => l.includes('PsExec64.exe SCORE: 70 TYPE: EXE'));
  assert.ok(i > 0);
  const cut = lines[i].slice(0, lines[i].indexOf('SCORE: 70') + 'SCORE: 7'.length) + tail;
  return { text: [...lines.slice(0, i), cut].join('\r\n') + '\r\n', line: i + 1 };
}

describe('a cut Loki file finding is explained by what it misses (real PsExec64.exe line)', () => {
  for (const [tail, why] of [
    [' ', 'truncated file finding (record ends after SCORE, then a space: no TYPE)'],
    ['\0\0', 'truncated file finding (record ends after SCORE, then 2 NUL characters: no TYPE)'],
    [' \t', 'truncated file finding (record ends after SCORE, then white space or control characters: no TYPE)'],
  ] as const) {
    it(`SCORE: 7 then ${JSON.stringify(tail)}: not "no SCORE" (object and columnar parses, CLI)`, async () => {
      const { text, line } = cutReal(tail);
      const r = parseLokiText(text, 'scan_result (3).log');
      assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [[line, why]]);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-cut-score-'));
      const file = path.join(dir, 'scan_result (3).log');
      fs.writeFileSync(file, text, 'latin1');
      const c = await parseLokiFileColumnar(file, new MessageReader());
      assert.deepEqual(c.errors.map((e) => [e.line, e.message]), [[line, why]]);
      const cli = capture();
      await main(['loki', dir], cli.io);
      assert.ok(cli.out().includes(`1 unparsed line — first: ${file}:${line} ${why}`), cli.out());
      assert.ok(!cli.out().includes('no SCORE'));
    });
  }

  it('ending right after the digits it is kept as before: a partial record (record ends after SCORE)', () => {
    const { text, line } = cutReal('');
    const r = parseLokiText(text, 'scan_result (3).log');
    assert.deepEqual(r.errors, []);
    assert.deepEqual((r.warnings ?? []).filter((w) => w.line === line).map((w) => w.message), ['partial record (record ends after SCORE)']);
  });
});

describe('unparsedFindingReason: each reason names what is missing', () => {
  const f = (m: string) => unparsedFindingReason(m, 'file');
  it('Python FILE:', () => {
    assert.equal(f(''), 'truncated record (nothing after its envelope)');
    assert.equal(f('FIL'), 'truncated file finding (record ends before its path)');
    assert.equal(f('FILE:'), 'truncated file finding (record ends before its path)');
    assert.equal(f('FILE: C:\\x.exe SCORE: 7'), 'truncated file finding (record ends after SCORE: no TYPE)');
    assert.equal(f('FILE: C:\\x.exe SCORE: 70\r'), 'truncated file finding (record ends after SCORE, then white space or control characters: no TYPE)');
    assert.equal(f('FILE: C:\\x.exe SCORE: 70 TYP'), 'truncated file finding (record ends after SCORE, inside the TYPE key)');
    assert.equal(f('FILE: C:\\x.exe SCORE: 70 SIZE: 12'), 'malformed file finding (no TYPE after SCORE)');
    assert.equal(f('FILE: C:\\x.exe SCORE: '), 'truncated file finding (record ends inside SCORE: no value)');
    assert.equal(f('FILE: C:\\x.exe SCORE: x TYPE: EXE'), 'malformed file finding (SCORE without a value)');
    assert.equal(f('FILE: C:\\x.exe SCORE: 1234567890123456 TYPE: EXE'), 'malformed file finding (SCORE of more than 15 digits)');
    assert.equal(f('FILE: C:\\x.exe SCO'), 'truncated or malformed file finding (no SCORE)');
    assert.equal(f('FILE: C:\\x.exe SUBSCORE: 40'), 'truncated or malformed file finding (no SCORE)');
    // a SCORE in the path: the last one is explained
    assert.equal(f('FILE: C:\\SCORE: 5\\x.exe SCORE: 7 '), 'truncated file finding (record ends after SCORE, then a space: no TYPE)');
  });
  it('Loki-RS plain Match:', () => {
    const rs = (m: string) => unparsedFindingReason(m, 'rs-match');
    assert.equal(rs('Matc'), 'truncated Loki-RS match (record ends before its path)');
    assert.equal(rs('Match: /tmp/x SCORE: 80 '), 'truncated Loki-RS match (record ends after SCORE, then a space: no REASONS)');
    assert.equal(rs('Match: /tmp/x SCORE: 80 REASONS'), 'truncated Loki-RS match (record ends after SCORE, inside the REASONS key)');
    assert.equal(rs('Match: /tmp/x'), 'truncated or malformed Loki-RS match (no SCORE)');
  });
  it('Loki-RS plain lines through the parser', () => {
    const start = '2026-02-03T09:40:00Z build-srv-07 INFO Loki-RS scan started VERSION: 2.10.0';
    const r = parseLokiText([start, '2026-02-03T09:41:00Z build-srv-07 ALERT Match: /tmp/x SCORE: 80 ', '2026-02-03T09:41:01Z build-srv-07 ALERT Matc'].join('\n') + '\n', 'loki-rs.log');
    assert.deepEqual(r.errors.map((e) => [e.line, e.message]), [
      [2, 'truncated Loki-RS match (record ends after SCORE, then a space: no REASONS)'],
      [3, 'truncated Loki-RS match (record ends before its path)'],
    ]);
  });
});
