/**
 * Hostile review (2026-12-06): the Python Loki parser removes ANSI escape sequences and spinner backspaces (a console
 * capture, `loki.exe > file`, holds them) — also from a file name or host that contained them itself, silently:
 * `C:\x\<ESC>[2J<ESC>[H=cmd…` was reported as `C:\x\=cmd…`. The values are still read that way (a console
 * capture must parse), and the file now carries one warning with the count and the first such line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLokiText } from '../../src/core/parse/loki';

const csv = (path: string) =>
  `20250312T03:44:10Z,web01,ALERT,FileScan,FILE: ${path} SCORE: 140 TYPE: EXE SIZE: 98 MD5: eb64742c8a91693e57b92f7b61f2b49a REASON_1: Yara Rule MATCH: Evil SUBSCORE: 140 DESCRIPTION: bad REF: - AUTHOR: x`;

test('a Loki CSV line with ESC sequences in a path: read without them, and one warning names the line', () => {
  const text = ['20250312T03:44:09Z,web01,NOTICE,Init,Starting Loki Scan VERSION: 0.51.0 SYSTEM: web01', csv('C:\\x\\\u001b[2J\u001b[H=cmd.exe'), csv('C:\\clean\\a.exe')].join('\n') + '\n';
  const r = parseLokiText(text, 'esc.csv');
  const paths = r.findings.map((f) => f.kind === 'file' ? f.path : undefined);
  assert.deepEqual(paths, ['C:\\x\\=cmd.exe', 'C:\\clean\\a.exe']);
  const w = r.warnings.filter((x) => x.message.includes('terminal control sequences'));
  assert.equal(w.length, 1);
  assert.equal(w[0].line, 2);
  assert.match(w[0].message, /^1 line holds terminal control sequences .*shown without them$/);
});

test('a console capture with colours on many lines: one warning with the count and the first line', () => {
  const lines = ['20250312T03:44:09Z,web01,NOTICE,Init,Starting Loki Scan VERSION: 0.51.0 SYSTEM: web01'];
  for (let i = 0; i < 5; i++) lines.push(`\u001b[1;31m${csv(`C:\\t\\${i}.exe`)}\u001b[0m`);
  const r = parseLokiText(lines.join('\n') + '\n', 'console.txt');
  assert.equal(r.findings.length, 5);
  const w = r.warnings.filter((x) => x.message.includes('terminal control sequences'));
  assert.deepEqual(w.map((x) => x.line), [2]);
  assert.match(w[0].message, /^5 lines hold .*\(first at line 2\)$/);
  // a clean file: no such warning
  assert.equal(parseLokiText(`${lines[0]}\n${csv('C:\\a.exe')}\n`, 'clean.csv').warnings.filter((x) => x.message.includes('terminal')).length, 0);
});
