/**
 * Loki-RS JSONL match values of another JSON type than Loki-RS writes (a damaged or forged line) were left out of
 * their finding silently: a score of `"NaN"` or `1e999`, `"reasons": "x"`, a reason that is `null`, a number or a
 * list. They are still left out, each with a warning at its line (`invalid value: …`), as invalid hashes are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLokiText } from '../../src/core/parse/loki';

const base = {
  timestamp: '2026-02-03T09:41:27Z',
  level: 'ALERT',
  event_type: 'file_match',
  hostname: 'build-srv-07',
  message: 'File Match',
  file_path: '/opt/ci/cache/tools/libcrypt-compat.so',
  score: 84.0,
  reasons: [{ message: 'YARA match with rule MAL_Demo_ELF_Miner', score: 75 }] as unknown,
};
const line = (o: Record<string, unknown>) => JSON.stringify({ ...base, ...o });

test('values of another JSON type in a Loki-RS match are warnings at their lines; the finding is kept', () => {
  const text = [
    line({}),
    line({ reasons: [{ message: 'YARA match with rule R1', score: 75 }, { message: 'x', score: 'NaN' }] }),
    line({ reasons: 'notalist' }),
    line({ reasons: [null, 1, 's', []] }),
    line({ file_path: ['a'] }),
    line({}).replace('"score":84', '"score":1e999'),
  ].join('\n');
  const r = parseLokiText(`${text}\n`, 'loki_build-srv-07.jsonl');
  assert.equal(r.findings.length, 6);
  assert.deepEqual(
    r.warnings.map((w) => `${w.line}: ${w.message}`),
    [
      '2: invalid value: "reasons"[1].score "NaN" is not a finite number: that reason is kept without a score',
      '3: invalid value: "reasons" "notalist" is not a list: the finding is kept without reasons',
      '4: invalid value: "reasons"[0] null is not an object: that reason is left out',
      '4: invalid value: "reasons"[1] 1 is not an object: that reason is left out',
      '4: invalid value: "reasons"[2] "s" is not an object: that reason is left out',
      '4: invalid value: "reasons"[3] [] is not an object: that reason is left out',
      '5: invalid value: "file_path" ["a"] is not a text: the finding is kept without a path',
      '6: invalid value: "score" Infinity is not a finite number: the finding is kept without a score',
    ],
  );
  // the values read are unchanged: the first finding whole, the others without what was wrong
  assert.equal(r.findings[0].score, 84);
  assert.equal(r.findings[2].reasons.length, 0);
  assert.equal(r.findings[3].reasons.length, 0);
  assert.equal(r.findings[5].score, undefined);
});

test('a Loki-RS JSONL level, hostname or timestamp of another JSON type is a warning at its line; the record is kept', () => {
  const text = [
    line({ level: 5 }),
    line({ hostname: { x: 1 }, file_path: '/b' }),
    line({ level: null, hostname: null, file_path: '/c' }),
    line({ timestamp: 'yesterday', file_path: '/d' }),
    line({ timestamp: 17000, file_path: '/e' }),
    line({ level: 'CRIT', file_path: '/f' }),
    JSON.stringify({ timestamp: '2026-02-03T09:41:31Z', level: [], event_type: 'error', hostname: 'build-srv-07', message: 'Cannot open /x' }),
    line({ level: 'alert', file_path: '/g' }), // another letter case is read as the level, no warning
  ].join('\n');
  const r = parseLokiText(`${text}\n`, 'loki_build-srv-07_2026-02-03_09-41-27.jsonl');
  const levels = 'is not a Loki-RS level (ALERT, WARNING, NOTICE, INFO, ERROR, DEBUG)';
  assert.deepEqual(
    r.warnings.map((w) => `${w.line}: ${w.message}`),
    [
      `1: invalid value: "level" 5 ${levels}: the finding's level is taken from its score`,
      '2: invalid value: "hostname" {"x":1} is not a text: the record is kept under the host named in the file name (build-srv-07)',
      `3: invalid value: "level" null ${levels}: the finding's level is taken from its score`,
      // hostname null is absent (an optional key; loki-rs-nulls.test.ts): the file name's host, no warning
      '4: invalid value: "timestamp" "yesterday" is not an RFC 3339 time: the finding is kept without a time (not in the timeline)',
      '5: invalid value: "timestamp" 17000 is not an RFC 3339 time: the finding is kept without a time (not in the timeline)',
      `6: invalid value: "level" "CRIT" ${levels}: the finding's level is taken from its score`,
      `7: invalid value: "level" [] ${levels}: the record is read as INFO`,
    ],
  );
  // every finding is kept, with what could be read: host, level from the score (84 → ALERT), path, reasons
  assert.deepEqual(
    r.findings.map((f) => [f.host, f.level, f.path, f.score, f.reasons.length, Number.isFinite(f.timestamp)]),
    [
      ['build-srv-07', 'ALERT', '/opt/ci/cache/tools/libcrypt-compat.so', 84, 1, true],
      ['build-srv-07', 'ALERT', '/b', 84, 1, true],
      ['build-srv-07', 'ALERT', '/c', 84, 1, true],
      ['build-srv-07', 'ALERT', '/d', 84, 1, false],
      ['build-srv-07', 'ALERT', '/e', 84, 1, false],
      ['build-srv-07', 'ALERT', '/f', 84, 1, true],
      ['build-srv-07', 'ALERT', '/g', 84, 1, true],
    ],
  );
  assert.equal(r.unparsedLines, 0);
});
