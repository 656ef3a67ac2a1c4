/**
 * Hostile review: QRadar offense ids were read as JavaScript numbers, which are exact only up to 2^53 − 1. Two
 * offenses whose ids differ beyond that (9007199254740993 and 9007199254740992) became one id, and the duplicate
 * check (same id and start_time) kept one of them: an offense lost. Real QRadar ids are 32-bit, so such an id is
 * hostile or broken input: it is reported (file, record, the id as written), the offense is kept with its id as
 * written (`idText`: shown in the table, detail and CSV export) and never merged with another; every other integer
 * field (offense type, closing reason, domain, rule and log source ids; closing reasons, offense types and rules of
 * the lookups, in JSON and in the `id,text` CSV) beyond 2^53 is reported and left empty instead of rounded.
 * JSON arrays (whole text, byte reader of ASCII files, stream), NDJSON, wrapped arrays, ids as strings.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { parseQRadarJsonText, QRadarArrayStream } from '../../src/core/parse/qradar';
import { parseQRadarCsvText } from '../../src/core/parse/qradar-csv';
import { qradarContext, qradarOffenseColumns, qradarOffenseDetail } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N } from '../../src/core/analyze/qradar-summary';
import { csvChunks } from '../../src/core/export/csv';
import { exportHeader, exportValue, TableStore } from '../../src/core/table/store';
import { offensesToCases } from '../../src/core/parse/cases-qradar';
import type { QRadarOffense } from '../../src/core/parse/qradar-model';

const TMP = mkdtempSync(join(tmpdir(), 'soc-hostile-ids-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const BIG_A = '9007199254740993'; // 2^53 + 1: JSON.parse reads 9007199254740992
const BIG_B = '9007199254740992'; // 2^53
const START = 1709294400000;

/** An offense object's JSON with `id` written as given (a number token or a JSON string). */
const offense = (id: string, n: number, extra = '') =>
  `{"id": ${id}, "description": "Brute force ${n}", "offense_source": "10.0.0.${n}", "start_time": ${START}, "status": "OPEN", "magnitude": 5${extra}}`;
/** 20 usual offenses (so the kind is decided and the byte reader takes over), then the two big ids. */
const filler = Array.from({ length: 20 }, (_, i) => offense(String(1000 + i), i));

const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };

function checkPair(offenses: QRadarOffense[], errors: { message: string; line: number }[], what: string): void {
  const big = offenses.filter((o) => o.idText !== undefined);
  assert.deepEqual(
    big.map((o) => [o.id, o.idText, o.offenseSource]),
    [
      [undefined, BIG_A, '10.0.0.101'],
      [undefined, BIG_B, '10.0.0.102'],
    ],
    what,
  );
  const msgs = errors.filter((e) => /field "id"/.test(e.message)).map((e) => e.message);
  assert.equal(msgs.length, 2, `${what}: ${JSON.stringify(errors)}`);
  assert.match(msgs[0], new RegExp(`^record \\d+: field "id": ${BIG_A} is beyond 2\\^53 − 1, where JavaScript numbers are no longer exact \\(read as 9007199254740992; QRadar ids are 32-bit\\); id kept as text`), what);
  assert.match(msgs[1], new RegExp(`field "id": ${BIG_B} is beyond 2\\^53`), what);
  // every other offense keeps its number id
  assert.ok(offenses.filter((o) => o.idText === undefined).every((o) => typeof o.id === 'number'), what);
}

test('two offenses whose ids differ only beyond 2^53 are both kept, reported, with their ids as written (JSON inputs of every shape)', async () => {
  const pair = [offense(BIG_A, 101), offense(BIG_B, 102)];
  const shapes: [string, string][] = [
    ['small.json', `[\n${pair.join(',\n')}\n]\n`], // < 20 objects: the exact reader
    ['fast.json', `[\n${[...filler, ...pair].join(',\n')}\n]\n`], // ASCII and ≥ 20 objects: the byte reader, which leaves these two to the exact one
    ['lines.ndjson', `${[...filler, ...pair].join('\n')}\n`],
    ['wrapped.json', `{"offenses": [${[...filler, ...pair].join(',')}]}`],
    ['strings.json', `[\n${[offense(`"${BIG_A}"`, 101), offense(` "${BIG_B}"`, 102)].join(',\n')}\n]\n`],
    ['object.json', offense(BIG_A, 101)],
  ];
  for (const [name, text] of shapes) {
    const f = join(TMP, name);
    writeFileSync(f, text);
    const p = await runQRadarRead([f]);
    assert.deepEqual(p.skipped, [], name);
    if (name === 'object.json') {
      assert.deepEqual(p.offenses.map((o) => [o.id, o.idText]), [[undefined, BIG_A]]);
      assert.match(p.errors[0].message, /^record 1: field "id": 9007199254740993 is beyond 2\^53/);
      continue;
    }
    // not merged: the duplicate check (same id and start_time) saw two rounded ids equal before
    assert.equal(p.offenses.length, name === 'small.json' || name === 'strings.json' ? 2 : 22, name);
    checkPair(p.offenses, p.errors, name);
    assert.equal(p.files[0].errors, 2, name);
  }
});

test('the streaming reader (files over 512 MiB) keeps and reports the big ids too, in any chunking', async () => {
  const text = `[\n${[...filler, offense(BIG_A, 101), offense(BIG_B, 102)].join(',\n')}\n]\n`;
  const whole = parseQRadarJsonText(text, 'big.json', Buffer.from(text));
  checkPair(whole.offenses, whole.errors, 'whole text');
  for (const chunk of [1, 7, 4096]) {
    const s = new QRadarArrayStream('big.json');
    const buf = Buffer.from(text);
    for (let i = 0; i < buf.length; i += chunk) s.push(buf.subarray(i, i + chunk));
    const r = s.end();
    assert.deepEqual(r, whole, `chunk ${chunk}`);
  }
  // and through readQRadarFile's stream path (threshold lowered)
  const f = join(TMP, 'streamed.json');
  writeFileSync(f, text);
  const p = await runQRadarRead([f], { maxWholeFileBytes: 100 });
  assert.equal(p.offenses.length, 22);
  checkPair(p.offenses, p.errors, 'streamed file');
});

test('2^53 − 1 is still an id; beyond it other integer fields are reported and left empty, never rounded', () => {
  const text = `[${offense('9007199254740991', 1)}, ${offense('7', 2, `, "closing_reason_id": ${BIG_A}, "domain_id": -${BIG_A}, "offense_type": 1e300, "rules": [{"id": ${BIG_A}, "type": "CRE_RULE"}, {"id": 5}], "log_sources": [{"id": ${BIG_B}, "name": "fw"}]`)}]`;
  const r = parseQRadarJsonText(text, 'x.json');
  assert.deepEqual(r.offenses.map((o) => o.id), [9007199254740991, 7]);
  const o = r.offenses[1];
  assert.equal(o.closingReasonId, undefined);
  assert.equal(o.domainId, undefined);
  assert.equal(o.offenseType, undefined);
  assert.deepEqual(o.rules, [{ id: 5 }]);
  assert.deepEqual(o.logSources, [{ name: 'fw', id: undefined, typeId: undefined, typeName: undefined }]);
  const msgs = r.errors.map((e) => e.message);
  assert.ok(msgs.includes(`record 2: field "offense_type": 1e300 is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 1e+300; QRadar ids are 32-bit); field left empty, offense kept`), msgs.join('\n'));
  assert.ok(msgs.includes(`record 2: field "closing_reason_id": ${BIG_A} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 9007199254740992; QRadar ids are 32-bit); field left empty, offense kept`), msgs.join('\n'));
  assert.ok(msgs.includes(`record 2: field "domain_id": -${BIG_A} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as -9007199254740992; QRadar ids are 32-bit); field left empty, offense kept`), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^record 2: field "rules\[0\]\.id": an integer beyond 2\^53 − 1/.test(m)), msgs.join('\n'));
  assert.ok(msgs.some((m) => /^record 2: field "log_sources\[0\]\.id": an integer beyond 2\^53 − 1/.test(m)), msgs.join('\n'));
});

test('closing reasons with ids beyond 2^53 (JSON and the id,text CSV) are reported, not merged into one', () => {
  const csv = parseQRadarCsvText(`id,text\n${BIG_A},Non-Issue\n${BIG_B},Policy Violation\n3,False-Positive\n`, 'reasons.csv', 'UTC');
  assert.deepEqual(csv.closingReasons.map((c) => c.id), [3]);
  assert.deepEqual(
    csv.errors.map((e) => [e.line, e.message]),
    [
      [2, `record 1: column "id": ${BIG_A} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 9007199254740992; QRadar ids are 32-bit); skipped`],
      [3, `record 2: column "id": ${BIG_B} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 9007199254740992; QRadar ids are 32-bit); skipped`],
    ],
  );
  const json = parseQRadarJsonText(`[{"id": ${BIG_A}, "text": "Non-Issue"}, {"id": ${BIG_B}, "text": "Policy Violation"}, {"id": 3, "text": "False-Positive"}]`, 'reasons.json');
  assert.equal(json.kind, 'closingReasons');
  assert.deepEqual(json.closingReasons.map((c) => c.id), [3]);
  assert.deepEqual(
    json.errors.map((e) => e.message),
    [`record 1: field "id": ${BIG_A} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 9007199254740992; QRadar ids are 32-bit); skipped`, `record 2: field "id": ${BIG_B} is beyond 2^53 − 1, where JavaScript numbers are no longer exact (read as 9007199254740992; QRadar ids are 32-bit); skipped`],
  );
});

test('the offense table, its detail and CSV export show the ids as written; cases from offenses keep them apart', async () => {
  const f = join(TMP, 'table.json');
  writeFileSync(f, `[\n${[offense('17', 1), offense(BIG_A, 101), offense(BIG_B, 102)].join(',\n')}\n]\n`);
  const p = await runQRadarRead([f]);
  const cols = qradarOffenseColumns(qradarContext(p, settings));
  const idCol = cols.find((c) => c.id === 'id')!;
  assert.deepEqual(p.offenses.map((o) => exportValue(idCol, o)), [17, BIG_A, BIG_B]);
  const csv = [...csvChunks(cols.map(exportHeader), p.offenses.map((o) => cols.map((c) => exportValue(c, o))), { bom: false })].join('');
  assert.deepEqual((parse(csv) as string[][]).slice(1).map((r) => r[0]), ['17', BIG_A, BIG_B]);
  // shown and filtered as written
  const store = new TableStore(p.offenses, cols);
  const idAt = store.columnIndex('id');
  assert.equal(store.count({ columnFilters: { id: BIG_A } }), 1);
  // sorted by value: both (rounded to 2^53, tied) above 17
  const desc = store.window({ sort: { column: 'id', dir: 'desc' } }, 0, 10).rows.map((r) => r[idAt]);
  assert.deepEqual([desc.slice(0, 2).sort(), desc[2]], [[BIG_B, BIG_A].sort(), '17']);
  const d = qradarOffenseDetail(p.offenses[1], 1, qradarContext(p, settings));
  assert.equal(d.title, `Offense ${BIG_A} · Brute force 101`);
  assert.deepEqual(d.fields.find((x) => x.label === 'Id'), { label: 'Id', value: BIG_A });
  const cases = offensesToCases(p.offenses, f).cases;
  assert.deepEqual(cases.map((c) => c.id), ['17', BIG_A, BIG_B]);
  assert.deepEqual(cases.map((c) => c.raw.id), ['17', BIG_A, BIG_B]);
});
