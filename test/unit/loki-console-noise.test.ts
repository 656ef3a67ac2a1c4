/**
 * Loki's own console text in a stdout capture (shared/docs/loki-format.md §5.4: `Cannot print certain characters to
 * command line - …`, a Python traceback) is not a line of the record above it: it is reported as an unparsed line
 * ("Loki console text, not a log record") instead of being appended to that finding's description or author
 * (format audit: a hash IOC's description ended in "\nCannot print certain characters …", a YARA author in a traceback).
 * A real continuation line (a match string with a line break) is still joined.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLokiText } from '../../src/core/parse/loki';

const START = '20250312T08:00:00Z,WS-TEST01,NOTICE,Starting Loki Scan VERSION: 0.51.1 SYSTEM: WS-TEST01 TIME: 20250312T08:00:00Z PLATFORM: 10 PROC: Intel64';
const HASH =
  '20250312T09:31:55Z,WS-TEST01,WARNING,FILE: C:\\Users\\j\\Downloads\\r.js SCORE: 75 TYPE: UNKNOWN SIZE: 18210 FIRST_BYTES: 766172205f30 / <filter> ' +
  'MD5: 4eaeaf50efe0c1e8d6917e43cbd230ad SHA1: 853aceec21864c50ded35ae6c895a1c3b6bb8f62 SHA256: 2133a0f6cbe82b715aec0aecb567bf4a5a4b8ae630beb5488b188acd98c8a733 ' +
  'CREATED: Mon Mar 10 11:47:05 2025 MODIFIED: Mon Mar 10 11:47:05 2025 ACCESSED: Mon Mar 10 11:47:09 2025 ' +
  'REASON_1: Suspicious Hash TYPE: SHA256 HASH: 2133a0f6cbe82b715aec0aecb567bf4a5a4b8ae630beb5488b188acd98c8a733 SUBSCORE: 75 DESC: Demo JS dropper';
const YARA =
  '20250312T09:32:00Z,WS-TEST01,ALERT,FILE: C:\\q\\x.exe SCORE: 100 TYPE: EXE SIZE: 1024 FIRST_BYTES: 4d5a9000 / MZ ' +
  'MD5: 11111111111111111111111111111111 SHA1: 2222222222222222222222222222222222222222 SHA256: 3333333333333333333333333333333333333333333333333333333333333333 ' +
  'CREATED: Mon Mar 10 11:47:05 2025 MODIFIED: Mon Mar 10 11:47:05 2025 ACCESSED: Mon Mar 10 11:47:09 2025 ' +
  "REASON_1: Yara Rule MATCH: Q SUBSCORE: 100 DESCRIPTION: demo REF: - AUTHOR: - MATCHES: Str1: line one";

test('stdout capture: print errors and a traceback are console text, reported; a real continuation is still joined', () => {
  const text = [
    START,
    HASH,
    'Cannot print certain characters to command line - see log file for full unicode encoded log line',
    YARA,
    'line two of the match', // a match string with a line break: the record's next line
    'Traceback (most recent call last):',
    '  File "loki.py", line 1549, in <module>',
    '    main()',
    "UnicodeEncodeError: 'charmap' codec can't encode character",
  ].join('\r\n');
  const r = parseLokiText(text, 'ws.txt');
  const hash = r.findings.find((f) => f.level === 'WARNING')!;
  assert.equal(hash.reasons[0].description, 'Demo JS dropper');
  const yara = r.findings.find((f) => f.level === 'ALERT')!;
  assert.match(yara.message, /MATCHES: Str1: line one\nline two of the match$/);
  assert.deepEqual(
    r.errors.map((e) => [e.line, e.message]),
    [
      [3, 'Loki console text, not a log record (a print error)'],
      [6, 'Loki console text, not a log record (a Python traceback)'],
      [7, 'Loki console text, not a log record (a Python traceback)'],
      [8, 'Loki console text, not a log record (a Python traceback)'],
      [9, 'Loki console text, not a log record (a Python traceback)'],
    ],
  );
  assert.equal(r.unparsedLines, 5);
});
