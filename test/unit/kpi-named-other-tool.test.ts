/**
 * Trial defect D: `kpi` (CLI and VS Code) read a QRadar Log Activity export named to it as 5 cases, silently (a file
 * named was read whatever its columns; only one found in a folder was skipped as another tool's export). A named file
 * that is recognisably another tool's export — by the same rule as in a folder: its header is a QRadar event export's
 * (isQRadarEventExportHeader), a Loki log's, Loki-RS JSONL's or a Zeek log's, and its mapping reads no case — is
 * refused with what it is and which analysis reads it; mapped on purpose (`--map "Event Name=title"`) it is read.
 * Real inputs: the shared QRadar samples and Loki scan.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { folderOtherToolReason, namedOtherToolReason, readCases, sampleCaseMapping } from '../../src/core/parse/cases';
import { main } from '../../src/cli/cli';
import { EXIT_NOTHING_READ } from '../../src/core/cli-support';
import { noInputMessage } from '../../src/core/analyze/no-input';
import { capture } from './cli-capture';

const DATA = path.resolve(__dirname, '../../../../shared/data');
const SAMPLES = path.join(DATA, 'qradar/samples');
const EVENTS = path.join(SAMPLES, 'log_activity_export.csv');
const LOKI_CSV = path.join(DATA, 'loki/real-2021-2022/scan_result (1).csv');
const EVENTS_REASON = 'QRadar Log Activity or Network Activity export (events, not cases): read by the QRadar analysis (SOC: Analyze QRadar Offenses…; CLI: qradar)';
const LOKI_REASON = 'Loki scan results (a --csv log file), not cases: read by the Loki analysis (SOC: Analyze Loki Results…; CLI: loki)';

test('a QRadar Log Activity export named to the cases analysis is refused with its reason (each of the 3 sample exports), not read as cases', async () => {
  for (const f of ['log_activity_export.csv', 'log_activity_export_internal_names.csv', 'log_activity_export_payload_columns.csv']) {
    const file = path.join(SAMPLES, f);
    const input = await readCases([file]);
    assert.equal(input.cases.length, 0, f);
    assert.deepEqual(input.skipped, [{ file, reason: EVENTS_REASON }], f);
    assert.deepEqual(input.files, [], f);
  }
  // the Loki scan's --csv log, named: refused as a Loki log (it gave 31 cases)
  const loki = await readCases([LOKI_CSV]);
  assert.equal(loki.cases.length, 0);
  assert.deepEqual(loki.skipped, [{ file: LOKI_CSV, reason: LOKI_REASON }]);
});

test('CLI kpi on the named Log Activity export: exit 3, the report names what it is and which command reads it', async () => {
  const c = capture();
  assert.equal(await main(['kpi', EVENTS, '--as-of', '2026-03-10T12:00:00Z'], c.io), EXIT_NOTHING_READ);
  assert.ok(c.out().includes(`1 file skipped — ${EVENTS_REASON}: log_activity_export.csv`), c.out());
  assert.doesNotMatch(c.out(), /5 cases/);
  assert.equal(c.err(), 'soc-analytics: no case was read in the given paths (1 file skipped: see the report); exit 3\n');
  const j = capture();
  assert.equal(await main(['kpi', EVENTS, '--json', '--as-of', '2026-03-10T12:00:00Z'], j.io), EXIT_NOTHING_READ);
  assert.deepEqual(JSON.parse(j.out()).skipped, [{ file: EVENTS, reason: EVENTS_REASON }]);
  // VS Code: no case file read → the no-input notification, with the reason
  assert.equal(
    noInputMessage('Cases', 'log_activity_export.csv', [{ file: EVENTS, reason: EVENTS_REASON }]),
    `SOC Analytics: “log_activity_export.csv” was not read as Cases input — ${EVENTS_REASON}.`,
  );
});

test('the VS Code prompt rule and the analysis agree: the named export gets no mapping prompt (folderOtherToolReason of its sample)', async () => {
  const s = await sampleCaseMapping(EVENTS, {}, { maxBytes: 64 * 1024 });
  assert.deepEqual(s.mapping, { created: 'Start Time' });
  assert.equal(folderOtherToolReason(s), EVENTS_REASON);
  assert.equal(namedOtherToolReason(s.columns, s.mapping), EVENTS_REASON);
  // the prompt's mapping passed as the file's own mapping (fileMappings) is refused the same way
  const viaPrompt = await readCases([EVENTS], { fileMappings: { [EVENTS]: s.mapping } });
  assert.deepEqual(viaPrompt.skipped, [{ file: EVENTS, reason: EVENTS_REASON }]);
});

test('mapped on purpose, or a ticket export with such columns: read as cases', async () => {
  const mapped = await readCases([EVENTS], { mapping: { title: 'Event Name' } });
  assert.equal(mapped.cases.length, 5);
  assert.deepEqual(mapped.skipped ?? [], []);
  assert.equal(mapped.cases[0].title, 'Failure Audit: An account failed to log on');

  const dir = mkdtempSync(path.join(tmpdir(), 'kpi-named-'));
  const tickets = path.join(dir, 'tickets.csv');
  writeFileSync(tickets, 'Case ID,Title,Created,Event Name,Log Source,Event Count\nC-1,Brute force on dc02,2026-03-03T14:20:05Z,Failure Audit,WindowsAuthServer,6\n');
  const t = await readCases([tickets]);
  assert.equal(t.cases.length, 1);
  assert.equal(t.cases[0].title, 'Brute force on dc02');
  assert.deepEqual(t.skipped ?? [], []);
});
