// Cases analysis of a workspace-like folder: another tool's export found beside the cases (a QRadar Log Activity
// export, a Python Loki --csv log) is skipped with a reason naming the analysis that reads it, and never offered for
// column mapping (trial 2026-12-05: Enter on the mapping prompt read 5 QRadar events as 5 cases, 21 cases for 16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { caseMappingGroups, folderOtherToolReason, mappingReadsCases, otherToolExportReason, readCases, sampleCaseMapping } from '../../src/core/parse/cases';
import { discoverCaseFiles } from '../../src/core/parse/cases-discover';
import { isQRadarEventExportHeader } from '../../src/core/parse/qradar-csv';

const DIST = resolve(__dirname, '../../../dist/cli.js');
const SHARED = resolve(__dirname, '../../../../shared/data');
const SAMPLES = join(SHARED, 'qradar/samples');
const CASES = resolve(__dirname, '../../../test/fixtures/cases/kpi-small.csv');
const LOKI_CSV = join(SHARED, 'loki/real-2021-2022/scan_result (1).csv');

const LOKI_REASON = 'Loki scan results (a --csv log file), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)';
const EVENTS_REASON = 'QRadar Log Activity or Network Activity export (events, not cases): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)';

function workspaceLike(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-other-'));
  copyFileSync(CASES, join(dir, 'kpi-small.csv'));
  copyFileSync(join(SAMPLES, 'offenses.json'), join(dir, 'offenses.json'));
  for (const f of ['log_activity_export.csv', 'log_activity_export_internal_names.csv', 'log_activity_export_payload_columns.csv']) copyFileSync(join(SAMPLES, f), join(dir, f));
  copyFileSync(LOKI_CSV, join(dir, 'scan_result (1).csv'));
  copyFileSync(resolve(__dirname, '../../../test/fixtures/loki/samples-rs.jsonl'), join(dir, 'loki_host_2026-02-03.jsonl'));
  return dir;
}

test('isQRadarEventExportHeader: the three Log Activity exports of the samples; not a case export with Category and Username', () => {
  assert.equal(isQRadarEventExportHeader(['Event Name', 'Log Source', 'Event Count', 'Start Time', 'Low Level Category', 'Source IP']), true);
  assert.equal(isQRadarEventExportHeader(['logSourceIdentifier', 'sourcMACAddress', 'payloadAsUTF', 'deviceTime']), true);
  assert.equal(isQRadarEventExportHeader(['Event Name', 'Log Source Identifier', 'Source MAC', 'Log Source Time', 'col_5']), true);
  assert.equal(isQRadarEventExportHeader(['Flow Type', 'First Packet Time', 'Source IP', 'Total Bytes']), true);
  // a case export: one event-reader column (Category, Username, Time, Magnitude) is not enough
  assert.equal(isQRadarEventExportHeader(['Case ID', 'Title', 'Time', 'Category', 'Username', 'Magnitude']), false);
  assert.equal(isQRadarEventExportHeader(['Event Name', 'Created', 'Severity']), false);
});

test('otherToolExportReason: a Loki --csv log line read as a header, a QRadar event export; undefined for a ticket export', () => {
  assert.equal(otherToolExportReason({ columns: ['20220119T18:42:50Z', 'DS1', 'NOTICE', 'Init', 'Starting Loki Scan VERSION: 0.42.3'] }), LOKI_REASON);
  assert.equal(otherToolExportReason({ columns: ['Event Name', 'Log Source', 'Event Count', 'Start Time'] }), EVENTS_REASON);
  assert.equal(otherToolExportReason({ columns: ['Ticket Ref', 'Headline', 'Logged', 'Finished', 'Handler', 'Outcome'] }), undefined);
  assert.equal(otherToolExportReason({ columns: ['timestamp', 'level', 'event_type', 'hostname', 'message', 'file_path'] }), 'Loki-RS scan results (JSONL), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)');
  assert.equal(otherToolExportReason({ columns: ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h'] }), 'Zeek log (connections, not cases): read by beacon detection (SOC: Detect Beacons…; CLI: beacons)');
  // a case export whose first column holds a Loki-like time in its header is no Loki log without a level third
  assert.equal(otherToolExportReason({ columns: ['20220119T18:42:50Z', 'DS1', 'Phishing', 'x', 'y'] }), undefined);
});

test('a workspace-like folder: the 10 cases and 6 offenses are read; the Loki log and the 3 Log Activity exports are skipped with their reasons and get no mapping prompt', async () => {
  const dir = workspaceLike();
  const found = await discoverCaseFiles([dir]);
  const samples = [];
  for (const file of found.files) samples.push({ file, ...(await sampleCaseMapping(file, {}, { maxBytes: 64 * 1024 })) });
  // what the extension's prompt leaves out (found in a folder, another tool's export)
  const offered = caseMappingGroups(samples.filter((s) => !folderOtherToolReason(s)));
  assert.deepEqual(offered, [], 'no header is offered for mapping');
  assert.deepEqual(
    samples.filter((s) => folderOtherToolReason(s)).map((s) => s.file.split('/').pop()).sort(),
    ['log_activity_export.csv', 'log_activity_export_internal_names.csv', 'log_activity_export_payload_columns.csv', 'loki_host_2026-02-03.jsonl', 'scan_result (1).csv'],
  );
  const input = await readCases(found.files, { inFolder: found.inFolder });
  assert.equal(input.cases.length, 16, 'the 10 cases and the 6 offenses');
  const reasons = Object.fromEntries((input.skipped ?? []).map((k) => [k.file.split('/').pop(), k.reason]));
  assert.equal(reasons['scan_result (1).csv'], LOKI_REASON);
  assert.equal(reasons['log_activity_export.csv'], EVENTS_REASON);
  assert.equal(reasons['log_activity_export_internal_names.csv'], EVENTS_REASON);
  assert.equal(reasons['log_activity_export_payload_columns.csv'], EVENTS_REASON);
  assert.equal(reasons['loki_host_2026-02-03.jsonl'], 'Loki-RS scan results (JSONL), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)');
});

test('CLI kpi on a workspace-like folder: 16 cases; the skipped files name the analysis that reads them, without the mapping hint', () => {
  const dir = workspaceLike();
  writeFileSync(join(dir, 'notes.txt'), 'not read');
  const r = spawnSync(process.execPath, [DIST, 'kpi', dir, '--as-of', '2026-03-10T12:00:00Z', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.cases, 16);
  const reasons = Object.fromEntries(j.skipped.map((k: { file: string; reason: string }) => [k.file.split('/').pop(), k.reason]));
  assert.equal(reasons['log_activity_export.csv'], EVENTS_REASON);
  assert.equal(reasons['scan_result (1).csv'], LOKI_REASON);
  const text = spawnSync(process.execPath, [DIST, 'kpi', dir, '--as-of', '2026-03-10T12:00:00Z'], { encoding: 'utf8' });
  assert.equal(text.status, 0, text.stderr);
  assert.doesNotMatch(text.stdout, /map them \(kpi --map/, 'no file was skipped for its columns alone');
});

test('folderOtherToolReason: another tool\'s header is skipped only when its mapping reads no case; mappingReadsCases needs created and title or id', async () => {
  const zeekish = ['ts', 'uid', 'id.orig_h', 'id.resp_h'];
  assert.match(folderOtherToolReason({ columns: zeekish, mapping: {} }) ?? '', /^Zeek log \(connections, not cases\)/);
  // a ticket export that carries the Zeek connection columns of its alert: read as cases (as the analysis does)
  const ticket = ['Case ID', 'Title', 'Created', ...zeekish];
  assert.equal(folderOtherToolReason({ columns: ticket, mapping: { created: 'Created', title: 'Title', id: 'Case ID' } }), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'kpi-zeekish-'));
  writeFileSync(join(dir, 'tickets.csv'), `${ticket.join(',')}\nC-1,Beacon to 203.0.113.9,2026-11-02T10:00:00Z,1700000000.1,Cabc,10.0.0.5,203.0.113.9\n`);
  const sample = await sampleCaseMapping(join(dir, 'tickets.csv'));
  assert.equal(folderOtherToolReason(sample), undefined);
  const found = await discoverCaseFiles([dir]);
  const read = await readCases(found.files, { inFolder: found.inFolder });
  assert.deepEqual(read.skipped ?? [], []);
  assert.equal(read.cases.length, 1);
  assert.equal(read.cases[0].title, 'Beacon to 203.0.113.9');
  assert.equal(mappingReadsCases({ created: 'Created', id: 'Case ID' }, ticket), true);
  assert.equal(mappingReadsCases({ created: 'Created' }, ticket), false);
  assert.equal(mappingReadsCases({ created: 'Opened', title: 'Title' }, ticket), false);
});
