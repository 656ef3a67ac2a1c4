/**
 * QRadar fixes from the third new-user trial (a SOC analyst on the real data in /work/shared/data): one `describe`
 * per reported problem, each asserting the corrected values.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { main } from '../../src/cli/cli';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS } from '../../src/core/analyze/qradar-summary';

const DATA = process.env.SOC_SHARED_DATA ?? '/work/shared/data';
const SAMPLES = path.join(DATA, 'qradar/samples');
const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: 20 };

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const code = await main(args, { stdout: (s) => out.push(s), stderr: () => {} });
  return { code, out: out.join('') };
}

describe('#3 a saved QRadar API error answer (error_401.json) is a problem in the CLI as on the dashboard', () => {
  const why = /^not an export: an error answer of the QRadar API \(the request that wrote this file failed; skipped\) — QRadar API error body: No SEC header present in request/;

  it('qradar --json: summary.errors 1 and errors names the file and the reason, the dashboard\'s Problems row', async () => {
    const r = await cli(['qradar', SAMPLES, '--json']);
    assert.equal(r.code, 0);
    const doc = JSON.parse(r.out) as { summary: { errors: number }; errors: { file: string; line: number; message: string }[] };
    assert.equal(doc.summary.errors, 1);
    assert.equal(doc.errors.length, 1);
    assert.equal(doc.errors[0].file, path.join(SAMPLES, 'error_401.json'));
    assert.equal(doc.errors[0].line, 0);
    assert.match(doc.errors[0].message, why);
    const m = buildQRadarDashboard(await runQRadarRead([SAMPLES]), 'qradar', settings).model;
    assert.deepEqual(m.tables.find((t) => t.id === 'errors')!.rows, doc.errors.map((e) => [e.file, e.line, e.message]));
    assert.equal(m.cards.find((c) => c.id === 'errors')?.value, doc.summary.errors);
  });

  it('qradar text: "1 problem:" with the file and reason (it stays in "Left out" too)', async () => {
    const r = await cli(['qradar', SAMPLES]);
    assert.equal(r.code, 0);
    const lines = r.out.split('\n');
    const at = lines.indexOf('1 problem:');
    assert.ok(at >= 0, r.out);
    assert.match(lines[at + 1], new RegExp(`^  ${path.join(SAMPLES, 'error_401.json').replace(/[.]/g, '\\.')}:0: not an export: an error answer of the QRadar API`));
    assert.ok(lines.some((l) => l.startsWith(`  ${path.join(SAMPLES, 'error_401.json')}: QRadar API error body: `)));
  });
});
