/**
 * The warning headline after a beacon analysis with problems (beaconProblemsHeadline): "N problems" first, singular
 * "1 problem", as QRadar's "N problems in the QRadar inputs" and the dashboards' "N problems reading the input". Before,
 * a file that could not be read read "0 unreadable lines (1 problem)".
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconProblemsHeadline } from '../../src/core/analyze/beacons/dashboard';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/zeek');

describe('beacons: problems headline', () => {
  it('conn-damaged.log: "N problems in the connection logs (N unreadable lines)", the first at its line', async () => {
    const a = await runBeaconAnalysis([path.join(fixtures, 'conn-damaged.log')], { internalSubnets: ['10.0.0.0/8'] });
    assert.ok(a.errors.length > 1, String(a.errors.length));
    const h = beaconProblemsHeadline(a);
    assert.equal(
      h,
      `${a.errors.length} problems in the connection logs (${a.summary.unparsedLines} unreadable line${a.summary.unparsedLines === 1 ? '' : 's'}) — everything readable was kept. First: conn-damaged.log:${a.errors[0].line} ${a.errors[0].message}`,
    );
    assert.equal(a.errors[0].line, 11);
  });

  it('a CSV with no connection columns (a file problem, no line): "1 problem", no "0 unreadable lines"', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'beacon-headline-'));
    try {
      const odd = path.join(dir, 'inventory.csv');
      fs.writeFileSync(odd, 'asset,client_ip,note\nlaptop-7,10.0.0.7,spare\n');
      const a = await runBeaconAnalysis([path.join(fixtures, 'conn-two-blocks.log'), odd], { internalSubnets: ['10.0.0.0/8'] });
      assert.equal(a.errors.length, 1);
      assert.equal(a.summary.unparsedLines, 0);
      assert.equal(
        beaconProblemsHeadline(a),
        '1 problem in the connection logs — everything readable was kept. First: inventory.csv no column mapping: timestamp, source and destination columns not recognised (columns: asset, client_ip, note)',
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('wording of counts: plural, singular, a file problem (line 0) names the file alone, none → undefined', () => {
    const e = (file: string, line: number, message: string) => ({ file, line, message });
    assert.equal(beaconProblemsHeadline({ errors: [], summary: { unparsedLines: 0 } }), undefined);
    assert.equal(
      beaconProblemsHeadline({ errors: [e('/logs/a/conn.log', 0, 'cannot read: EACCES')], summary: { unparsedLines: 0 } }),
      '1 problem in the connection logs — everything readable was kept. First: conn.log cannot read: EACCES',
    );
    assert.equal(
      beaconProblemsHeadline({ errors: [e('C:\\logs\\conn.log', 7, 'bad ts'), e('C:\\logs\\conn.log', 9, 'bad ts')], summary: { unparsedLines: 1 } }),
      '2 problems in the connection logs (1 unreadable line) — everything readable was kept. First: conn.log:7 bad ts',
    );
    const many = Array.from({ length: 1234 }, (_, i) => e('conn.log', i + 1, 'x'));
    assert.match(beaconProblemsHeadline({ errors: many, summary: { unparsedLines: 1234 } }) ?? '', /^1,234 problems in the connection logs \(1,234 unreadable lines\)/);
  });
});
