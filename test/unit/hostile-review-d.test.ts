/**
 * Hostile review D (QRadar offense input, beacon input, CLI options).
 *
 * 1. An offense export none of whose records is valid JSON (a one-offense export with a bad escape `\q`, a record
 *    nested deeper than 512 levels, NDJSON whose every line is damaged) was set aside as `JSON array without objects`
 *    or `not JSON`: a JSON file of offenses was said to be no JSON at all, and the record and line that could not be
 *    read were named nowhere. The reason now says that no record could be read and names the first one (record,
 *    line, the JSON error), in the whole-text reader and the streaming one alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQRadarJsonText, QRadarArrayStream } from '../../src/core/parse/qradar';

const OFFENSE = '"offense_source":"10.0.0.1","start_time":1700000000000';

test('an offense array whose only record is not valid JSON: skipped, naming the record, its line and the error', () => {
  const text = `[\n  {"id":1,"description":"bad \\q escape",${OFFENSE}}\n]\n`;
  const r = parseQRadarJsonText(text, 'one.json');
  assert.equal(r.kind, 'unrecognised');
  assert.equal(r.skipReason, 'no record could be read: 1 of 1 record is not valid JSON (first: record 1, line 2: Bad escaped character)');
  // the streaming reader (files over 512 MiB) says the same
  const s = new QRadarArrayStream('one.json');
  s.push(Buffer.from(text));
  assert.deepEqual(s.end(), r);
});

test('an offense array whose records all nest too deep, beside a number: the depth error of the first is named', () => {
  const deep = `${'['.repeat(600)}${']'.repeat(600)}`;
  const text = `[5,{"id":1,"x":${deep},${OFFENSE}},{"id":2,"x":${deep},${OFFENSE}}]`;
  const r = parseQRadarJsonText(text, 'deep.json');
  assert.equal(r.kind, 'unrecognised');
  assert.equal(r.skipReason, 'no record could be read: 2 of 3 records are not valid JSON (first: record 2, line 1: JSON nested deeper than 512 levels (at character 524))');
  const s = new QRadarArrayStream('deep.json');
  s.push(Buffer.from(text));
  assert.deepEqual(s.end(), r);
});

test('NDJSON whose every line is a damaged record: the first line is named, not "not JSON"', () => {
  const text = `{"id":1,"description":"bad \\q",${OFFENSE}}\n{"id":2,"description":"cut",${OFFENSE}\n`;
  const r = parseQRadarJsonText(text, 'cut.ndjson');
  assert.equal(r.kind, 'unrecognised');
  assert.equal(r.skipReason, 'no record could be read: 2 of 2 records are not valid JSON (first: record 1, line 1: Bad escaped character)');
});

test('a damaged wrapper whose only record is damaged: the record is named; a salvageable wrapper is still salvaged', () => {
  const text = `{"offenses":[{"id":1,"description":"bad \\q",${OFFENSE}}]}`;
  const r = parseQRadarJsonText(text, 'wrapped.json');
  assert.equal(r.kind, 'unrecognised');
  assert.equal(r.skipReason, 'no record could be read: 1 of 1 record is not valid JSON (first: record 1, line 1: Bad escaped character)');
  // one good record beside the damaged one: read, the damaged one reported (as before)
  const two = `{"offenses":[{"id":1,"description":"bad \\q",${OFFENSE}},{"id":2,"description":"good",${OFFENSE}}]}`;
  const r2 = parseQRadarJsonText(two, 'wrapped2.json');
  assert.equal(r2.kind, 'offenses');
  assert.deepEqual(r2.offenses.map((o) => o.id), [2]);
  assert.deepEqual(r2.errors.map((e) => `${e.line}: ${e.message}`), [
    '1: the wrapping JSON object is not valid JSON; records of its first array were read',
    '1: record 1: invalid JSON (Bad escaped character); skipped',
  ]);
});

test('what is no JSON records stays as before: text, an array of numbers, an empty array', () => {
  assert.equal(parseQRadarJsonText('hello\n', 'a.json').skipReason, 'not JSON');
  assert.equal(parseQRadarJsonText('[1,2,3]', 'b.json').skipReason, 'JSON array without objects');
  assert.equal(parseQRadarJsonText('[]', 'c.json').skipReason, 'empty JSON array');
  // a line that does not start as a JSON object ({") is no damaged record: random bytes that start with `{`
  assert.equal(parseQRadarJsonText('{\u0001\u00ff garbage\nmore', 'd.json').skipReason, 'not JSON');
});

/*
 * 2. The problems of an offense's `rules[]` / `log_sources[]` named the element by its index among the list's objects,
 *    not in the list: in `[null, 5, "x", {"id":"abc"}]` the object is `rules[3]` but was reported as `rules[0]` — the
 *    index of the `null` reported just before — and its unreadable id was reported twice, the second time as
 *    `missing` although it is there.
 */
test('rules[] and log_sources[] problems name the element by its index in the list, each problem once', () => {
  const rec = { id: 7, description: 'd', offense_source: 's', start_time: 1700000000000, rules: [null, 5, 'x', { id: 'abc' }, { type: 'CRE_RULE' }], log_sources: [null, { id: 2 }] };
  const r = parseQRadarJsonText(JSON.stringify([rec]), 'rules.json');
  assert.equal(r.kind, 'offenses');
  assert.deepEqual(r.offenses[0].rules, []);
  assert.deepEqual(
    r.errors.map((e) => e.message.replace(/; field left empty, offense kept$/, '')),
    [
      'record 1: field "rules[0]": not an object',
      'record 1: field "rules[1]": not an object',
      'record 1: field "rules[2]": not an object',
      'record 1: field "rules[3].id": not a number ("abc")',
      'record 1: field "rules[4].id": missing',
      'record 1: field "log_sources[0]": not an object',
      'record 1: field "log_sources[1].name": missing',
    ],
  );
});

/*
 * 3. An output file in a folder its user may not write (`--md /var/reports/x.md`, `--out` of qradar-fetch) passed the
 *    check made before any work: the whole analysis ran and printed, then the write failed with EACCES, exit 1 — a long
 *    `beacons` run of a day of Zeek logs lost, and the README says output files are checked before any work (exit 2).
 *    The check now also asks whether the folder (a new file) or the file (an existing one) may be written. Root may
 *    write anywhere, so under root the check is run as the user nobody (uid 65534).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputFileProblem } from '../../src/core/cli-support';

test('an output file in a folder, or an existing file, its user may not write is refused before any work', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'soc-hostile-d-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const ro = join(dir, 'ro');
  mkdirSync(ro);
  const roFile = join(dir, 'ro-file.md');
  writeFileSync(roFile, 'old\n');
  const rw = join(dir, 'rw');
  mkdirSync(rw);
  chmodSync(dir, 0o755);
  chmodSync(ro, 0o555);
  chmodSync(roFile, 0o444);
  chmodSync(rw, 0o777);
  const paths = [join(ro, 'x.md'), roFile, join(rw, 'x.md')];
  let answers: (string | null)[];
  if (process.getuid?.() === 0) {
    const mod = require.resolve('../../src/core/cli-support');
    const code = `const {outputFileProblem}=require(${JSON.stringify(mod)});process.stdout.write(JSON.stringify(${JSON.stringify(paths)}.map((p)=>outputFileProblem(p)??null)))`;
    const r = spawnSync(process.execPath, ['-e', code], { uid: 65534, gid: 65534, encoding: 'utf8' });
    // a checkout under a folder only root may enter (/root): the unprivileged user cannot load the code to check
    if (r.status !== 0 && /EACCES|Cannot find module/.test(r.stderr)) {
      t.skip(`uid 65534 cannot read ${mod}: the check needs a user other than root`);
      return;
    }
    assert.equal(r.status, 0, r.stderr);
    answers = JSON.parse(r.stdout) as (string | null)[];
  } else answers = paths.map((p) => outputFileProblem(p) ?? null);
  assert.deepEqual(answers, [`the folder ${ro} is not writable (permission denied)`, 'is not writable (permission denied)', null]);
});

test('--escalated / --false-positive naming no fragment (`,`, white space) are refused (exit 2), not taken as "nothing escalates"', async () => {
  const { parseQRadarArgs, QRadarArgError } = await import('../../src/core/analyze/qradar-report');
  for (const [opt, v] of [['--escalated', ','], ['--false-positive', ' , '], ['--escalated', ' ']]) {
    assert.throws(() => parseQRadarArgs(['x.json', opt, v]), (e: unknown) => e instanceof QRadarArgError && e.message === `${opt} needs at least one closing-reason fragment (comma-separated), got ${JSON.stringify(v)}`);
  }
  const a = parseQRadarArgs(['x.json', '--escalated', 'Escalated, ,Ticket']);
  assert.ok(a !== 'help');
  assert.deepEqual(a.settings.escalatedReasons, ['Escalated', 'Ticket']);
});

test('a Zeek conn log whose #separator does not split its header: skipped saying so, not typed by its file name', async () => {
  const { gunzipSync } = await import('node:zlib');
  const { readFileSync } = await import('node:fs');
  const { planInputs } = await import('../../src/core/analyze/beacons/run');
  const real = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'zeek', 'day-2024-04-19', 'conn.00:00:00-01:00:00.log.gz');
  const lines = gunzipSync(readFileSync(real)).toString('utf8').split('\n').slice(0, 30);
  assert.equal(lines[0], '#separator \\x09');
  const dir = mkdtempSync(join(tmpdir(), 'soc-hostile-d-sep-'));
  try {
    // the declared separator is a comma; every other line keeps its tabs
    const damaged = join(dir, 'sensor1.log');
    writeFileSync(damaged, ['#separator ,', ...lines.slice(1)].join('\n') + '\n');
    const intact = join(dir, 'sensor2.log');
    writeFileSync(intact, lines.join('\n') + '\n');
    const p = await planInputs([damaged, intact], { sni: true });
    assert.deepEqual(p.skipped, [{ file: damaged, reason: 'Zeek log header not readable: its #path line is not split by its #separator (","); its type is unknown (not read)' }]);
    assert.deepEqual(p.planned.map((x) => [x.info.file, x.role, x.info.logPath, x.info.headerProblem]), [[intact, 'conn', 'conn', undefined]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
