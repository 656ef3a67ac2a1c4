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
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';

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

test('real Loki logs: the CLI text report, --json rules and the Markdown summary carry the same verdict mix', async () => {
  // grep -h p0wnedShell * | awk -F, '{print $3}' | sort | uniq -c → 2 ALERT, 1 WARNING (all in scan_result (1).csv);
  // psexec_generic → 4 WARNING; SUSP_WER_Suspicious_Crash_Directory → 1 NOTICE
  const c = capture();
  assert.equal(await main(['loki', REAL], c.io), 0, c.err());
  const out = c.out();
  const rules = out.slice(out.indexOf('\nTop rules'), out.indexOf('\n\n', out.indexOf('\nTop rules') + 1)).split('\n');
  assert.match(rules[2], /^FINDINGS {2}ALERTS {2}WARNINGS {2}NOTICES {2}HOSTS {2}MAX LEVEL {2}KIND +DESCRIPTION +RULE$/);
  // the counts, the kind and the rule (last)
  const row = (rule: string) => {
    const t = rules.find((l) => l.endsWith(` ${rule}`))!.trim().split(/ +/);
    return [...t.slice(0, 7), t[t.length - 1]];
  };
  assert.deepEqual(row('Hacktool_Strings_p0wnedShell'), ['3', '2', '1', '0', '1', 'ALERT', 'yara', 'Hacktool_Strings_p0wnedShell']);
  assert.deepEqual(row('psexec_generic'), ['4', '0', '4', '0', '1', 'WARNING', 'yara', 'psexec_generic']);
  assert.deepEqual(row('SUSP_WER_Suspicious_Crash_Directory'), ['1', '0', '0', '1', '1', 'NOTICE', 'yara', 'SUSP_WER_Suspicious_Crash_Directory']);

  const j = capture();
  assert.equal(await main(['loki', REAL, '--json'], j.io), 0, j.err());
  const jr = (JSON.parse(j.out()).rules as { rule: string }[]).find((r) => r.rule === 'Hacktool_Strings_p0wnedShell');
  assert.deepEqual(jr, {
    rule: 'Hacktool_Strings_p0wnedShell',
    name: 'Hacktool_Strings_p0wnedShell',
    count: 3,
    alerts: 2,
    warnings: 1,
    notices: 0,
    hosts: 1,
    kind: 'yara',
    description: 'p0wnedShell Runspace Post Exploitation Toolkit - file p0wnedShell.cs',
    maxLevel: 'ALERT',
  });

  const md = lokiMarkdown(await runLokiAnalysis([REAL]), { zone: 'UTC', top: 20 });
  assert.ok(md.includes('| Rule | Max level | Kind | Findings | Alerts | Warnings | Notices | Hosts | Description |\n'), md);
  assert.ok(md.includes('\n| Hacktool_Strings_p0wnedShell | ALERT | yara | 3 | 2 | 1 | 0 | 1 | p0wnedShell Runspace Post Exploitation Toolkit - file p0wnedShell.cs |\n'), md);
  assert.ok(md.includes('\n| SUSP_WER_Suspicious_Crash_Directory | NOTICE | yara | 1 | 0 | 0 | 1 | 1 |'), md);
});
