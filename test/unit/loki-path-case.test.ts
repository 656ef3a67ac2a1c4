/**
 * Top files: Windows paths (drive letter or UNC) in any letter case are one file, POSIX paths keep their
 * case: hand-built findings, the findings table's path facet (a Top files row's click), and the real Loki
 * logs (data/loki/real-2021-2022) with a path of one of them spelt in upper case on a second host.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { foldCase, isWindowsPath, pathGroupKey, samePath } from '../../src/core/analyze/path-case';
import { PathTally, caseVariants } from '../../src/core/analyze/path-tally';
import { TableStore } from '../../src/core/table/store';
import { fileResult, finding } from './loki-fixtures';
import type { LokiFinding } from '../../src/core/model/loki';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const f = (p: Partial<LokiFinding> & Pick<LokiFinding, 'host' | 'level'>, line: number): LokiFinding => finding({ ...p, source: { file: 'x', line } });

describe('Top files: Windows paths ignore letter case, POSIX paths do not', () => {
  const findings = [
    f({ host: 'WS1', level: 'ALERT', score: 150, path: 'C:\\Windows\\System32\\x.exe' }, 1),
    f({ host: 'WS1', level: 'WARNING', score: 70, path: 'C:\\Windows\\System32\\x.exe' }, 2),
    f({ host: 'WS2', level: 'WARNING', score: 80, path: 'c:\\windows\\system32\\X.EXE' }, 3),
    f({ host: 'WS2', level: 'WARNING', score: 60, path: '\\\\FS01\\Share\\tool.exe' }, 4),
    f({ host: 'WS3', level: 'WARNING', score: 60, path: '\\\\fs01\\share\\TOOL.exe' }, 5),
    f({ host: 'lnx', level: 'WARNING', score: 60, path: '/tmp/a' }, 6),
    f({ host: 'lnx', level: 'WARNING', score: 60, path: '/tmp/A' }, 7),
  ].map((x) => ({ ...x, scanIndex: -1 }));

  test('one row per file, under its most common spelling, counts and hosts merged', () => {
    const a = analyzeLoki([fileResult('a.log', [], findings)]);
    assert.deepEqual(a.topFiles, [
      { path: 'C:\\Windows\\System32\\x.exe', count: 3, hosts: 2, maxScore: 150 },
      { path: '\\\\FS01\\Share\\tool.exe', count: 2, hosts: 2, maxScore: 60 },
      { path: '/tmp/A', count: 1, hosts: 1, maxScore: 60 },
      { path: '/tmp/a', count: 1, hosts: 1, maxScore: 60 },
    ]);
  });

  test('a Top files row filters the findings by every spelling of a Windows path, by the exact POSIX path', () => {
    const a = analyzeLoki([fileResult('a.log', [], findings)]);
    const store = new TableStore(a.findings, lokiFindingColumns('UTC', a.files));
    assert.equal(store.window({ facets: { path: 'C:\\Windows\\System32\\x.exe' } }, 0, 10).total, 3);
    assert.equal(store.window({ facets: { path: '\\\\FS01\\Share\\tool.exe' } }, 0, 10).total, 2);
    assert.equal(store.window({ facets: { path: '/tmp/a' } }, 0, 10).total, 1);
  });

  test('path-case helpers', () => {
    assert.equal(isWindowsPath('C:\\x'), true);
    assert.equal(isWindowsPath('d:/x'), true);
    assert.equal(isWindowsPath('\\\\srv\\s'), true);
    assert.equal(isWindowsPath('\\\\?\\C:\\x'), true);
    assert.equal(isWindowsPath('/tmp/x'), false);
    assert.equal(isWindowsPath('.\\x'), false);
    assert.equal(isWindowsPath('C:x'), false);
    assert.equal(pathGroupKey('/TMP/X'), '/TMP/X');
    assert.equal(pathGroupKey('C:\\Users\\ärger.txt'), 'C:\\USERS\\ÄRGER.TXT');
    // one code unit for one: ß (upper case "SS", two units) is kept
    assert.equal(foldCase('c:\\ß'), 'C:\\ß');
    assert.equal(foldCase('c:\\ß').length, 'c:\\ß'.length);
    // lookalikes are other files on NTFS (hostile review): the Kelvin sign (lower case "k" in JavaScript), the long s
    // and the dotless i (upper case ASCII "S", "I") are not folded into the ASCII letters
    assert.equal(samePath('C:\\Windows\\System32\\\u212Aernel32.dll', 'C:\\Windows\\System32\\kernel32.dll'), false);
    assert.equal(samePath('C:\\\u017Fvchost.exe', 'C:\\svchost.exe'), false);
    assert.equal(samePath('C:\\w\u0131n.exe', 'C:\\WIN.EXE'), false);
    assert.equal(samePath('C:\\\u212Aernel32.dll', 'c:\\\u212Aernel32.DLL'), true);
    assert.equal(samePath('C:\\Ä', 'c:\\ä'), true);
    assert.equal(samePath('/a', '/A'), false);
    assert.equal(pathGroupKey('C:\\Program Files\\Ä.EXE'), pathGroupKey('c:\\program files\\ä.exe'));
  });

  test('caseVariants: the ids of each Windows file spelt in several cases; POSIX paths apart', () => {
    const paths = ['C:\\A', 'c:\\a', '/x', '/X', 'D:\\b'];
    const t = new PathTally(10, (row) => paths[row], 1);
    paths.forEach((p, i) => t.add(i, p, i + 1, 0, 1));
    assert.deepEqual(caseVariants(t), [[0, 1]]);
    assert.equal(caseVariants(new PathTally(1, () => '', 1)), undefined);
  });

  test('the real logs (no mixed-case paths) keep their 18 Top files rows', async () => {
    const a = await runLokiAnalysis([REAL]);
    assert.equal(a.topFiles.length, 18);
    assert.deepEqual(a.topFiles[0], { path: 'C:\\Users\\jdoe\\configuration', count: 2, hosts: 1, maxScore: 80 });
  });

  test('a real file spelt in another case on a second host is one row', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-case-'));
    try {
      fs.copyFileSync(path.join(REAL, 'scan_result (1).log'), path.join(dir, 'ds-ser1.log'));
      // the same log from another host with the path in upper case (as a process list or a
      // differently-cased folder walk gives it)
      const text = fs.readFileSync(path.join(REAL, 'scan_result (1).log'), 'latin1');
      fs.writeFileSync(path.join(dir, 'ds-ser2.log'), text.replace(/DS-SER1/g, 'DS-SER2').replace('C:\\Program Files\\WinPcap\\Uninstall.exe', 'C:\\PROGRAM FILES\\WINPCAP\\UNINSTALL.EXE'), 'latin1');
      const a = await runLokiAnalysis([dir]);
      const rows = a.topFiles.filter((x) => /winpcap/i.test(x.path));
      // two spellings of one finding each: the first seen is shown
      assert.deepEqual(rows, [{ path: 'C:\\Program Files\\WinPcap\\Uninstall.exe', count: 2, hosts: 2, maxScore: 70 }]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
