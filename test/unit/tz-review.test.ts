/**
 * Time-zone findings of the new-user trial and hostile review: Normalize Timestamps counts that add up, RFC 3164
 * with a year, Feb 29 in a common year, canonical zone names and fixed offsets.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsvText } from '../../src/core/parse/cases-input';
import { describeNormalizeStats, normalizeTable } from '../../src/core/tz-file';
import { main, type CliIO } from '../../src/cli/cli';

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let o = '';
  let e = '';
  return { io: { stdout: (s) => void (o += s), stderr: (s) => void (e += s) }, out: () => o, err: () => e };
}

describe('Normalize Timestamps: the summary counts add up and say what happened', () => {
  const csv = 'ts,msg\nMar 31 02:30:00,gap\nOct 27 02:30:00,twice\nMar 30 10:00:00,ok\nJan 5 10:00:00,ok\nnope,bad\n,empty\n';

  it('RFC 3164 in Europe/Berlin 2024: non-existent and ambiguous times are not counted as "read in" (only converted rows are)', () => {
    const r = normalizeTable(parseCsvText(csv, 'x.csv'), { column: 'ts', format: 'rfc3164', fromZone: 'Europe/Berlin', toZone: 'UTC', year: 2024 });
    assert.deepEqual(r.stats, { rows: 6, converted: 3, empty: 1, aware: 0, naive: 3, ambiguous: 1, nonexistent: 1, unparsed: 1 });
    const s = r.stats;
    assert.equal(s.aware + s.naive, s.converted);
    assert.equal(s.converted + s.nonexistent + s.unparsed + s.empty, s.rows);
    assert.equal(
      describeNormalizeStats(s, 'Europe/Berlin', 'earlier'),
      '6 rows: 3 converted (0 with their own zone, 3 read in Europe/Berlin; 1 of them ambiguous: DST fall-back, earlier occurrence used, flagged), ' +
        '2 not converted (1 non-existent: DST spring-forward gap, flagged; 1 unparsed, flagged), 1 empty.',
    );
  });

  it('policy blank: the ambiguous row is listed as not converted', () => {
    const r = normalizeTable(parseCsvText(csv, 'x.csv'), { column: 'ts', format: 'rfc3164', fromZone: 'Europe/Berlin', toZone: 'UTC', year: 2024, ambiguous: 'blank' });
    assert.deepEqual(r.stats, { rows: 6, converted: 2, empty: 1, aware: 0, naive: 2, ambiguous: 1, nonexistent: 1, unparsed: 1 });
    assert.equal(
      describeNormalizeStats(r.stats, 'Europe/Berlin', 'blank'),
      '6 rows: 2 converted (0 with their own zone, 2 read in Europe/Berlin), ' +
        '3 not converted (1 ambiguous: DST fall-back, left empty, flagged; 1 non-existent: DST spring-forward gap, flagged; 1 unparsed, flagged), 1 empty.',
    );
  });

  it('CLI tz convert prints the same summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tz-review-'));
    const input = join(dir, 'syslog.csv');
    writeFileSync(input, csv);
    const c = capture();
    const code = await main(['tz', 'convert', input, '--column', 'ts', '--from', 'Europe/Berlin', '--to', 'UTC', '--year', '2024', '--out', join(dir, 'out.csv')], c.io);
    assert.equal(code, 0, c.err());
    assert.match(c.out(), /\n6 rows: 3 converted \(0 with their own zone, 3 read in Europe\/Berlin; 1 of them ambiguous: DST fall-back, earlier occurrence used, flagged\), 2 not converted \(1 non-existent: DST spring-forward gap, flagged; 1 unparsed, flagged\), 1 empty\.\n/);
  });
});
