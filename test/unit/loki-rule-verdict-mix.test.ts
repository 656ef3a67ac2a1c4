/**
 * The Loki dashboard's Rules table shows each rule's verdict mix — its findings by level (Alerts, Warnings, Notices)
 * beside the Findings count (user trial 2026-12-06: a noisy rule could not be told from a rule of alerts without
 * filtering by it). Aggregated on the host in analyzeLoki (LokiAnalysis.rules[].alerts/warnings/notices), as every
 * dashboard table. Real data: /work/shared/data/loki/real-2021-2022; the expected counts were taken with
 * `grep -h <rule> * | awk -F, '{print $3}' | sort | uniq -c` (the level is the third field of a Loki log line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';

const REAL = resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

test('real Loki logs: the verdict mix of each rule, in the analysis and in the Rules table', async () => {
  const a = await runLokiAnalysis([REAL]);
  const mix = (rule: string) => {
    const r = a.rules.find((x) => x.rule === rule);
    assert.ok(r, rule);
    return [r.count, r.alerts, r.warnings, r.notices];
  };
  // grep: 2 ALERT + 1 WARNING lines; 4 WARNING; 2 WARNING (2 hosts); 1 NOTICE; 2 ALERT
  assert.deepEqual(mix('Hacktool_Strings_p0wnedShell'), [3, 2, 1, 0]);
  assert.deepEqual(mix('psexec_generic'), [4, 0, 4, 0]);
  assert.deepEqual(mix('S149_WinPcap'), [2, 0, 2, 0]);
  assert.deepEqual(mix('SUSP_WER_Suspicious_Crash_Directory'), [1, 0, 0, 1]);
  assert.deepEqual(mix('Mimikatz_Memory_Rule_RID2F34'), [2, 2, 0, 0]);
  // every finding of these logs is ALERT, WARNING or NOTICE: the mix adds up to the count
  for (const r of a.rules) assert.equal(r.alerts + r.warnings + r.notices, r.count, r.rule);

  const t = buildLokiDashboard(a, 'real-2021-2022', 'UTC').tables.find((x) => x.id === 'rules')!;
  assert.deepEqual(
    t.columns.map((c) => c.title),
    ['Rule', 'Max level', 'Kind', 'Findings', 'Alerts', 'Warnings', 'Notices', 'Hosts', 'Description'],
  );
  assert.deepEqual(t.columns.slice(3, 8).map((c) => c.type), ['number', 'number', 'number', 'number', 'number']);
  const row = (rule: string) => t.rows.find((r) => r[0] === rule)!.slice(0, 8);
  assert.deepEqual(row('Hacktool_Strings_p0wnedShell'), ['Hacktool_Strings_p0wnedShell', 'ALERT', 'yara', 3, 2, 1, 0, 1]);
  assert.deepEqual(row('S149_WinPcap'), ['S149_WinPcap', 'WARNING', 'yara', 2, 0, 2, 0, 2]);
  assert.deepEqual(row('SUSP_WER_Suspicious_Crash_Directory'), ['SUSP_WER_Suspicious_Crash_Directory', 'NOTICE', 'yara', 1, 0, 0, 1, 1]);
});
