/**
 * New-user trial: `tz convert` wrote the number -3 as '-3. A plain number is no formula (OWASP CSV injection guidance
 * neutralises formula starts); real formula starts are still neutralised. Input: test/fixtures/trial-k/tz.csv.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { neutralizeCell, toCsv } from '../../src/core/export/csv';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const FIX = join(ROOT, 'test/fixtures/trial-k');
const TMP = mkdtempSync(join(tmpdir(), 'soc-trial-k-csv-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

describe('5. numbers are not formulas in CSV exports', () => {
  test('-3, -3.5, +1 are left as they are; formula starts are still neutralised', () => {
    for (const n of ['-3', '-3.5', '+1', '-.5', '1e-5', '-2E+3']) assert.equal(neutralizeCell(n), n, n);
    for (const f of ['=1+1', '+SUM(1)', '-2+3', '-3 ', '@x', '\t-3', '-1)*cmd', '+', '-', '－3']) assert.equal(neutralizeCell(f), `'${f}`, JSON.stringify(f));
    assert.equal(neutralizeCell('a;-3'), 'a;-3');
    assert.equal(neutralizeCell('a;-3+1'), "a;'-3+1");
    assert.equal(toCsv(['n'], [['-3']]).trim(), 'n\r\n-3');
  });
  test('tz convert of tz.csv writes -3 as -3 (was \'-3), still neutralising =cmd and +SUM(1)', async () => {
    const out = join(TMP, 'tz-num.csv');
    assert.equal(await main(['tz', 'convert', join(FIX, 'tz.csv'), '--column', 'Time', '--from', 'UTC', '--to', 'UTC', '--out', out], capture().io), 0);
    const lines = readFileSync(out, 'utf8').split(/\r?\n/);
    assert.match(lines[1], /^2026-03-02 08:00:00,'=cmd\|' \/C calc'!A0,'\+SUM\(1\),/);
    assert.match(lines[2], /^'=1\+1,'@x,-3,/);
  });
});
