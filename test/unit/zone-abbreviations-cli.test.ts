import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const KPI_SMALL = resolve(ROOT, 'test/fixtures/cases/kpi-small.csv');

test('kpi --source-zone AST: exit 2 naming the option, the abbreviation and the zones it usually means', async () => {
  const c = capture();
  assert.equal(await main(['kpi', KPI_SMALL, '--source-zone', 'AST', '--as-of', '2026-03-10T12:00:00Z'], c.io), 2);
  assert.match(c.err(), /^soc-analytics: --source-zone AST: "AST" is a time-zone abbreviation several zones share, .*use an IANA zone: Asia\/Riyadh \(UTC\+3 now\) or America\/Halifax/);
  assert.equal(c.out(), '');
  // every zone option: --tz of kpi, tz at --to
  const t = capture();
  assert.equal(await main(['kpi', KPI_SMALL, '--tz', 'IST'], t.io), 2);
  assert.match(t.err(), /^soc-analytics: --tz IST: "IST" is a time-zone abbreviation several zones share, .*Asia\/Kolkata \(UTC\+05:30 now\), Asia\/Jerusalem/);
  const a = capture();
  assert.equal(await main(['tz', 'at', '2026-03-10 12:00:00', '--from', 'UTC', '--to', 'PST'], a.io), 2);
  assert.match(a.err(), /^soc-analytics: --to PST: "PST" is a time-zone abbreviation, .*use the IANA zone America\/Los_Angeles/);
});

test('the setting socAnalytics.kpi.sourceTimeZone "AST": naive times read in UTC and the note says AST is an abbreviation, naming Asia/Riyadh', async () => {
  const a = await runKpiAnalysis([KPI_SMALL], { sourceZone: 'AST', asOf: Date.UTC(2026, 2, 10, 12) });
  const note = a.input.notes.find((n) => n.includes('"AST"'));
  assert.ok(note?.startsWith('the source time zone "AST" (setting socAnalytics.kpi.sourceTimeZone) is a time-zone abbreviation several zones share'), note);
  assert.match(note!, /Asia\/Riyadh \(UTC\+3 now\).*: times without an offset were read in UTC$/);
});

test('tz convert checks --from (as --to) before reading the file: a wrong zone is said, not the missing file', async () => {
  const missing = join(ROOT, 'test/fixtures/no-such-file.csv');
  assert.equal(existsSync(missing), false);
  const c = capture();
  assert.equal(await main(['tz', 'convert', missing, '--from', 'Berln', '--to', 'UTC', '--out', '/tmp/zones-x.csv'], c.io), 2);
  assert.match(c.err(), /^soc-analytics: --from Berln: unknown time zone; did you mean Europe\/Berlin\?/);
  assert.doesNotMatch(c.err(), /no-such-file/);
  const d = capture();
  assert.equal(await main(['tz', 'convert', missing, '--from', 'AST', '--to', 'UTC', '--out', '/tmp/zones-x.csv'], d.io), 2);
  assert.match(d.err(), /^soc-analytics: --from AST: "AST" is a time-zone abbreviation/);
});
