/**
 * Line numbers of CSV records as an editor counts them (src/core/parse/csv-lines.ts): csv-parse counts a CRLF inside a
 * quoted field as two lines; the cases reader (parseCsvText) and the generic connection reader (readGenericFile)
 * report the line each record ends on.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify } from 'csv-stringify/sync';
import { parseCsvText } from '../../src/core/parse/cases-input';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { MAX_CSV_RECORD_CHARS, readGenericFile, parseMappingSpec } from '../../src/core/parse/conn-csv';
import { gzipSync } from 'node:zlib';
import { sniffInput } from '../../src/core/parse/zeek';

/** Line (1-based) on which the text up to `end` ends: one line per CRLF, LF or lone CR before it. */
function lineAt(text: string, end: number): number {
  const m = text.slice(0, end).match(/\r\n|\n|\r/g);
  return (m ? m.length : 0) + 1;
}

/** Runs `fn` with a fresh temporary folder, removed afterwards. */
async function inTmpDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csv-lines-'));
  try {
    await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('CSV line numbers (quoted CRLF counted once)', () => {
  it('cases: every record reports the line it ends on, whatever line ends its quoted fields hold', () => {
    const cell = fc.stringMatching(/^[a-z\r\n ,"]{0,8}$/);
    const eol = fc.constantFrom('\n', '\r\n');
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 12 }), eol, (rows, nl) => {
        // each record starts with a marker cell, so its end is where the next marker (or the text) ends
        const recs = rows.map(([a, b], i) => stringify([[`r${i}`, a, b]], { quoted: true, record_delimiter: nl }));
        const text = stringify([['id', 'a', 'b']], { record_delimiter: nl }) + recs.join('');
        const table = parseCsvText(text, 'c.csv');
        assert.equal(table.rows.length, rows.length);
        let end = text.indexOf(recs[0]);
        table.rows.forEach((r, i) => {
          end += recs[i].length;
          assert.equal(r.line, lineAt(text, end - nl.length), `record ${i} in ${JSON.stringify(text)}`);
        });
      }),
      { seed: 3, numRuns: 400 },
    );
  });

  it('cases: a record after two quoted CRLFs and an unreadable one is on its own line', () => {
    const text = 'id,a\r\n1,"x\r\ny"\r\n2,"p\r\nq"\r\n3,z,extra\r\n';
    const t = parseCsvText(text, 'c.csv');
    assert.deepEqual(t.rows.map((r) => r.line), [3, 5, 6]);
    assert.deepEqual(t.errors.map((e) => e.line), [6]);
  });

  it('cases: a stray quote keeps that record as text and every record after it (they were all lost)', () => {
    const t = parseCsvText('id,a\n1,"bad"x\n2,ab"c\n3,ok\n', 'c.csv');
    assert.deepEqual(t.rows.map((r) => [r.cells, r.line]), [[['1', '"bad"x'], 2], [['2', 'ab"c'], 3], [['3', 'ok'], 4]]);
    assert.deepEqual(t.errors, []);
  });

  it('cases: an unclosed quote keeps that record (quotes as text) and every record after it (they were all lost)', () => {
    // (a later quote would close it: an unclosed quote is the last quote of the file)
    const t = parseCsvText('id,title,created\r\n1,"multi\r\nline",2024-01-01\r\n\r\n2,"unclosed title,2024-01-02\r\n3,c,2024-01-03\n\n4,d,x\r5,e,y', 'c.csv');
    assert.deepEqual(t.header, ['id', 'title', 'created']);
    assert.deepEqual(
      t.rows.map((r) => [r.cells, r.line]),
      [
        [['1', 'multi\r\nline', '2024-01-01'], 3],
        [['2', '"unclosed title', '2024-01-02'], 5],
        [['3', 'c', '2024-01-03'], 6],
        [['4', 'd', 'x'], 8],
        [['5', 'e', 'y'], 9],
      ],
    );
    assert.deepEqual(t.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[5, 'unclosed quote']]);
    // In the header line too, and at the very end.
    const h = parseCsvText('"id,title\n1,a\n2,b', 'h.csv');
    assert.deepEqual(h.header, ['"id', 'title']);
    assert.deepEqual(h.rows.map((r) => [r.cells, r.line]), [[['1', 'a'], 2], [['2', 'b'], 3]]);
    assert.deepEqual(h.errors.map((e) => e.line), [1]);
    const z = parseCsvText('id,title\n1,a\n2,"b\n', 'z.csv');
    assert.deepEqual(z.rows.map((r) => [r.cells, r.line]), [[['1', 'a'], 2], [['2', '"b'], 3]]);
    assert.deepEqual(z.errors.map((e) => e.line), [3]);
  });

  it('QRadar CSV: an unclosed quote keeps that event and every event after it; lines count a quoted CRLF once', () => {
    const r = parseQRadarCsvText('Event Name,Username\r\na,"multi\r\nline"\r\nb,"unclosed\r\nc,d\r\n', 'events.csv', 'UTC');
    assert.deepEqual(r.events.map((e) => [e.fields['Event Name'], e.fields.Username]), [['a', 'multi\r\nline'], ['b', '"unclosed'], ['c', 'd']]);
    assert.deepEqual(r.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[4, 'unclosed quote']]);
  });

  it('connections: an unclosed quote keeps that record (quotes as text) and every record after it, plain and gzip (they were all lost)', async () => {
    await inTmpDir(async (dir) => {
      const text =
        'ts,src,dst,note\r\n' +
        '1713484800,10.0.0.1,8.8.8.8,"multi\r\nline"\r\n' + // lines 2-3
        '1713484801,10.0.0.2,8.8.8.8,"unclosed note\r\n' + // line 4
        '1713484802,10.0.0.3,8.8.8.8,x\r\n\r\n' + // 5, empty 6
        '1713484803,10.0.0.4,8.8.8.8,y\n' + // 7
        '1713484804,10.0.0.5,8.8.8.8,z\r' + // 8
        '1713484805,10.0.0.6,8.8.8.8,again\r\n' + // 9 (a later quote would close the unclosed one: it is the last quote of the file)
        '1713484806,10.0.0.7,8.8.8.8,w'; // 10, no line end
      const want = [[3, '10.0.0.1'], [4, '10.0.0.2'], [5, '10.0.0.3'], [7, '10.0.0.4'], [8, '10.0.0.5'], [9, '10.0.0.6'], [10, '10.0.0.7']];
      for (const gz of [false, true]) {
        const file = path.join(dir, gz ? 'conn.csv.gz' : 'conn.csv');
        fs.writeFileSync(file, gz ? gzipSync(text) : text);
        const info = await sniffInput(file);
        const got: [number, string][] = [];
        const res = await readGenericFile(info, parseMappingSpec('ts=ts,src=src,dst=dst'), (r, line) => got.push([line, r.src]));
        assert.deepEqual(got, want, String(gz));
        assert.deepEqual(res.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[4, 'unclosed quote']], String(gz));
        assert.equal(res.records, 7);
        assert.equal(res.unparsedLines, 0);
        assert.equal(res.lines, 10);
      }
      // in the header; on the last line
      const f2 = path.join(dir, 'header.csv');
      fs.writeFileSync(f2, 'ts,src,"dst\n1713484800,10.0.0.1,8.8.8.8\n');
      const got2: [number, string][] = [];
      const r2 = await readGenericFile(await sniffInput(f2), parseMappingSpec('ts=ts,src=src,dst="dst'), (r, line) => got2.push([line, r.dst]));
      assert.deepEqual(got2, [[2, '8.8.8.8']]);
      assert.deepEqual(r2.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[1, 'unclosed quote']]);
      const f4 = path.join(dir, 'last.csv');
      fs.writeFileSync(f4, 'ts,src,dst\n1713484800,10.0.0.1,8.8.8.8\n1713484801,10.0.0.2,"9.9.9.9');
      const got4: [number, string][] = [];
      const r4 = await readGenericFile(await sniffInput(f4), parseMappingSpec('ts=ts,src=src,dst=dst'), (r, line) => got4.push([line, r.dst]));
      assert.deepEqual(got4, [[2, '8.8.8.8']]);
      assert.deepEqual(r4.errors.map((e) => e.line), [3, 3]); // kept as text, then its destination '"9.9.9.9' is not an address
      assert.equal(r4.errors[0].message.slice(0, 14), 'unclosed quote');
      assert.equal(r4.unparsedLines, 1);
      // an unclosed quote followed by more than MAX_CSV_RECORD_CHARS: csv-parse stops at that size
      // (it would otherwise hold the rest of the file as one field), and the lines after it are read
      const f3 = path.join(dir, 'big.csv');
      const row = '1713484801,10.0.0.2,9.9.9.9\n';
      const n = Math.ceil((MAX_CSV_RECORD_CHARS + 1000) / row.length);
      fs.writeFileSync(f3, 'ts,src,dst\n1713484800,10.0.0.1,"8.8.8.8\n' + row.repeat(n));
      let count = 0;
      let last = 0;
      const r3 = await readGenericFile(await sniffInput(f3), parseMappingSpec('ts=ts,src=src,dst=dst'), (_r, line) => {
        count++;
        last = line;
      });
      assert.equal(count, n);
      assert.equal(last, n + 2);
      assert.deepEqual(r3.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[2, 'unclosed quote'], [2, 'missing or inv']]);
    });
  });

  it('connections: two stray quotes lines apart keep every record between them (they were joined into one unreadable record and lost)', async () => {
    await inTmpDir(async (dir) => {
      // a stray quote opens a field on line 3 and another one closes it on line 7: csv-parse joins lines 3-7 into
      // one record, which was reported once (line 7) while the good records on lines 4-6 were lost
      const text =
        'ts,src,dst,note\n' +
        '1713484800,10.0.0.1,8.8.8.8,a\n' + // 2
        '"1713484801,10.0.0.2,8.8.8.8,b\n' + // 3 stray quote
        '1713484802,10.0.0.3,8.8.8.8,c\n' + // 4
        '1713484803,10.0.0.4,8.8.8.8,d\n' + // 5
        '1713484804,10.0.0.5,8.8.8.8,e\n' + // 6
        '1713484805,"10.0.0.6,8.8.8.8,f\n' + // 7 stray quote
        '1713484806,10.0.0.7,8.8.8.8,"quoted\nnote"\n' + // 8-9: a usable record over two lines stays one record
        '1713484808,10.0.0.8,8.8.8.8,h\n'; // 10
      for (const gz of [false, true]) {
        const file = path.join(dir, gz ? 'stray.csv.gz' : 'stray.csv');
        fs.writeFileSync(file, gz ? gzipSync(text) : text);
        const got: [number, string][] = [];
        const res = await readGenericFile(await sniffInput(file), parseMappingSpec('ts=ts,src=src,dst=dst'), (r, line) => got.push([line, r.src]));
        assert.deepEqual(got, [[2, '10.0.0.1'], [4, '10.0.0.3'], [5, '10.0.0.4'], [6, '10.0.0.5'], [9, '10.0.0.7'], [10, '10.0.0.8']], String(gz));
        assert.deepEqual(
          res.errors.map((e) => [e.line, e.message.slice(0, 22)]),
          [[3, 'unclosed quote: this r'], [3, 'unreadable timestamp i'], [7, 'unclosed quote: this r'], [7, 'missing or invalid sou']],
          String(gz),
        );
        assert.equal(res.records, 6);
        assert.equal(res.unparsedLines, 2);
        assert.equal(res.lines, 10);
      }
    });
  });

  it('connections: every record reports the line it ends on (quoted line ends, empty and blank lines, mixed line ends, BOM)', async () => {
    await inTmpDir(async (dir) => {
      const note = fc.oneof(
        fc.constantFrom('x', '', ' ', 'a b'),
        fc.array(fc.constantFrom('a', '\r\n', '\n', '\r', '""', ',', ' '), { maxLength: 6 }).map((a) => `"${a.join('')}"`),
      );
      const eol = fc.constantFrom('\r\n', '\n', '\r');
      const item = fc.oneof(
        { weight: 5, arbitrary: fc.tuple(note, eol).map(([n, e]) => ({ row: true, text: n, eol: e })) },
        { weight: 1, arbitrary: eol.map((e) => ({ row: false, text: '', eol: e })) },
      );
      let file = 0;
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.array(item, { maxLength: 25 }), fc.boolean(), async (bom, items, lastEol) => {
          // expected: the line each row ends on, counted as an editor does (CRLF, LF, lone CR)
          let text = 'ts,src,dst,note\r\n';
          let line = 1;
          const want: [number, string][] = [];
          items.forEach((it, i) => {
            const end = i === items.length - 1 && !lastEol ? '' : it.eol;
            if (!it.row) {
              // an empty line must not glue a lone CR to the next LF
              if (text.endsWith('\r') && end.startsWith('\n')) return;
              text += end;
              line++;
              return;
            }
            if (text.endsWith('\r') && end === '' && it.text === '') return;
            const src = `10.0.${i}.1`;
            const row = `1713484800,${src},8.8.8.8,${it.text}`;
            text += row + end;
            line += 1 + (it.text.match(/\r\n|\r|\n/g)?.length ?? 0);
            want.push([line, src]);
          });
          const f = path.join(dir, `p${file++}.csv`);
          fs.writeFileSync(f, (bom ? '\ufeff' : '') + text);
          const got: [number, string][] = [];
          const res = await readGenericFile(await sniffInput(f), parseMappingSpec('ts=ts,src=src,dst=dst'), (r, l) => got.push([l, r.src]));
          assert.deepEqual(got, want, JSON.stringify(text));
          // a header and no rows is said (beacon-map-missing.test.ts), else nothing
          assert.deepEqual(res.errors.map((e) => e.message), got.length ? [] : [`no connections in ${path.basename(f)} (it has a header and no rows)`]);
        }),
        { seed: 11, numRuns: 300 },
      );
    });
  });

  it('connections: cancelling before a file is read again (after an unclosed quote) rejects, also when nothing follows that line', async () => {
    await inTmpDir(async (dir) => {
      const f = path.join(dir, 'c.csv');
      fs.writeFileSync(f, 'ts,src,dst\n1713484800,10.0.0.1,8.8.8.8\n1713484801,10.0.0.2,"9.9.9.9\n');
      const ac = new AbortController();
      const got: number[] = [];
      await assert.rejects(
        readGenericFile(await sniffInput(f), parseMappingSpec('ts=ts,src=src,dst=dst'), (_r, line) => {
          got.push(line);
          ac.abort(); // after the first record; the unclosed quote then needs a second reading
        }, { signal: ac.signal }),
        (e: Error) => e.name === 'AbortError',
      );
      assert.deepEqual(got, [2]);
    });
  });

  it('connections: errors and records after a quoted CRLF name the right line (was one too far)', async () => {
    await inTmpDir(async (dir) => {
      const file = path.join(dir, 'conn.csv');
      fs.writeFileSync(file, 'ts,src,dst,note\r\n1713484800,10.0.0.1,8.8.8.8,"multi\r\nline"\r\nbad,10.0.0.1,8.8.8.8,x\r\n1713484801,10.0.0.1,8.8.8.8,"a\r\nb\r\nc"\r\n1713484802,10.0.0.2,8.8.8.8,y\r\n');
      const info = await sniffInput(file);
      const lines: number[] = [];
      const res = await readGenericFile(info, parseMappingSpec('ts=ts,src=src,dst=dst'), (_r, line) => lines.push(line));
      assert.deepEqual(lines, [3, 7, 8]);
      assert.deepEqual(res.errors.map((e) => e.line), [4]);
      assert.equal(res.lines, 8);
    });
  });

  it('connections: a kept line whose CRLF is split between two reads does not shift the later line numbers', async () => {
    await inTmpDir(async (dir) => {
      // the kept (unclosed-quote) line ends with its CR as the last byte of the first 1 MiB read
      const head = 'ts,src,dst,note\r\n1713484800,10.0.0.1,8.8.8.8,x\r\n'; // lines 1-2
      const start = '1713484801,10.0.0.2,8.8.8.8,"unclosed ';
      const pad = (1 << 20) - 1 - head.length - start.length;
      const text = head + start + 'p'.repeat(pad) + '\r\n' + // line 3, CR at byte 2^20 - 1
        '1713484802,10.0.0.3,8.8.8.8,y\r\n' + // 4
        '1713484803,10.0.0.4,8.8.8.8,z\r\n'; // 5
      assert.equal(Buffer.byteLength(head + start) + pad, (1 << 20) - 1);
      for (const gz of [false, true]) {
        const file = path.join(dir, gz ? 'split.csv.gz' : 'split.csv');
        fs.writeFileSync(file, gz ? gzipSync(text) : text);
        const got: [number, string][] = [];
        const res = await readGenericFile(await sniffInput(file), parseMappingSpec('ts=ts,src=src,dst=dst'), (r, line) => got.push([line, r.src]));
        assert.deepEqual(got, [[2, '10.0.0.1'], [3, '10.0.0.2'], [4, '10.0.0.3'], [5, '10.0.0.4']], String(gz));
        assert.deepEqual(res.errors.map((e) => [e.line, e.message.slice(0, 14)]), [[3, 'unclosed quote']]);
        assert.equal(res.lines, 5);
      }
    });
  });

  it('connections: a header kept as text (unclosed quote) that lacks a mapped column stops the file like any header (the next record was read and counted as unreadable)', async () => {
    await inTmpDir(async (dir) => {
      const file = path.join(dir, 'hdr.csv');
      fs.writeFileSync(file, 'ts,src,"dst\n1713484800,10.0.0.1,8.8.8.8\n1713484801,10.0.0.2,8.8.8.8\n');
      const got: number[] = [];
      const res = await readGenericFile(await sniffInput(file), parseMappingSpec('ts=ts,src=src,dst=dst'), (_r, line) => got.push(line));
      assert.deepEqual(got, []);
      assert.deepEqual(res.errors.map((e) => [e.line, e.message.slice(0, 19)]), [[1, 'unclosed quote: thi'], [0, 'mapped column "dst"'], [0, 'no connection read:']]);
      assert.equal(res.records, 0);
      assert.equal(res.unparsedLines, 0);
    });
  });
});
