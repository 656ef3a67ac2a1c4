/**
 * A new user's trial of `kpi <folder>`: a folder of the 10 sample cases (test/fixtures/cases/kpi-small.csv) and
 * another tool's export of 10 tickets, the same cases with renamed headers (`Ticket Ref`, `Headline`, `Raised At`) and
 * ids (T-1…). A `--map` written in lower case (`ticket ref=id`) or naming a column no file has (`Ticket=id`) left the
 * tickets skipped with the same note as without it, said nothing on stderr, and the skip note showed 5 columns only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { main } from '../../src/cli/cli';
import { runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { closestColumns, guessMapping, mappedColumn } from '../../src/core/parse/cases';
import { capture } from './cli-capture';

const ROOT = resolve(__dirname, '../../..');
const SMALL = join(ROOT, 'test/fixtures/cases/kpi-small.csv'); // 10 cases: Case ID,Title,Created,Acknowledged,Closed,…
const AS_OF = Date.UTC(2026, 2, 10, 12);
const ARGS = ['--seed-rules', '--as-of', '2026-03-10T12:00:00Z'];
const HINT = 'in VS Code: the mapping prompt of Analyze Cases on the files or folder, or socAnalytics.kpi.columnMapping)';
const ALL_COLUMNS = 'Ticket Ref, Headline, Raised At, Acknowledged, Closed, Owner, Severity, Status, Disposition, Rule';

function folder(): { dir: string; tickets: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-kf-'));
  cpSync(SMALL, join(dir, 'cases.csv'));
  const tickets = join(dir, 'othertool_tickets.csv');
  writeFileSync(
    tickets,
    readFileSync(SMALL, 'utf8')
      .replace(/^Case ID,Title,Created,/, 'Ticket Ref,Headline,Raised At,')
      .replace(/^C-/gm, 'T-'),
  );
  return { dir, tickets };
}

test('kpi <folder> --map in lower case: the columns are matched ignoring case and spaces, the tickets are read (20 cases; they were skipped: 10)', async () => {
  const { dir } = folder();
  try {
    const a = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: { id: 'ticket ref', title: ' headline', created: 'raised at' } });
    assert.equal(a.input.cases.length, 20, JSON.stringify(a.input.skipped));
    assert.deepEqual(a.input.skipped, []);
    const t1 = a.input.cases.find((c) => c.id === 'T-1')!;
    assert.equal(t1.title, 'Multiple login failures for admin');
    assert.equal(t1.created, Date.UTC(2026, 2, 2, 8));
    assert.equal(a.input.cases.find((c) => c.id === 'C-1')!.title, 'Multiple login failures for admin');
    const c = capture();
    assert.equal(await main(['kpi', dir, ...ARGS, '--map', 'ticket ref=id,headline=title,raised at=created'], c.io), 0, c.err());
    assert.match(c.out(), /^20 cases \(case export, columns mapped by the generic case reader\)/);
    assert.equal(c.err(), '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi <folder> without --map: the skipped tickets are named with all their columns and a --map guessed from them; one warning on stderr', async () => {
  const { dir } = folder();
  try {
    const a = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 10);
    assert.equal(
      a.input.notes[1],
      `othertool_tickets.csv not read: columns not recognised as a case export (no column for the created time or title or id): ${ALL_COLUMNS} — to read it, map the columns, e.g. kpi --map "Raised At=created,Headline=title,Ticket Ref=id" (guessed from the headers: check it; ${HINT}`,
    );
    const c = capture();
    assert.equal(await main(['kpi', dir, ...ARGS], c.io), 0);
    assert.match(c.out(), /^10 cases \(case export, columns mapped by the generic case reader\)/);
    assert.equal(
      c.err(),
      'soc-analytics: kpi: warning: 1 file skipped, columns not recognised as a case export (othertool_tickets.csv): to read it, map its columns, e.g. --map "Raised At=created,Headline=title,Ticket Ref=id" (see Notes)\n',
    );
    // the example given reads them
    const c2 = capture();
    assert.equal(await main(['kpi', dir, ...ARGS, '--map', 'Raised At=created,Headline=title,Ticket Ref=id'], c2.io), 0);
    assert.match(c2.out(), /^20 cases \(case export, columns mapped by the generic case reader\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi <folder> --map naming a column no file has: a note and stderr name the closest headers; the example keeps the mapped column it has', async () => {
  const { dir } = folder();
  try {
    const a = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: { id: 'Ticket', title: 'Headline', created: 'raised' } });
    assert.equal(a.input.cases.length, 10);
    const unmatched = [
      'the mapped column "Ticket" (id) is in no file of the folder (column names are matched exactly, else ignoring case and surrounding spaces when that names one column); closest header: "Ticket Ref" (othertool_tickets.csv)',
      'the mapped column "raised" (created) is in no file of the folder (column names are matched exactly, else ignoring case and surrounding spaces when that names one column); closest header: "Raised At" (othertool_tickets.csv)',
    ];
    assert.deepEqual(a.input.notes.slice(0, 2), unmatched);
    assert.equal(
      a.input.notes[3],
      `othertool_tickets.csv not read: columns not recognised as a case export (no column for the created time): ${ALL_COLUMNS} — to read it, map the columns, e.g. kpi --map "Raised At=created,Headline=title" (guessed from the headers: check it; ${HINT}`,
    );
    const c = capture();
    assert.equal(await main(['kpi', dir, ...ARGS, '--map', 'Ticket=id,Headline=title,raised=created'], c.io), 0);
    assert.match(c.out(), /^10 cases \(case export, columns mapped by the generic case reader\)/);
    assert.equal(
      c.err(),
      unmatched.map((u) => `soc-analytics: kpi: --map: ${u}\n`).join('') +
        'soc-analytics: kpi: warning: 1 file skipped, columns not recognised as a case export (othertool_tickets.csv): to read it, map its columns, e.g. --map "Raised At=created,Headline=title" (see Notes)\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi <file> --map: a column in another case is read; one not in the file names the closest header', async () => {
  const { dir, tickets } = folder();
  try {
    const a = await runKpiAnalysis([tickets], { asOf: AS_OF, mapping: { id: 'TICKET REF', title: 'headline', created: 'raised at' } });
    assert.equal(a.input.cases.length, 10);
    assert.deepEqual(a.input.missing, []);
    assert.deepEqual(a.input.mapping, { id: 'Ticket Ref', title: 'Headline', created: 'Raised At', acknowledged: 'Acknowledged', closed: 'Closed', analyst: 'Owner', severity: 'Severity', status: 'Status', disposition: 'Disposition', rule: 'Rule' });
    assert.equal(a.input.cases[0].created, Date.UTC(2026, 2, 2, 8));
    const b = await runKpiAnalysis([tickets], { asOf: AS_OF, mapping: { id: 'Ticket', title: 'Headline', created: 'Raised At' } });
    assert.ok(b.input.notes.includes('column "Ticket" mapped to id is not in the input (column names are matched exactly, else ignoring case and surrounding spaces when that names one column; closest column: "Ticket Ref")'), b.input.notes.join('\n'));
    assert.equal(b.input.cases[0].id, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('kpi <folder> --map: an exact column name wins over one differing only in case; a folder whose files have the mapped columns gets no note', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-kf-exact-'));
  try {
    // two columns differing only in case: "ref" picks neither (ambiguous), "REF" the exact one
    writeFileSync(join(dir, 't.csv'), 'ref,REF,Headline,Raised At\nr-1,R-1,One,2026-03-02T08:00:00Z\nr-2,R-2,Two,2026-03-03T08:00:00Z\n');
    const a = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: { id: 'REF', title: 'headline', created: 'raised at' } });
    assert.deepEqual(a.input.cases.map((c) => c.id), ['R-1', 'R-2']);
    assert.equal(a.input.notes.filter((n) => n.includes('mapped column')).length, 0, a.input.notes.join('\n'));
    const b = await runKpiAnalysis([dir], { asOf: AS_OF, mapping: { id: 'Ref', title: 'headline', created: 'raised at' } });
    assert.deepEqual(b.input.cases.map((c) => c.id), [undefined, undefined]);
    assert.equal(b.input.notes[0], 'the mapped column "Ref" (id) is in no file of the folder (column names are matched exactly, else ignoring case and surrounding spaces when that names one column); closest headers: "ref" (t.csv), "REF" (t.csv)');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('mappedColumn, closestColumns, guessMapping', () => {
  assert.equal(mappedColumn(['Ticket Ref', 'Headline'], ' ticket ref '), 'Ticket Ref');
  assert.equal(mappedColumn(['id', 'ID'], 'ID'), 'ID');
  assert.equal(mappedColumn(['id', 'ID'], 'Id'), undefined);
  assert.deepEqual(closestColumns('Ticket', ['Ticket Ref', 'Headline', 'Raised At']), ['Ticket Ref']);
  assert.deepEqual(closestColumns('TicketRef', ['Headline', 'Ticket Ref']), ['Ticket Ref']);
  assert.deepEqual(closestColumns('Headlne', ['Ticket Ref', 'Headline']), ['Headline']);
  assert.deepEqual(closestColumns('Severity', ['Ticket Ref', 'Headline']), []);
  assert.deepEqual(guessMapping(['Ticket Ref', 'Headline', 'RaisedAt'], ['created', 'title', 'id']), { created: 'RaisedAt', title: 'Headline', id: 'Ticket Ref' });
  assert.deepEqual(guessMapping(['Source IP', 'Bytes'], ['title', 'id']), {});
});

test('kpi <folder>: a table skipped for its columns with no plausible guess names the fields to map to', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-kf-flows-'));
  try {
    cpSync(SMALL, join(dir, 'cases.csv'));
    writeFileSync(join(dir, 'flows.csv'), 'Start Time,Source IP,Destination IP,Bytes\n2026-03-02T08:00:00Z,10.0.0.1,10.0.0.2,100\n');
    const a = await runKpiAnalysis([dir], { asOf: AS_OF });
    assert.equal(a.input.cases.length, 10);
    assert.equal(
      a.input.notes[1],
      `flows.csv not read: columns not recognised as a case export (no column for the title or id): Start Time, Source IP, Destination IP, Bytes — to read it, map a column to title or id (kpi --map "column=field,…"; fields: id, title, created, acknowledged, closed, analyst, severity, status, disposition, rule; ${HINT}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
