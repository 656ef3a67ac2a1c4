/**
 * New-user trial (time zones), its hostile inputs copied to test/fixtures/trial-k: `tz at 2024-13-01` names month 13;
 * Normalize Timestamps' column and format steps and `tz convert` decide a time column by one rule, in the same words.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { suggestTimeColumns, timeColumnVerdict } from '../../src/core/tz-normalize';
import { inspectNormalizeInput, readNormalizeInput } from '../../src/core/tz-file';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/trial-k');
const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-k-tz-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('3. tz at with a field out of range', () => {
  test('2024-13-01 says month 13 (was "pass --format"); text of no known shape still says --format', async () => {
    const c = capture();
    assert.equal(await main(['tz', 'at', '2024-13-01', '--to', 'UTC'], c.io), 2);
    assert.match(c.err(), /cannot read the time: "2024-13-01" has the shape of ISO 8601 \(with or without offset\), but month 13 is out of range$/m);
    assert.doesNotMatch(c.err(), /you specified|of type number/);
    assert.doesNotMatch(c.err(), /pass --format/);
    const d = capture();
    await main(['tz', 'at', 'Feb 30, 2024, 10:00 AM', '--to', 'UTC'], d.io);
    assert.match(d.err(), /has the shape of QRadar export .*, but day 30 is out of range \(February 2024 has 29 days\)/);
    const g = capture();
    await main(['tz', 'at', 'yesterday', '--to', 'UTC'], g.io);
    assert.match(g.err(), /cannot read the time "yesterday"; pass --format/);
  });
});

describe('4. one time-column detection for Normalize Timestamps and tz convert', () => {
  test('tz.csv: the Time column is recognised in both steps with the same words; tz convert finds it without --column', async () => {
    const table = await readNormalizeInput(join(FIX, 'tz.csv'));
    const ins = inspectNormalizeInput(table);
    // the column step (suggestions) and the format step (verdict of the same sampled records) agree
    assert.deepEqual(
      ins.suggestions.map((s) => [s.column, s.verdict]),
      [['Time', 'ISO 8601 (with or without offset) in 2 of 3 values (1 with a field out of range)']],
    );
    const v = timeColumnVerdict(ins.head.map((r) => r.Time));
    assert.equal(v.recognised, true);
    assert.equal(v.text, ins.suggestions[0].verdict);
    assert.equal(timeColumnVerdict(ins.head.map((r) => r.Note)).text, 'not recognised as a timestamp: no value in a known format');
    const out = join(TMP, 'tz-out.csv');
    const c = capture();
    assert.equal(await main(['tz', 'convert', join(FIX, 'tz.csv'), '--from', 'UTC', '--to', 'Asia/Riyadh', '--out', out], c.io), 0);
    assert.match(c.err(), /using column "Time" \(ISO 8601 \(with or without offset\) in 2 of 3 values \(1 with a field out of range\)/);
    assert.match(c.out(), /tz\.csv:4: Time: unparsed: "2026-13-45 99:00:00" has the shape of ISO 8601 \(with or without offset\), but month 13, day 45 and hour 99 are out of range$/m);
  });
  test('a column under half is not suggested, and says why in the words of the format step', () => {
    const rows = [{ t: '2026-03-02 08:00:00' }, { t: 'x' }, { t: 'y' }];
    assert.deepEqual(suggestTimeColumns(['t'], rows), []);
    assert.equal(timeColumnVerdict(rows.map((r) => r.t)).text, 'not recognised as a timestamp: ISO 8601 (with or without offset) in 1 of 3 values, under half');
  });
});
