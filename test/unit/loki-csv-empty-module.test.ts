/**
 * Python Loki `--csv` log file (5 columns, §1.1): a line whose MODULE column is empty (`TS,HOST,ALERT,,FILE: …`) was
 * read as a 4-column stdout line whose message began with the comma (`,FILE: …`), so a file finding became an
 * `other` finding named after its whole message, without path, score, hashes or rule. Loki always writes a module and
 * no Loki message starts with a comma: the line is read as 5 columns, its module from its message (as for the
 * 4-column stdout CSV), with a warning at its line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLokiText } from '../../src/core/parse/loki';

const H = '0123456789abcdef';
const file = (mod: string, path: string) =>
  `20250312T08:14:02Z,HOSTA,ALERT,${mod},FILE: ${path} SCORE: 150 TYPE: EXE SIZE: 1000 FIRST_BYTES: 4d5a / MZ MD5: ${H}${H} ` +
  `SHA1: ${H}${H}01234567 SHA256: ${H}${H}${H}${H} CREATED: Tue Mar  4 16:02:51 2025 MODIFIED: Tue Mar  4 16:02:51 2025 ` +
  `ACCESSED: Tue Mar  4 16:02:51 2025 REASON_1: Yara Rule MATCH: MAL_Demo SUBSCORE: 70 DESCRIPTION: demo REF: - AUTHOR: -`;

test('a 5-column Loki CSV line with an empty MODULE column is read by its message, with a warning', () => {
  const text = [
    '20250312T08:14:00Z,HOSTA,INFO,Init,Starting Loki Scan VERSION: 0.51.0 SYSTEM: HOSTA TIME: 20250312T08:14:00Z PLATFORM: Windows',
    file('FileScan', 'C:\\tmp\\a.exe'),
    file('', 'C:\\tmp\\b.exe'),
    '20250312T08:14:09Z,HOSTA,ERROR,,Some unknown scanner text',
    '20250312T08:14:09Z,HOSTA,RESULT,Results,Results: 2 alerts, 0 warnings, 0 notices',
  ].join('\n');
  const r = parseLokiText(`${text}\n`, 'loki_HOSTA_2025-03-12_09-14-02.log');
  assert.equal(r.unparsedLines, 0);
  assert.deepEqual(
    r.findings.map((f) => [f.source.line, f.module, f.kind, f.path, f.score, f.md5, f.reasons.map((x) => `${x.kind}:${x.rule}`)]),
    [
      [2, 'FileScan', 'file', 'C:\\tmp\\a.exe', 150, H + H, ['yara:MAL_Demo']],
      [3, 'FileScan', 'file', 'C:\\tmp\\b.exe', 150, H + H, ['yara:MAL_Demo']],
    ],
  );
  assert.deepEqual(
    r.warnings.map((w) => `${w.line}: ${w.message}`),
    ['3: empty MODULE column: read as FileScan from its message', '4: empty MODULE column: its message names none, read by its message alone'],
  );
  // the scanner message keeps its text (no leading comma)
  assert.deepEqual(
    r.scans.flatMap((s) => s.messages.map((m) => m.message)),
    ['Some unknown scanner text'],
  );
});
