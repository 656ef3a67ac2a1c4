/**
 * Hostile CSV structure: duplicate QRadar header fields (F6), stray quotes that join lines (F1: connection CSVs,
 * F4: case files). Each test asserts the records read and the problems named.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { parseCsvText } from '../../src/core/parse/cases-input';
import { CsvSplitter, MAX_CSV_RECORD_LINES } from '../../src/core/parse/csv-lines';

describe('QRadar CSV: a field named by two columns (F6)', () => {
  const row = (name: string, t: string, decoy: string, decoyT: string) => `"${name}","fw-01","3","${t}","${decoy}","${decoyT}"`;
  it('reads the first Event Name / Start Time column and names the later ones', () => {
    const text = ['Event Name,Log Source,Event Count,Start Time,Event Name,Start Time', row('Session Closed', 'Mar 3, 2026, 2:20:05 PM', '=evil()', 'Jan 1, 1970, 1:00:00 AM')].join('\n');
    const r = parseQRadarCsvText(text, 'dup.csv', 'UTC');
    assert.equal(r.events.length, 1);
    assert.equal(r.events[0].eventName, 'Session Closed');
    assert.equal(r.events[0].startTime, Date.UTC(2026, 2, 3, 14, 20, 5));
    assert.equal(r.events[0].fields.col_5, '=evil()');
    const w = r.errors.filter((e) => e.line === 1);
    assert.equal(w.length, 1);
    assert.match(w[0].message, /column 5 "Event Name" is the same field as column 1 "Event Name" \(kept only as col_5\)/);
    assert.match(w[0].message, /column 6 "Start Time" is the same field as column 4 "Start Time"/);
  });
  it('two spellings of one field (QID Name, Event Name): the first wins, the other is named', () => {
    const text = ['QID Name,Log Source,Event Count,Start Time,Event Name', '"Real name","fw-01","2","Mar 3, 2026, 2:20:05 PM","Decoy"'].join('\n');
    const r = parseQRadarCsvText(text, 'spell.csv', 'UTC');
    assert.equal(r.events[0].eventName, 'Real name');
    assert.equal(r.events[0].fields['Event Name'], 'Decoy');
    assert.match(r.errors[0].message, /column 5 "Event Name" is the same field as column 1 "QID Name" \(kept only as Event Name\)/);
  });
});

describe('case CSV: a stray quote that closes many lines later (F4)', () => {
  const hdr = 'Case ID,Title,Created,Owner,Severity';
  const row = (i: number, title = `Malware ${i}`) => `C-${i},${title},2026-03-02T09:00:00Z,bob,High`;
  it('reads the rows the quoted field would swallow, and names its lines', () => {
    // case 0's title opens a quote that only the title of case 30 closes: one record of the right width
    const lines = [hdr, 'C-0,"Phish from attacker,2026-03-02T08:00:00Z,alice,High'];
    for (let i = 1; i < 30; i++) lines.push(row(i));
    lines.push('C-30,Last x",2026-03-02T09:00:00Z,bob,High', row(31), row(32));
    const t = parseCsvText(lines.join('\n') + '\n', 'swallow.csv');
    assert.equal(t.rows.length, 33);
    assert.deepEqual(t.rows.slice(0, 3).map((r) => [r.line, r.cells![0], r.cells![1]]), [[2, 'C-0', '"Phish from attacker'], [3, 'C-1', 'Malware 1'], [4, 'C-2', 'Malware 2']]);
    assert.deepEqual([t.rows[30].line, t.rows[30].cells![1]], [32, 'Last x"']);
    assert.deepEqual(t.errors.map((e) => [e.line, e.message]), [
      [2, "unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own (the quote closes on line 32: lines 2–32 would be one record, and line 3 inside its quoted field reads as a record of the header's 5 columns)"],
    ]);
  });
  it('keeps a realistic multi-line description (commas, a numbered list, a blank line) as one field', () => {
    const desc = 'User reported a phishing e-mail.\nSteps taken:\n1. Blocked sender, purged 14 mailboxes\n\n2. Reset password, notified user at 2026-03-02 10:15\nVerdict: true positive, closed';
    const text = `${hdr},Description\nC-1,Phishing,2026-03-02T08:00:00Z,alice,High,"${desc}"\n${row(2)},"one line"\n`;
    const t = parseCsvText(text, 'multi.csv');
    assert.deepEqual(t.rows.map((r) => [r.line, r.values['Case ID'], r.values.Description]), [[7, 'C-1', desc], [8, 'C-2', 'one line']]);
    assert.deepEqual(t.errors, []);
  });
  it('a quoted field over more lines than the limit is read as an unclosed quote, the limit named', () => {
    const lines = [hdr, 'C-0,"Long note'];
    for (let i = 0; i < MAX_CSV_RECORD_LINES + 5; i++) lines.push(`note line ${i}`);
    lines.push('end",2026-03-02T08:00:00Z,alice,High', row(1));
    const t = parseCsvText(lines.join('\n'), 'long.csv');
    assert.equal(t.errors[0].line, 2);
    assert.match(t.errors[0].message, new RegExp(`ran past ${MAX_CSV_RECORD_LINES} lines, the limit for one record`));
    assert.equal(t.rows.at(-1)!.values['Case ID'], 'C-1');
    assert.equal(t.rows.at(-1)!.line, MAX_CSV_RECORD_LINES + 9);
  });
});

describe('CsvSplitter: linear in the input', () => {
  it('a stray quote on every 20th line of 200,000 lines: every line read once more at most', () => {
    const recs: number[] = [];
    const kept: number[] = [];
    const s = new CsvSplitter(',', (_c, _f, last) => recs.push(last), (line) => kept.push(line), () => 'joined');
    const t0 = process.cpuUsage();
    for (let n = 1; n <= 200_000; n++) s.push(n % 20 === 0 ? `${n},"stray,x` : `${n},a,b`, '\n', n);
    s.end();
    const ms = (process.cpuUsage(t0).user + process.cpuUsage(t0).system) / 1000;
    assert.equal(recs.length + kept.length, 200_000);
    assert.equal(kept.length, 10_000);
    assert.ok(ms < 3000, `${ms} ms`);
  });
});
