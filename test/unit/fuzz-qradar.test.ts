/**
 * Property tests (fast-check, fixed seed) for the QRadar readers: JSON arrays, NDJSON and CSV
 * exports (src/core/parse/qradar.ts, qradar-csv.ts) and the cases reader of offense files
 * (cases-qradar.ts). Properties: never throws, terminates within a CPU-time bound, and every input
 * record is accounted for — kept + reported-as-skipped = input records.
 * Runs: FUZZ_RUNS (default 200; `npm run fuzz` uses 5000), seed FUZZ_SEED (default 42).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { withinCpuMs } from './cpu-cost';
import { stringify } from 'csv-stringify/sync';
import { parseQRadarJsonText, type QRadarJsonResult } from '../../src/core/parse/qradar';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { readOffensesText } from '../../src/core/parse/cases-qradar';

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 200);
const SEED = Number(process.env.FUZZ_SEED) || 42;
/** CPU time bound of one parse of a generated input (ms): a few ms each, so only catastrophic work (exponential
 * backtracking) exceeds it; speed targets live in the benchmark. */
const BOUND_MS = 2000;
const SAMPLES = path.resolve(__dirname, '../../../../shared/data/qradar/samples');
const REAL_OFFENSES = JSON.parse(fs.readFileSync(path.join(SAMPLES, 'offenses.json'), 'utf8')) as Record<string, unknown>[];
const REAL_CSV = fs.readFileSync(path.join(SAMPLES, 'log_activity_export.csv'), 'utf8');

/** `fn()` within {@link BOUND_MS} of CPU time (not wall time: a loaded machine does not add to it). */
const timed = <T>(fn: () => T): T => withinCpuMs(BOUND_MS, fn);

const kept = (r: QRadarJsonResult) => r.offenses.length + r.closingReasons.length + r.offenseTypes.length + r.rules.length;
const skipped = (r: QRadarJsonResult) => r.errors.filter((e) => /^record \d+: .*; skipped$/.test(e.message)).length;

/** Any JSON value, including the awkward ones (deep, huge numbers, prototype keys, unicode). */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>('__proto__', { __proto__: 1 }, { constructor: { prototype: 1 } }, 1e308, -0, '\u0000', '\uFEFF', '<script>x</script>', '=1+1', [[[[[]]]]]),
);

/** A real sample offense with some fields replaced by arbitrary JSON values or deleted. */
const mutatedOffense = fc
  .tuple(
    fc.constantFrom(...REAL_OFFENSES),
    fc.array(fc.tuple(fc.constantFrom(...Object.keys(REAL_OFFENSES[0]), 'id', 'start_time', 'description', 'offense_source', 'rules', 'log_sources'), fc.option(anyJson, { nil: undefined })), { maxLength: 5 }),
  )
  .map(([o, edits]) => {
    const c: Record<string, unknown> = JSON.parse(JSON.stringify(o));
    for (const [k, v] of edits) {
      if (v === undefined) delete c[k];
      else c[k] = v;
    }
    return JSON.stringify(c);
  });

/** Array elements: mutated offenses, any JSON value, or an invalid token without JSON structure characters. */
const element = fc.oneof(
  { weight: 6, arbitrary: mutatedOffense },
  { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 1, arbitrary: fc.constantFrom('NaN', 'undefined', 'tru', '01x', '-', 'Infinity', "'single'", '0x10') },
);

test('fuzz qradar: JSON arrays — never throws, bounded time, kept + skipped = elements (first element a real offense)', () => {
  fc.assert(
    fc.property(mutatedOffense, fc.array(element, { maxLength: 25 }), fc.constantFrom('\n', ',\n', ' , ', ','), (first, rest, glue) => {
      const els = [JSON.stringify(REAL_OFFENSES[0]), first, ...rest];
      const text = `[${els.join(glue === ',' || glue === ',\n' || glue === ' , ' ? glue : `,${glue}`)}]`;
      const r = timed(() => parseQRadarJsonText(text, 'fuzz.json'));
      if (r.kind === 'unrecognised') return; // a majority of non-offense elements: set aside as a whole (skipReason)
      assert.equal(r.records, els.length, 'records = array elements');
      assert.equal(kept(r) + skipped(r), els.length, `kept ${kept(r)} + skipped ${skipped(r)} ≠ ${els.length}`);
      for (const e of r.errors) assert.ok(e.line >= 1, `error line ${e.line}`);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz qradar: truncated JSON arrays keep every complete element and report the truncation', () => {
  fc.assert(
    fc.property(fc.array(mutatedOffense, { minLength: 1, maxLength: 12 }), fc.nat(), (els, cutAt) => {
      const text = `[${els.join(',\n')}]`;
      const cut = text.slice(0, cutAt % text.length);
      const r = timed(() => parseQRadarJsonText(cut, 'cut.json'));
      if (r.kind === 'unrecognised') return;
      assert.equal(kept(r) + skipped(r), r.records);
      assert.ok(r.errors.some((e) => /truncated|ends inside/.test(e.message)), 'truncation reported');
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz qradar: NDJSON — never throws, kept + skipped = non-blank lines', () => {
  const line = fc.oneof(
    { weight: 6, arbitrary: mutatedOffense },
    { weight: 1, arbitrary: anyJson.map((v) => JSON.stringify(v) ?? 'null') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ' ')) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  fc.assert(
    fc.property(fc.array(line, { maxLength: 30 }), fc.constantFrom('\n', '\r\n'), (lines, eol) => {
      const all = [JSON.stringify(REAL_OFFENSES[1]), ...lines];
      const text = all.join(eol);
      const r = timed(() => parseQRadarJsonText(text, 'fuzz.ndjson'));
      if (r.kind === 'unrecognised' || r.format !== 'ndjson') return;
      const nonBlank = all.filter((l) => l.trim() !== '').length;
      assert.equal(r.records, nonBlank);
      assert.equal(kept(r) + skipped(r), nonBlank);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz qradar: arbitrary text and bytes — never throws, bounded time', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('{', '[', '{"offenses": [', '[{"id": 1,', '{"events": 1}', ']]]]', '[[[[[[[[[[')), (text) => {
      const r = timed(() => parseQRadarJsonText(text, 'any.json'));
      assert.ok(kept(r) <= r.records);
      timed(() => readOffensesText(text, 'any.json'));
      const c = timed(() => parseQRadarCsvText(text, 'any.csv', 'UTC'));
      assert.ok(c.events.length <= c.records);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

test('fuzz qradar: CSV event exports — any cell text (quotes, commas, newlines, formulas) round-trips; events + skipped = records', () => {
  const [headerLine] = REAL_CSV.split(/\r?\n/);
  const header = headerLine.split(',');
  const cell = fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '=cmd|x', 'Mar 3, 2026, 2:20:05 PM', 'not a time', '-1', '1e999'));
  fc.assert(
    fc.property(fc.array(fc.array(cell, { minLength: 0, maxLength: header.length + 3 }), { maxLength: 20 }), (rows) => {
      const data = rows.filter((r) => r.length > 0 && !(r.length === 1 && r[0] === ''));
      const text = stringify([header, ...data], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
      const r = timed(() => parseQRadarCsvText(text, 'events.csv', 'Europe/Berlin'));
      assert.equal(r.kind, 'events');
      const skippedCsv = r.errors.filter((e) => /unreadable CSV record/.test(e.message)).length;
      assert.equal(r.events.length + skippedCsv, data.length, 'events + skipped = data records');
      assert.equal(r.records, r.events.length);
      // every cell is kept verbatim in the event's fields
      r.events.forEach((ev, i) => {
        data[i].forEach((v, c) => assert.equal(ev.fields[c < header.length ? header[c] : `col_${c + 1}`], v));
      });
    }),
    { seed: SEED, numRuns: RUNS },
  );
});
