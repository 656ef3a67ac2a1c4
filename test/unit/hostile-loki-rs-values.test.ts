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
