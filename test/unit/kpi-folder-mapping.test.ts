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
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { caseMappingGroups, folderFileMapping, headerKey, mappingOffer, sampleCaseMapping } from '../../src/core/parse/cases';

const ROOT = resolve(__dirname, '../../..');
const SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases, recognised columns
const TICKETS = join(ROOT, 'test/fixtures/tickets/tickets-unmapped.csv'); // 3 tickets, columns not recognised
const INCIDENTS = join(ROOT, 'test/fixtures/tickets/incidents-unmapped.csv'); // 3 incidents, other columns not recognised
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

const TICKET_COLUMNS = ['Ticket Ref', 'Headline', 'Logged', 'Finished', 'Handler', 'Outcome'];

test('caseMappingGroups: the files whose columns are not recognised, by header, largest group first, with the mapping to offer; recognised files, lookup lists and files without columns left out', async () => {
  const dir = folder();
  try {
    const files = ['a-cases.csv', 'b-tickets.csv', 'c-tickets-2.csv', 'd-other.csv', 'offense_closing_reasons.json'].map((f) => join(dir, f));
    const samples = await Promise.all(files.map(async (file) => ({ file, columns: (await sampleCaseMapping(file)).columns })));
    samples.push({ file: join(dir, 'e-empty.csv'), columns: [] });
    const tickets = { key: headerKey(TICKET_COLUMNS), columns: TICKET_COLUMNS, files: [join(dir, 'b-tickets.csv'), join(dir, 'c-tickets-2.csv')], needed: true };
    const other = { key: headerKey(['When', 'What']), columns: ['When', 'What'], files: [join(dir, 'd-other.csv')], needed: true };
    // the offer: the suggested columns (Handler, Outcome) and those guessed from the header words, as the CLI's --map
    const offer = { analyst: 'Handler', disposition: 'Outcome', created: 'Logged', title: 'Headline', id: 'Ticket Ref' };
    assert.deepEqual(caseMappingGroups(samples), [
      { ...tickets, offer },
      { ...other, offer: {} },
    ]);
    // once mapped, the tickets are recognised
    assert.deepEqual(caseMappingGroups(samples, { mapping: TICKET_MAPPING }), [{ ...other, offer: {} }]);
    // a mapping remembered for the tickets' header is offered (and returned) in place of the guess; `all` adds the recognised file
    const remembered = { [headerKey(TICKET_COLUMNS)]: TICKET_MAPPING };
    assert.deepEqual(caseMappingGroups(samples, { remembered })[0], { ...tickets, remembered: TICKET_MAPPING, offer: TICKET_MAPPING });
    const all = caseMappingGroups(samples, { all: true });
    assert.deepEqual(all.map((g) => [g.files.map((f) => f.slice(dir.length + 1)), g.needed]), [[['b-tickets.csv', 'c-tickets-2.csv'], true], [['a-cases.csv'], false], [['d-other.csv'], true]]);
    assert.deepEqual(all[1].offer, { id: 'Case ID', title: 'Title', created: 'Created', acknowledged: 'Acknowledged', closed: 'Closed', analyst: 'Owner', severity: 'Severity', status: 'Status', disposition: 'Disposition', rule: 'Rule' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mappingOffer: the saved mapping and the suggestion, and the guess for what they leave out (even a partial guess)', () => {
  const cols = ['Incident No', 'Subject Line', 'Raised At', 'Resolved At', 'Engineer', 'Verdict'];
  assert.deepEqual(mappingOffer(cols), { closed: 'Resolved At', disposition: 'Verdict', created: 'Raised At', title: 'Subject Line', id: 'Incident No' });
  assert.deepEqual(mappingOffer(cols, { analyst: 'Engineer', created: 'Nope' }), { closed: 'Resolved At', analyst: 'Engineer', disposition: 'Verdict', created: 'Raised At', title: 'Subject Line', id: 'Incident No' });
  // no column for a title or id: the created time guessed alone
  assert.deepEqual(mappingOffer(['Logged', 'Text']), { created: 'Logged' });
});

test('kpi on two named files of two tools, each with its own mapping (fileMappings): both read with real values; a declined file is skipped with the reason', async () => {
  const fileMappings = { [TICKETS]: { ...TICKET_MAPPING, analyst: 'Handler' }, [INCIDENTS]: { id: 'Incident No', title: 'Subject Line', created: 'Raised At', closed: 'Resolved At' } };
  const a = await runKpiAnalysis([TICKETS, INCIDENTS], { asOf: AS_OF, fileMappings });
  assert.equal(a.input.cases.length, 6, JSON.stringify(a.input.errors));
  const i2 = a.input.cases.find((c) => c.id === 'I-2')!;
  assert.deepEqual([i2.title, i2.created, i2.closed], ['Port scan from 10.0.0.5', Date.UTC(2026, 2, 8, 14), Date.UTC(2026, 2, 8, 18)]);
  assert.equal(a.input.cases.find((c) => c.id === 'T-101')!.analyst, 'dave');
  // closed after 1.5, 2, 2 and 4 h
  const mttr = kpiReportOf(a, 'UTC').kpis.mttr;
  assert.deepEqual(mttr.available && [mttr.value.n, mttr.value.median], [4, 2 * 3600_000]);
  // one mapping for both (the extension's old prompt): the second file lacked its columns
  const one = await runKpiAnalysis([TICKETS, INCIDENTS], { asOf: AS_OF, mapping: TICKET_MAPPING });
  assert.equal(one.input.cases.filter((c) => c.id?.startsWith('I-') && c.created !== undefined).length, 0);
  // the incidents' prompt declined: skipped with the reason; the tickets still read
  const b = await runKpiAnalysis([TICKETS, INCIDENTS], { asOf: AS_OF, fileMappings: { [TICKETS]: TICKET_MAPPING, [INCIDENTS]: mappingOffer([]) }, declined: [INCIDENTS] });
  assert.deepEqual(b.input.files, [TICKETS]);
  assert.equal(b.input.cases.length, 3);
  assert.match(b.input.skipped!.find((s) => s.file === INCIDENTS)!.reason, /^not a case export: no column for the created time or title or id \(columns: Incident No, Subject Line, Raised At, Resolved At, Engineer, …\)$/);
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
    assert.match(b.input.notes[0], /^4 files skipped — .* — to read a table skipped for its columns, map them \(kpi --map "column=field,…"; in VS Code: the mapping prompt of Analyze Cases on the files or folder, or socAnalytics\.kpi\.columnMapping\)$/);
    // not said when no table was skipped for its columns (only the lookup list, read for the offenses)
    for (const f of ['b-tickets.csv', 'c-tickets-2.csv', 'd-other.csv']) rmSync(join(dir, f));
    const c = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.match(c.input.notes[0], /^1 file skipped — QRadar lookup list or search result, not offenses \(closing reasons and rule names are read beside the offenses\): offense_closing_reasons\.json$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('QRadar lookup lists are told by content, not by name: a closing-reasons list, offense types and Ariel results named otherwise are never offered for mapping nor read as cases; a case export named offense_types.csv is', async () => {
  const QRADAR = resolve(ROOT, '../shared/data/qradar/samples');
  const dir = mkdtempSync(join(tmpdir(), 'kpi-lookup-'));
  try {
    cpSync(join(ROOT, 'test/fixtures/qradar/closing-csv/reasons.csv'), join(dir, 'reasons.csv')); // id,text
    cpSync(join(QRADAR, 'offense_types.json'), join(dir, 'types-export.json'));
    cpSync(join(QRADAR, 'ariel_search_results.json'), join(dir, 'search-4102.json')); // {"events": [{event_name, events}]}
    cpSync(TICKETS, join(dir, 'offense_types.csv')); // the tickets, under a lookup list's name
    cpSync(join(QRADAR, 'error_401.json'), join(dir, 'offenses-0309.json')); // a saved API error answer (was offered for mapping)
    // a qradar-fetch manifest (fetch.ts FetchManifest) renamed: read as a table, its runs (startedAt would map to created)
    const run = { startedAt: '2026-03-09T08:00:00.000Z', endedAt: '2026-03-09T08:00:04.000Z', outcome: 'complete', fetched: 6 };
    writeFileSync(join(dir, 'fetch-log.json'), JSON.stringify({ format: 'soc-analytics/qradar-offenses-fetch', version: 1, status: 'complete', console: 'https://qradar.example', runs: [run], warnings: [] }));
    const names = ['fetch-log.json', 'offense_types.csv', 'offenses-0309.json', 'reasons.csv', 'search-4102.json', 'types-export.json'];
    const samples = await Promise.all(names.map(async (f) => ({ file: join(dir, f), ...(await sampleCaseMapping(join(dir, f))) })));
    // by name, the tickets were left out and the lookup lists offered as case data
    assert.deepEqual(
      caseMappingGroups(samples).map((g) => g.files.map((f) => f.slice(dir.length + 1))),
      [['offense_types.csv']],
    );
    assert.deepEqual(caseMappingGroups(samples)[0].offer, { analyst: 'Handler', disposition: 'Outcome', created: 'Logged', title: 'Headline', id: 'Ticket Ref' });
    // the mapping made: the tickets are read; the lookup lists are skipped as such
    const a = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: TICKET_MAPPING });
    assert.deepEqual(a.input.files.map((f) => f.slice(dir.length + 1)), ['offense_types.csv']);
    assert.match(a.input.skipped!.find((s) => s.file === join(dir, 'offenses-0309.json'))!.reason, /^QRadar API error body: No SEC header present/);
    assert.deepEqual(a.input.cases.map((c) => c.id), ['T-100', 'T-101', 'T-102']);
    const reason = (name: string) => a.input.skipped!.find((s) => s.file === join(dir, name))?.reason;
    for (const f of ['fetch-log.json', 'reasons.csv', 'search-4102.json', 'types-export.json']) assert.match(reason(f)!, /^QRadar lookup list or search result, not offenses/, f);
    // without the mapping: the tickets are skipped for their columns (to be mapped), not as a lookup list
    const b = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.match(b.input.skipped!.find((s) => s.file === join(dir, 'offense_types.csv'))!.reason, /^not a case export: no column for the created time or title or id \(columns: Ticket Ref, /);
    assert.deepEqual(b.input.unrecognised?.map((u) => u.files.map((f) => f.slice(dir.length + 1))), [['offense_types.csv']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
