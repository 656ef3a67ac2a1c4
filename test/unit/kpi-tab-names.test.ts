/**
 * UI trial (ui-fixes2): a dashboard tab shows its row count in a badge, so the tab's name carries no
 * count of its own ("Cases matched by several rules (2)" next to a badge 2; "Largest unmatched groups
 * (2 cases)" next to a badge 1, the badge counting groups).
 */
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildKpiDashboard } from '../../src/core/analyze/kpi-dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';

const FIX = resolve(__dirname, '../../../test/fixtures/cases');
const AS_OF = Date.parse('2026-03-10T12:00:00Z');
const TMP = mkdtempSync(join(tmpdir(), 'soc-kpi-tabs-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

async function dashboard(cases: string, rules: string) {
  const a = await runKpiAnalysis([cases], { rulesPath: rules, asOf: AS_OF });
  return buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'cases', 'UTC');
}

describe('KPI dashboard tabs: the name says what the badge (the row count) counts, without repeating it', () => {
  it('kpi-small.csv: "Cases matched by several rules" (badge 2), "Largest unmatched groups" (badge = groups)', async () => {
    const d = await dashboard(join(FIX, 'kpi-small.csv'), join(FIX, 'tagging.json'));
    const mm = d.tables.find((t) => t.id === 'multi-matched')!;
    assert.equal(mm.title, 'Cases matched by several rules');
    assert.equal(mm.rows.length, 2);
    const um = d.tables.find((t) => t.id === 'unmatched')!;
    assert.equal(um.title, 'Largest unmatched groups');
    assert.equal(um.columns.map((c) => c.title).join('|'), 'Title (example)|Cases');
    // the untagged cases are still counted: on the Untagged card
    const untagged = d.cards.find((c) => c.id === 'untagged')!;
    assert.equal(untagged.value, um.rows.reduce((s, r) => s + Number(r[1]), 0));
    // no tab repeats its badge in its name
    for (const t of d.tables) assert.doesNotMatch(t.title, /\(\s*[\d,]+(?:\s+\w+)?\s*\)\s*$/, t.title);
  });

  it('more cases matched by several rules than the table lists: the name says the table shows the first of them', async () => {
    const csv = join(TMP, 'many.csv');
    const lines = ['Case ID,Title,Created,Closed,Owner,Severity,Status,Disposition,Rule'];
    for (let i = 1; i <= 60; i++) lines.push(`C-${i},Login and port scan ${i},2026-03-02T08:00:00Z,2026-03-02T09:00:00Z,alice,High,Closed,False Positive,R`);
    writeFileSync(csv, lines.join('\n') + '\n');
    const d = await dashboard(csv, join(FIX, 'tagging.json'));
    const mm = d.tables.find((t) => t.id === 'multi-matched')!;
    assert.equal(mm.rows.length, 50);
    assert.equal(mm.title, 'Cases matched by several rules (first 50 of 60)');
  });
});
