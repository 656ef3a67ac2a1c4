/**
 * Loki-RS JSONL (shared/docs/loki-format.md §3.2: optional keys are omitted when unset, never `null`): a JSON `null`
 * for an optional key is read as absent — no crash, no warning, no "null" text in a finding, a reason or a scanner
 * message. A value of another JSON type (a number where a text belongs, a text where a list belongs) is a warning at
 * its file:line and the record is kept with what could be read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLokiText } from '../../src/core/parse/loki';

const FILE = 'loki_build-srv-07_2026-02-03_09-41-27.jsonl';
const start = { timestamp: '2026-02-03T09:40:00+00:00', level: 'INFO', event_type: 'scan_start', hostname: 'build-srv-07', message: 'Loki-RS scan started VERSION: 2.10.0', context: null };
// the §7 S24 / S25 samples, every optional key null
const fileNulls = {
  timestamp: '2026-02-03T09:41:27.418902311+00:00', level: 'ALERT', event_type: 'file_match', hostname: null, message: 'File Match', context: null,
  file_path: '/opt/ci/cache/tools/libcrypt-compat.so', score: 84.0, file_type: null, file_size: null, md5: null, sha1: null, sha256: null,
  file_created: null, file_modified: null, file_accessed: null,
  reasons: [{ message: 'YARA match with rule MAL_Demo_ELF_Miner', score: 75, description: null, author: null, reference: null, matched_strings: null }],
};
const procNulls = {
  timestamp: '2026-02-03T09:44:10.002117+00:00', level: 'WARNING', event_type: 'process_match', hostname: 'build-srv-07', message: 'Process Match',
  pid: null, process_name: 'python3', score: 70.0, start_time: null, run_time: null, memory_bytes: null, cpu_usage: null, connection_count: null, listening_ports: null,
  reasons: [{ message: 'C2 IOC match in remote address IP: 203.0.113.77 PORT: 443', score: 70, matched_strings: [null, "$s1: 'stratum+tcp://' @ 20480"] }],
};
const error = { timestamp: '2026-02-03T09:46:00+00:00', level: 'ERROR', event_type: 'error', hostname: 'build-srv-07', message: 'Cannot open file', context: { PATH: '/x', ERR: null } };
const end = { timestamp: '2026-02-03T09:52:10+00:00', level: 'INFO', event_type: 'scan_end', hostname: 'build-srv-07', message: 'Loki-RS scan finished.', context: null };

test('Loki-RS JSONL: null optional values are absent — no warning, no "null" text, the findings whole', () => {
  const r = parseLokiText([start, fileNulls, procNulls, error, end].map((o) => JSON.stringify(o)).join('\n') + '\n', FILE);
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.errors, []);
  assert.equal(r.findings.length, 2);
  const [f, p] = r.findings;
  assert.deepEqual([f.host, f.level, f.path, f.score, f.fileType, f.size, f.md5, f.created], ['build-srv-07', 'ALERT', '/opt/ci/cache/tools/libcrypt-compat.so', 84, undefined, undefined, undefined, undefined]);
  assert.deepEqual([f.reasons[0].rule, f.reasons[0].subscore, f.reasons[0].description, f.reasons[0].author, f.reasons[0].matches], ['MAL_Demo_ELF_Miner', 75, undefined, undefined, undefined]);
  assert.deepEqual([p.host, p.pid, p.path, p.score, p.reasons[0].matches], ['build-srv-07', undefined, 'python3', 70, "$s1: 'stratum+tcp://' @ 20480"]);
  const msgs = r.scans.flatMap((s) => s.messages ?? []).map((m) => m.message);
  assert.deepEqual(msgs, ['Cannot open file PATH: /x']);
  assert.ok(!/\bnull\b/.test(JSON.stringify({ f, p, msgs })), JSON.stringify({ f, p, msgs }));
});

test('Loki-RS JSONL: values of another JSON type are one warning each at file:line; the record is kept with the rest', () => {
  const wrongTypes = {
    ...fileNulls, hostname: 'build-srv-07', file_type: 5, file_size: '48712', file_created: 7, file_modified: '2026-01-29T14:02:11+00:00', md5: '1e94b5d4a2f74d8fa9baa40870d53b86',
    reasons: [{ message: 'YARA match with rule R1', score: 75, description: 3, author: ['a'], reference: 'https://example.org/r', matched_strings: '$s1' }],
  };
  const proc = { ...procNulls, pid: '30417', reasons: [{ message: 'C2 IOC match in remote address IP: 203.0.113.77 PORT: 443', score: 70, matched_strings: ['$a: x @ 1', 5] }] };
  const ctx = { ...error, message: 42, context: 'PATH=/x' };
  const r = parseLokiText([start, wrongTypes, proc, ctx, end].map((o) => JSON.stringify(o)).join('\n') + '\n', FILE);
  assert.deepEqual(
    r.warnings.map((w) => `${w.file}:${w.line}: ${w.message}`),
    [
      `${FILE}:2: invalid value: "file_type" 5 is not a text: the finding is kept without a file type`,
      `${FILE}:2: invalid value: "file_size" "48712" is not a finite number: the finding is kept without a size`,
      `${FILE}:2: invalid value: "file_created" 7 is not a text: the finding is kept without a created time`,
      `${FILE}:2: invalid value: "reasons"[0].description 3 is not a text: that reason is kept without a description`,
      `${FILE}:2: invalid value: "reasons"[0].author ["a"] is not a text: that reason is kept without an author`,
      `${FILE}:2: invalid value: "reasons"[0].matched_strings "$s1" is not a list: that reason is kept without matched strings`,
      `${FILE}:3: invalid value: "pid" "30417" is not a finite number: the finding is kept without a PID`,
      `${FILE}:3: invalid value: "reasons"[0].matched_strings 5 is not a text: kept as JSON text`,
      `${FILE}:4: invalid value: "message" 42 is not a text: the record is kept without its message`,
      `${FILE}:4: invalid value: "context" "PATH=/x" is not an object: the record is kept without it`,
    ],
  );
  const [f, p] = r.findings;
  assert.deepEqual([f.path, f.score, f.fileType, f.size, f.created, f.modified, f.md5], ['/opt/ci/cache/tools/libcrypt-compat.so', 84, undefined, undefined, undefined, '2026-01-29T14:02:11+00:00', '1e94b5d4a2f74d8fa9baa40870d53b86']);
  assert.deepEqual([f.reasons[0].rule, f.reasons[0].description, f.reasons[0].author, f.reasons[0].ref, f.reasons[0].matches], ['R1', undefined, undefined, 'https://example.org/r', undefined]);
  assert.deepEqual([p.pid, p.path, p.reasons[0].matches], [undefined, 'python3', '$a: x @ 1, 5']);
  assert.equal(r.scans[0].messages?.length, 1);
});
