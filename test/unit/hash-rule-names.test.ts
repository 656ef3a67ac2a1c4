/**
 * A hash IOC's rule is named as in the Rules table (`Hash IOC: <description>`, ruleCells/ruleNamer) wherever a hash's or
 * a finding's rules are listed: CLI and Markdown *Top hashes*, the dashboard's Hashes tab, the merged timeline's Detail.
 * They showed the bare hash (the rule key), which the trial read as an unnamed rule. Checked on the real shared scan
 * (data/loki: DS-SER1's struts-core-1.3.8.jar, `Malware Hash TYPE: SHA1 HASH: 66178d4a…`); the --json keys stay hashes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { timelineEvents } from '../../src/core/tz-timeline';
import { capture } from './cli-capture';

const LOKI = path.resolve(__dirname, '../../../../shared/data/loki');
const DESC = 'DCSO Vuln List https://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 | CVE-2017-9791 | CVE-2017-9805';
const SHA1 = '66178d4a9279ebb1cd1eb79c10dc204b4199f061';
const SHA256 = 'a7881710517dd6a50fa81c04d494e1493ad326bcc1adf2eb9493e5eb9ca9e077';

test('real scan: the struts-core-1.3.8.jar hash lists its rule as `Hash IOC: <description>` (CLI, Markdown, Hashes tab, timeline), its --json rule key stays the hash', async () => {
  const c = capture();
  assert.equal(await main(['loki', LOKI], c.io), 0, c.err());
  const row = c.out().split('\n').find((l) => l.includes(`  ${SHA256}  `));
  assert.ok(row, c.out());
  assert.ok(row.endsWith(`\\struts-core-1.3.8.jar  Hash IOC: ${DESC}`), row);
  assert.ok(!row.includes(SHA1), row);

  const a = await runLokiAnalysis([LOKI]);
  const md = lokiMarkdown(a, { zone: 'UTC' });
  const mdRow = md.split('\n').find((l) => l.startsWith(`| ${SHA256} |`));
  assert.ok(mdRow, md);
  assert.ok(mdRow.includes(' | Hash IOC: DCSO Vuln List hxxps://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 \\| CVE-2017-9791 \\| CVE-2017-9805 | '), mdRow);

  const t = buildLokiDashboard(a, 't', 'UTC').tables.find((x) => x.id === 'hashes')!;
  const k = t.rows.findIndex((r) => r[0] === SHA256);
  assert.equal(t.rows[k][t.columns.findIndex((x) => x.id === 'rules')], `Hash IOC: ${DESC}`);
  assert.deepEqual(t.rowFacets?.[k], { hash: SHA256 });

  const ev = timelineEvents('loki', 't', a).filter((e) => e.event.includes('struts-core-1.3.8.jar'));
  assert.deepEqual(ev.map((e) => e.detail), [`Hash IOC: ${DESC}`]);

  const j = capture();
  assert.equal(await main(['loki', LOKI, '--json'], j.io), 0, j.err());
  const jh = JSON.parse(j.out()).hashes.find((h: { hash: string }) => h.hash === SHA256);
  assert.deepEqual(jh.rules, [SHA1]);
});
