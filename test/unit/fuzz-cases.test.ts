/**
 * Property tests (fast-check, fixed seed) for the case readers (src/core/parse/cases-input.ts,
 * cases.ts) and the time-zone detectors and normaliser (src/core/tz-normalize.ts, tz-file.ts).
 * Properties: never throws, terminates within a CPU-time bound, every record is accounted for —
 * CSV: rows = data records and every cell round-trips; JSON/NDJSON: rows + reported = records;
 * cases + blank records reported = rows; normaliser: every row is converted, empty or flagged (and flagged rows are errors).
 * Runs: FUZZ_RUNS (default 200; `npm run fuzz` uses 5000), seed FUZZ_SEED (default 42).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { withinCpuMs } from './cpu-cost';
import { stringify } from 'csv-stringify/sync';
import { parseCsvText, parseJsonText, parseNdjsonText, parseTabularText, uniqueColumns } from '../../src/core/parse/cases-input';
import { suggestMapping, tableToCases } from '../../src/core/parse/cases';
import { detectFormat, parseTimestamp, suggestTimeColumns, type TimestampFormat } from '../../src/core/tz-normalize';
import { normalizeTable } from '../../src/core/tz-file';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 200);
const SEED = Number(process.env.FUZZ_SEED) || 42;
/** CPU time bound of one parse of a generated input (ms): a few ms each, so only catastrophic work (exponential
 * backtracking) exceeds it; speed targets live in the benchmark. */
const BOUND_MS = 2000;

/** `fn()` within {@link BOUND_MS} of CPU time (not wall time: a loaded machine does not add to it). */
const timed = <T>(fn: () => T): T => withinCpuMs(BOUND_MS, fn);

/** The records {@link tableToCases} reported as blank (no case): every other row is a case. */
const blankRecords = (errors: readonly { message: string }[]) => errors.filter((e) => e.message === 'empty record (every field blank): not a case, skipped').length;

/** Timestamp-ish text in every layout the detectors know, plus near misses. */
const timeText = fc.oneof(
  fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace('Z', '+05:30'),
      d.toISOString().slice(0, 19).replace('T', ' '),
      String(Math.floor(d.getTime() / 1000)),
      String(d.getTime()),
      `${d.getTime()}000`,
      d.toUTCString(),
      d.toISOString().replace(/[-:]/g, '').slice(0, 15) + 'Z',
    ),
  ),
  fc.constantFrom('Mar 3, 2026, 2:20:05 PM', 'Oct 25 02:30:00', '2026-03-29T02:30:00', '2026-10-25T02:30:00', '24:00', '0000-00-00', '1e999', '-1', 'NaN', ''),
  fc.string({ maxLength: 30 }),
);
const anyCell = fc.oneof(timeText, fc.string({ maxLength: 20 }), fc.constantFrom('"', '""', ',', ';', '\n', '\r\n', '\t', '=1+1', '<b>x</b>', '\uFEFF'));

test('fuzz cases: CSV — rows = data records, every cell round-trips (quotes, delimiters, newlines)', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n"]/.test(s)), { minLength: 1, maxLength: 8 }), fc.array(fc.array(anyCell, { minLength: 1, maxLength: 10 }), { maxLength: 25 }), (header, rawRows) => {
      // a record whose only cell is empty is an empty line (skipped, nothing lost): not generated
      const rows = rawRows.map((r) => r.slice(0, header.length).concat(Array(Math.max(0, header.length - r.length)).fill('x'))).filter((r) => !(r.length === 1 && r[0] === ''));
      const text = stringify([header, ...rows], { record_delimiter: '\r\n', delimiter: ',', quoted: true });
      const t = timed(() => parseCsvText(text, 'cases.csv'));
      assert.equal(t.rows.length, rows.length, `rows ${t.rows.length} ≠ ${rows.length}: ${JSON.stringify(t.errors.slice(0, 2))}`);
      const cols = uniqueColumns(header);
      t.rows.forEach((r, i) => cols.forEach((c, j) => assert.equal(r.values[c], rows[i][j])));
      const cases = timed(() => tableToCases(t, suggestMapping(t.columns), { sourceZone: 'Europe/Berlin', referenceMs: Date.UTC(2026, 0, 1) }));
      // a row of blank fields is no case, reported at its line (hostile review, round 6)
      assert.equal(cases.cases.length + blankRecords(cases.errors), t.rows.length, 'one case per row that is not blank');
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz cases: JSON arrays and NDJSON — rows + reported = records', () => {
  const val = fc.oneof({ weight: 5, arbitrary: fc.dictionary(fc.constantFrom('Title', 'Created', 'Closed', 'Owner', '__proto__', 'constructor', 'x'), fc.oneof(timeText, fc.jsonValue({ maxDepth: 2 }))) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) });
  fc.assert(
    fc.property(fc.array(val, { maxLength: 25 }), fc.boolean(), (items, wrap) => {
      const j = timed(() => parseJsonText(JSON.stringify(wrap ? { cases: [{ Title: 't' }, ...items] } : items), 'cases.json'));
      const n = wrap ? items.length + 1 : items.length;
      assert.equal(j.rows.length + j.errors.length, n);
      const lines = items.map((v) => JSON.stringify(v));
      const nd = timed(() => parseNdjsonText(lines.join('\n'), 'cases.ndjson'));
      assert.equal(nd.rows.length + nd.errors.length, lines.filter((l) => l.trim() !== '').length);
      for (const t of [j, nd]) {
        const c = tableToCases(t, suggestMapping(t.columns));
        assert.equal(c.cases.length + blankRecords(c.errors), t.rows.length);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz cases: arbitrary text as CSV/JSON/NDJSON — never throws, bounded time', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }), fc.constantFrom('"', '"a,b\n', '[', '{', '{"a":[', '\uFEFF\uFEFF', 'a,b\n"x')), (text) => {
      for (const f of ['csv', 'json', 'ndjson'] as const) {
        const t = timed(() => parseTabularText(text, `x.${f}`, f));
        timed(() => tableToCases(t, suggestMapping(t.columns)));
      }
      timed(() => parseTabularText(text, 'sniffed.txt'));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz tz: detectFormat / parseTimestamp / suggestTimeColumns never throw; results are consistent', () => {
  const formats: TimestampFormat[] = ['epoch-s', 'epoch-ms', 'epoch-us', 'epoch-ns', 'iso', 'rfc3164', 'qradar', 'loki', 'custom:yyyy-MM-dd HH:mm', 'custom:[[[', 'custom:'];
  fc.assert(
    fc.property(fc.array(fc.oneof(timeText, fc.jsonValue({ maxDepth: 1 })), { maxLength: 30 }), fc.constantFrom(...formats), fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Not/AZone', ''), (sample, fmt, zone) => {
      const g = timed(() => detectFormat(sample));
      if (g) assert.ok(g.share > 0 && g.share <= 1 && g.naive <= g.sampled, JSON.stringify(g));
      for (const v of sample) {
        const r = timed(() => parseTimestamp(v, fmt, { sourceZone: zone, referenceMs: Date.UTC(2026, 5, 1) }));
        // every value is read (an instant), empty (nothing), or flagged
        if (r.ms !== undefined) assert.ok(Number.isFinite(r.ms), `ms ${r.ms}`);
        if (r.flag === 'unparsed') assert.equal(r.ms, undefined);
      }
      timed(() => suggestTimeColumns(['a', 'b'], sample.map((v) => ({ a: v, b: JSON.stringify(v) }))));
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz tz: normalizeTable — rows = converted + empty + unparsed + nonexistent (+ blank ambiguous); flagged rows are errors', () => {
  fc.assert(
    fc.property(fc.array(timeText, { maxLength: 40 }), fc.constantFrom<TimestampFormat>('iso', 'epoch-s', 'epoch-ms', 'qradar', 'rfc3164', 'loki'), fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York'), (values, format, fromZone) => {
      const table = parseCsvText(stringify([['t'], ...values.map((v) => [v])], { quoted: true }), 'times.csv');
      const r = timed(() => normalizeTable(table, { column: 't', format, fromZone, toZone: 'Asia/Kolkata', ambiguous: 'earlier', referenceMs: Date.UTC(2026, 5, 1) }));
      const s = r.stats;
      assert.equal(s.rows, table.rows.length);
      assert.equal(r.rows.length, table.rows.length);
      assert.equal(s.converted + s.empty + s.unparsed + s.nonexistent, s.rows, JSON.stringify(s));
      assert.equal(r.errors.length, r.rows.filter((x) => x.flag !== '').length);
      for (const x of r.rows) if (x.normalized) assert.match(x.normalized, /^[+-]?\d{4,6}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('regression: a JSON case value whose toString is not a function ({"toString": 0}) keeps the analysis alive', () => {
  // Found by the tz property above: String()/Number() on such an object threw a TypeError and the
  // whole KPI analysis failed ("Cannot convert object to primitive value").
  const t = parseJsonText('[{"Title":"a","Created":"2026-03-02T08:00:00Z"},{"Title":"b","Created":{"toString":0}},{"Title":"c","Created":{"valueOf":{}}}]', 'hostile.json');
  const c = tableToCases(t, suggestMapping(t.columns), { referenceMs: Date.UTC(2026, 5, 1) });
  assert.equal(c.cases.length, 3);
  assert.equal(c.cases[0].created, Date.UTC(2026, 2, 2, 8));
  assert.equal(c.cases[1].created, undefined);
  assert.deepEqual(c.errors.map((e) => [e.line, /unparsed/.test(e.message)]), [[2, true], [3, true]]);
  assert.equal(parseTimestamp({ toString: 0 }, 'iso').flag, 'unparsed');
  assert.equal(detectFormat([{ toString: 0 }, '2026-03-02T08:00:00Z'])?.format, 'iso');
  assert.doesNotThrow(() => suggestTimeColumns(['t'], [{ t: { toString: 0 } }, { t: 1772438635 }, { t: 1772438636 }]));
});

test('regression: a CSV column named __proto__ keeps its values (cases and QRadar event exports)', () => {
  // Found by the CSV property above: `values["__proto__"] = v` set the row's prototype instead.
  const t = parseCsvText('Title,__proto__,constructor\r\na,"{""x"":1}",b\r\n', 'proto.csv');
  assert.deepEqual(t.columns, ['Title', '__proto__', 'constructor']);
  assert.equal(Object.getOwnPropertyDescriptor(t.rows[0].values, '__proto__')?.value, '{"x":1}');
  assert.equal(Object.getPrototypeOf(t.rows[0].values), Object.prototype);
  assert.equal(tableToCases(t, { title: 'Title' }).cases[0].raw['__proto__'], '{"x":1}');
  const q = parseQRadarCsvText('Event Name,__proto__\r\nlogon,p\r\n', 'events.csv', 'UTC');
  assert.equal(Object.getOwnPropertyDescriptor(q.events[0].fields, '__proto__')?.value, 'p');
  assert.equal(({} as Record<string, unknown>).x, undefined);
});
