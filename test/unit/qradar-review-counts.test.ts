// Security review of 2026-12-04 (LOW): counts and statuses that were counted as invalid without a problem naming them.
// Fixtures: test/fixtures/qradar/review (the reviewer's inputs).
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';

const FIX = path.join(__dirname, '../../../test/fixtures/qradar/review');

async function json(file: string): Promise<{ summary: Record<string, unknown>; events?: Record<string, unknown>; errors: { line: number; message: string }[] }> {
  const out: string[] = [];
  await main(['qradar', path.join(FIX, file), '--json', '--console-tz', 'UTC'], { stdout: (s) => out.push(s), stderr: () => {} });
  return JSON.parse(out.join(''));
}

describe('QRadar: every count or status not counted is named', () => {
  it('Log Activity: a blank, fractional or 1e308 Event Count is a problem on its line and adds nothing (two 1e308 summed to Infinity)', async () => {
    const d = await json('events.csv');
    const counts = d.errors.filter((e) => /column "Event Count"/.test(e.message)).map((e) => [e.line, e.message.replace(/; left empty.*/, '')]);
    assert.deepEqual(counts, [
      [2, 'record 1: column "Event Count": not a whole count up to 2^53 (1e308)'],
      [3, 'record 2: column "Event Count": not a whole count up to 2^53 (1e308)'],
      [4, 'record 3: column "Event Count": not a number ("Infinity")'],
      [5, 'record 4: column "Event Count": not a whole count up to 2^53 (2.5)'],
      [6, 'record 5: column "Event Count": empty'],
      [7, 'record 6: column "Event Count": missing'],
    ]);
    assert.equal(d.events?.eventCount, 0);
    assert.equal(d.events?.uncounted, 6);
  });

  it('offenses: an empty status is a problem, as "pending" is; the split counts both as unknown', async () => {
    const d = await json('offenses.json');
    const status = d.errors.filter((e) => /field "status"/.test(e.message)).map((e) => e.message.replace(/;.*/, ''));
    assert.deepEqual(status, ['record 1: field "status": not OPEN, HIDDEN or CLOSED ("pending")', 'record 4: field "status": empty', 'record 6: field "status": not OPEN, HIDDEN or CLOSED ("CLOSED\u200b")']);
    assert.equal(d.summary.unknownStatus, 3);
  });
});
