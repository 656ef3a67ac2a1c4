/**
 * A folder of case exports from two tools, one whose columns are not recognised (test/fixtures/tickets/tickets-unmapped.csv):
 * the files to offer for mapping, grouped by header, and a mapping made for them that leaves the other tool's files
 * their suggested columns (it made them lack the created time, and they were skipped as no case export).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { folderFileMapping, sampleCaseMapping, unmappedCaseFileGroups } from '../../src/core/parse/cases';

const ROOT = resolve(__dirname, '../../..');
const SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases, recognised columns
const TICKETS = join(ROOT, 'test/fixtures/tickets/tickets-unmapped.csv'); // 3 tickets, columns not recognised
const AS_OF = Date.UTC(2026, 2, 10, 12);
const TICKET_MAPPING = { id: 'Ticket Ref', title: 'Headline', created: 'Logged', closed: 'Finished' };

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-map-'));
  cpSync(SMALL, join(dir, 'a-cases.csv'));
  cpSync(TICKETS, join(dir, 'b-tickets.csv'));
  // the same tool's next export: other tickets (T-200…), same header
  writeFileSync(join(dir, 'c-tickets-2.csv'), readFileSync(TICKETS, 'utf8').replace(/T-1/g, 'T-2'));
  writeFileSync(join(dir, 'd-other.csv'), 'When,What\n2026-03-01T00:00:00Z,x\n');
  writeFileSync(join(dir, 'offense_closing_reasons.json'), '[{"id":1,"text":"Non-Issue"}]');
  return dir;
}

test('unmappedCaseFileGroups: the files whose columns are not recognised, by header, largest group first; recognised files, lookup lists and files without columns left out', async () => {
  const dir = folder();
  try {
    const files = ['a-cases.csv', 'b-tickets.csv', 'c-tickets-2.csv', 'd-other.csv', 'offense_closing_reasons.json'].map((f) => join(dir, f));
    const samples = await Promise.all(files.map(async (file) => ({ file, columns: (await sampleCaseMapping(file)).columns })));
    samples.push({ file: join(dir, 'e-empty.csv'), columns: [] });
    assert.deepEqual(unmappedCaseFileGroups(samples), [
      { columns: ['Ticket Ref', 'Headline', 'Logged', 'Finished', 'Handler', 'Outcome'], files: [join(dir, 'b-tickets.csv'), join(dir, 'c-tickets-2.csv')] },
      { columns: ['When', 'What'], files: [join(dir, 'd-other.csv')] },
    ]);
    // once mapped, the tickets are recognised
    assert.deepEqual(unmappedCaseFileGroups(samples, TICKET_MAPPING), [{ columns: ['When', 'What'], files: [join(dir, 'd-other.csv')] }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('folderFileMapping: a mapped column the file lacks leaves the field its suggested column', () => {
  const cols = ['Case ID', 'Title', 'Created', 'Closed', 'Owner'];
  assert.deepEqual(folderFileMapping(cols, TICKET_MAPPING), { id: 'Case ID', title: 'Title', created: 'Created', closed: 'Closed', analyst: 'Owner' });
  assert.deepEqual(folderFileMapping(['Ticket Ref', 'Headline', 'Logged', 'Finished', 'Handler'], TICKET_MAPPING), { id: 'Ticket Ref', title: 'Headline', created: 'Logged', closed: 'Finished', analyst: 'Handler' });
});

test('kpi <folder> with a mapping for one tool: its files and the recognised files are all read (the recognised file was skipped)', async () => {
  const dir = folder();
  try {
    const a = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: TICKET_MAPPING });
    assert.equal(a.input.cases.length, 16, JSON.stringify(a.input.skipped));
    assert.deepEqual(a.input.files.map((f) => f.slice(dir.length + 1)), ['a-cases.csv', 'b-tickets.csv', 'c-tickets-2.csv']);
    assert.deepEqual(a.input.skipped!.map((s) => s.file.slice(dir.length + 1)).sort(), ['d-other.csv', 'offense_closing_reasons.json']);
    const c1 = a.input.cases.find((c) => c.id === 'C-1')!;
    assert.equal(c1.title, 'Multiple login failures for admin', 'the recognised file keeps its own Title column');
    const t = a.input.cases.find((c) => c.id === 'T-100')!;
    assert.equal(t.title, 'Phishing mail reported by finance');
    assert.equal(t.created, Date.UTC(2026, 2, 5, 9));
    // without the mapping the tickets are skipped, with the reason
    const b = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(b.input.cases.length, 10);
    assert.match(b.input.skipped!.find((s) => s.file.endsWith('b-tickets.csv'))!.reason, /^not a case export: no column for the created time or title or id \(columns: Ticket Ref, Headline, Logged, Finished, Handler, …\)$/);
    // the note says how to read them after all (it named the files only)
    assert.match(b.input.notes[0], /^4 files skipped — .* — to read a table skipped for its columns, map them \(kpi --map "column=field,…"; in VS Code: the mapping prompt of Analyze Cases on the folder, or socAnalytics\.kpi\.columnMapping\)$/);
    // not said when no table was skipped for its columns (only the lookup list, read for the offenses)
    for (const f of ['b-tickets.csv', 'c-tickets-2.csv', 'd-other.csv']) rmSync(join(dir, f));
    const c = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.match(c.input.notes[0], /^1 file skipped — QRadar lookup list or search result, not offenses \(closing reasons and rule names are read beside the offenses\): offense_closing_reasons\.json$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
