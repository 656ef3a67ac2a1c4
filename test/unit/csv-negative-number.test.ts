/**
 * CSV export: a negative number cell is neutralised as the text `-1` is (`'-5`). Excel with `;` as list separator
 * reads a line up to its next `;`, so a bare `-5` and an attacker's text cell after it are one field,
 * `-5,1+cmd|' /C calc'!A0`: a formula. Real path: an offense export (test/fixtures/qradar/negative-id) through the
 * offense table's columns, as the dashboard's Export CSV writes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { qradarContext, qradarOffenseColumns } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N } from '../../src/core/analyze/qradar-summary';
import { csvChunks } from '../../src/core/export/csv';
import { exportHeader, exportValue } from '../../src/core/table/store';

const FILE = path.resolve(__dirname, '../../../test/fixtures/qradar/negative-id/offenses.json');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };

test("offense id -5 before a formula-like description: the id is written '-5, so no ;-separated Excel line starts with -", async () => {
  const p = await runQRadarRead([FILE], { consoleTimeZone: 'UTC' });
  const cols = qradarOffenseColumns(qradarContext(p, settings)).filter((c) => c.id === 'id' || c.id === 'description');
  assert.deepEqual(p.offenses.map((o) => exportValue(cols[0], o)), [-5, 6]); // raw numbers
  const csv = [...csvChunks(cols.map(exportHeader), p.offenses.map((o) => cols.map((c) => exportValue(c, o))))].join('');
  const lines = csv.split('\r\n');
  assert.equal(lines[1], "'-5,1+cmd|' /C calc'!A0");
  assert.equal(lines[2], '6,Multiple Login Failures');
  // as such Excel reads it: each line up to its first ';' is one field, none starts with a formula character
  for (const l of lines) assert.doesNotMatch(l.split(';')[0], /^[=+\-@]/, l);
  assert.deepEqual((parse(csv) as string[][]).slice(1).map((r) => r[0]), ["'-5", '6']);
});
