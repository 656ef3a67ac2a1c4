// Security review of 2026-12-04 (LOW): a pretty-printed JSON case file with one record line missing its comma was
// read as NDJSON (that line is an object of its own): 2 of 3 cases read, the damage reported as "not valid JSON" at
// line 1. It is one damaged JSON document: reported with the line and column of the error, no partial KPIs.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';

const FILE = path.join(__dirname, '../../../test/fixtures/kpi-review/pretty-missing-comma.json');

test('a pretty-printed JSON case file missing a comma is damaged JSON (line 4, column 1), not NDJSON with a case lost', async () => {
  const out: string[] = [];
  await main(['kpi', FILE, '--json', '--as-of', '2026-03-10T12:00:00Z'], { stdout: (s) => out.push(s), stderr: () => {} });
  const d = JSON.parse(out.join('')) as { cases: number; errors: { line: number; message: string }[] };
  assert.equal(d.cases, 0);
  assert.deepEqual(
    d.errors.map((e) => [e.line, e.message]),
    [[0, "damaged JSON (cut short or not valid JSON): line 4, column 1: expected ',' or ']' after an array element, found '{'"]],
  );
});
