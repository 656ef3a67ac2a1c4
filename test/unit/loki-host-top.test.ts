/**
 * The Hosts table's Max score and Top rule (new-user trial 2026-12-06: DS1's mimikatz and EquationDrug hits at 145 and
 * DS-SER1's one vulnerable-library hash IOC read alike as "Indicators detected"): per host, the highest score of its
 * findings and the rule of the strongest reason (highest subscore) of that top finding — in the analysis, the
 * dashboard's Hosts table, the CLI's Hosts table and `--json` hosts. Real scans: shared/data/loki/real-2021-2022.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { main } from '../../src/cli/cli';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => out.push(s), stderr: (s: string) => err.push(s) }, out: () => out.join(''), err: () => err.join('') };
}

describe('Loki hosts: Max score and Top rule (real scans)', () => {
  it('per host the top finding\'s score and its strongest reason\'s rule; none for a host without findings', async () => {
    const a = await runLokiAnalysis([REAL]);
    const top = Object.fromEntries(a.hosts.map((h) => [h.host, [h.maxScore, h.topRule]]));
    assert.deepEqual(top, {
      // fx1.exe SCORE: 145, REASON_1 EquationDrug_HDDSSD_Op_RID2F2E SUBSCORE: 75 (REASON_2 …_Op: 70)
      DS1: [145, 'EquationDrug_HDDSSD_Op_RID2F2E'],
      // struts-core-1.3.8.jar, a DCSO vulnerable-library hash IOC: the hash is the rule key
      'DS-SER1': [100, '66178d4a9279ebb1cd1eb79c10dc204b4199f061'],
      Server1: [70, 'psexec_generic'],
      AD: [undefined, undefined],
    });
    // one scan per host: the scan rows carry them too
    assert.deepEqual(a.scans.map((s) => [s.host, s.maxScore]), a.hosts.map((h) => [h.host, h.maxScore]));
  });

  it('dashboard Hosts table: Max score and Top rule after the verdict, a hash IOC named as in Rules', async () => {
    const a = await runLokiAnalysis([REAL]);
    const t = buildLokiDashboard(a, 'real', 'UTC').tables.find((x) => x.id === 'hosts')!;
    assert.deepEqual(t.columns.slice(0, 4).map((c) => c.title), ['Host', 'Verdict', 'Max score', 'Top rule']);
    const rows = Object.fromEntries(t.rows.map((r) => [r[0], r.slice(2, 4)]));
    assert.deepEqual(rows.DS1, [145, 'EquationDrug_HDDSSD_Op_RID2F2E']);
    assert.match(String(rows['DS-SER1'][1]), /^Hash IOC: DCSO Vuln List .*struts-core-1\.3\.8\.jar/);
    assert.deepEqual(rows.AD, [null, null]);
  });

  it('CLI: MAX SCORE and TOP RULE in the Hosts table, maxScore / topRule in --json hosts', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0, c.err());
    assert.match(c.out(), /^HOST +VERDICT +MAX SCORE +ALERTS .* TOP RULE$/m);
    assert.match(c.out(), /^DS1 +Indicators detected +145 +6 +4 +1 .* EquationDrug_HDDSSD_Op_RID2F2E$/m);
    assert.match(c.out(), /^AD +Incomplete scan \(scanner errors\) +- +0 +0 +0 .* -$/m);
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0, j.err());
    const hosts = JSON.parse(j.out()).hosts as { host: string; maxScore: number | null; topRule: string | null }[];
    assert.deepEqual(hosts.map((h) => [h.host, h.maxScore, h.topRule]), [
      ['DS1', 145, 'EquationDrug_HDDSSD_Op_RID2F2E'],
      ['DS-SER1', 100, '66178d4a9279ebb1cd1eb79c10dc204b4199f061'],
      ['Server1', 70, 'psexec_generic'],
      ['AD', null, null],
    ]);
  });
});
