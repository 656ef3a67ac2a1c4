/**
 * Hostile CSV structure: duplicate QRadar header fields (F6), stray quotes that join lines (F1: connection CSVs,
 * F4: case files). Each test asserts the records read and the problems named.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseMappingSpec, readGenericFile } from '../../src/core/parse/conn-csv';
import { sniffInput } from '../../src/core/parse/zeek';
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

describe('connection CSV: stray quotes never hide records (F1)', () => {
  const mapping = parseMappingSpec('ts=ts,src=src,dst=dst,dport=dport,bytes=bytes');
  const stray = (ts: number) => `${ts},"10.0.0.9,8.8.8.8,443,1`;
  const clean = (ts: number) => `${ts},10.0.0.5,203.0.113.7,443,512`;
  async function read(text: string): Promise<{ res: Awaited<ReturnType<typeof readGenericFile>>; got: [number, string][] }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-hostile-'));
    try {
      const file = path.join(dir, 'conn.csv');
      fs.writeFileSync(file, text);
      const got: [number, string][] = [];
      const res = await readGenericFile(await sniffInput(file), mapping, (r, line) => got.push([line, r.src]));
      return { res, got };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  it('51 stray quotes (the old re-read limit was 50): the 1,010 beacon records are all read, each stray line named', async () => {
    const lines = ['ts,src,dst,dport,bytes'];
    for (let i = 0; i < 50; i++) lines.push(stray(1713484800 + i));
    for (let i = 0; i < 1000; i++) lines.push(clean(1713484800 + 60 * i));
    lines.push(stray(1713544800));
    for (let i = 0; i < 10; i++) lines.push(clean(1713544860 + 60 * i));
    const { res, got } = await read(lines.join('\n') + '\n');
    assert.equal(res.records, 1010);
    assert.equal(got.length, 1010);
    assert.deepEqual(got[0], [52, '10.0.0.5']);
    assert.deepEqual(got.at(-1), [1062, '10.0.0.5']);
    assert.equal(res.unparsedLines, 51);
    const notes = res.errors.filter((e) => e.message.startsWith('unclosed quote'));
    assert.deepEqual(notes.map((e) => e.line), [...Array.from({ length: 50 }, (_, i) => i + 2), 1052]);
    // line 2's quote ends at line 3's: the joined record's source is `"10.0.0.9,…`
    assert.match(notes[0].message, /\(the quote closes on line 3: lines 2–3 would be one record, and that record is not a usable connection\)$/);
    // the last stray quote never closes
    assert.equal(notes[50].message, 'unclosed quote: this record is kept with its quotes read as text, and the lines after it are read on their own');
    assert.ok(!res.errors.some((e) => /not read/.test(e.message)), JSON.stringify(res.errors.filter((e) => /not read/.test(e.message))));
  });
  it('200,000 lines with a stray quote every 2,000 lines: every clean record read, in linear time; notes past the list limit counted', async () => {
    const lines = ['ts,src,dst,dport,bytes'];
    let strays = 0;
    for (let i = 0; i < 200_000; i++) {
      if (i % 2000 === 1999) {
        lines.push(stray(1713484800 + i));
        strays++;
      } else lines.push(clean(1713484800 + i));
    }
    const t0 = process.cpuUsage();
    const { res } = await read(lines.join('\n'));
    const cpu = process.cpuUsage(t0);
    assert.equal(res.records, 200_000 - strays);
    assert.equal(res.unparsedLines, strays);
    assert.ok((cpu.user + cpu.system) / 1000 < 10_000, `${(cpu.user + cpu.system) / 1000} ms`);
  });
  it('more unclosed quotes than the list holds: the rest are counted in one problem', async () => {
    const lines = ['ts,src,dst,dport,bytes'];
    for (let i = 0; i < 1200; i++) lines.push(clean(1713484800 + i), `${1713484800 + i},10.0.0.6,8.8.8.8,443,1,"x`);
    const { res } = await read(lines.join('\n') + '\n');
    assert.equal(res.records, 2400); // the kept lines are usable records (the stray quote is in an extra column)
    assert.equal(res.errors.length, 1001);
    assert.deepEqual(res.errors.at(-1), { file: res.file, line: 0, message: '200 more unclosed quotes not listed (each kept its line with the quotes read as text; the lines after it were read)' });
  });
});
