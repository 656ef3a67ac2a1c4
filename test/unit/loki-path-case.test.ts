/**
 * Top files and the hash view's paths: a Windows path (drive letter or UNC) in any letter case is one file,
 * folded as NTFS does (upper case, one code unit for one, never across ASCII: a Kelvin sign is not k);
 * POSIX paths keep their case. Hand-built findings, the parser's folded path hash, the path tally, the
 * findings table's path facet (a Top files row's click), and the real Loki logs (data/loki/real-2021-2022)
 * with a path spelt in another case on a second host (columnar store: the hash is made from the line's bytes).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { foldCase, isWindowsPath, pathGroupKey, samePath } from '../../src/core/parse/path-case';
import { pathHash, pathHashBytes } from '../../src/core/parse/loki-store';
import { PathTally } from '../../src/core/analyze/path-tally';
import { TableStore } from '../../src/core/table/store';
import { fileResult, finding } from './loki-fixtures';
import type { LokiFinding } from '../../src/core/model/loki';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const f = (p: Partial<LokiFinding> & Pick<LokiFinding, 'host' | 'level'>, line: number): LokiFinding => finding({ ...p, source: { file: 'x', line } });
const KELVIN = '\u212A';

describe('Top files: Windows paths ignore letter case, POSIX paths do not', () => {
  const findings = [
    f({ host: 'WS1', level: 'ALERT', score: 150, path: 'c:\\windows\\system32\\X.EXE' }, 1),
    f({ host: 'WS2', level: 'WARNING', score: 70, path: 'C:\\Windows\\System32\\x.exe' }, 2),
    f({ host: 'WS2', level: 'WARNING', score: 80, path: 'C:\\Windows\\System32\\x.exe' }, 3),
    f({ host: 'WS2', level: 'WARNING', score: 60, path: '\\\\FS01\\Share\\tool.exe' }, 4),
    f({ host: 'WS3', level: 'WARNING', score: 60, path: '\\\\fs01\\share\\TOOL.exe' }, 5),
    f({ host: 'lnx', level: 'WARNING', score: 60, path: '/tmp/a' }, 6),
    f({ host: 'lnx', level: 'WARNING', score: 60, path: '/tmp/A' }, 7),
    f({ host: 'WS1', level: 'WARNING', score: 50, path: `C:\\Windows\\System32\\${KELVIN}ernel32.dll` }, 8),
    f({ host: 'WS2', level: 'WARNING', score: 50, path: 'C:\\Windows\\System32\\kernel32.dll' }, 9),
  ].map((x) => ({ ...x, scanIndex: -1 }));

  test('one row per file, under its most common spelling, counts and hosts merged; a Kelvin sign is another file', () => {
    const a = analyzeLoki([fileResult('a.log', [], findings)]);
    assert.deepEqual(a.topFiles, [
      // first seen in upper case on WS1, twice in mixed case on WS2: shown as the most common spelling
      { path: 'C:\\Windows\\System32\\x.exe', count: 3, hosts: 2, maxScore: 150, host: 'WS1' },
      { path: '\\\\FS01\\Share\\tool.exe', count: 2, hosts: 2, maxScore: 60, host: 'WS2' },
      { path: '/tmp/A', count: 1, hosts: 1, maxScore: 60, host: 'lnx' },
      { path: '/tmp/a', count: 1, hosts: 1, maxScore: 60, host: 'lnx' },
      { path: 'C:\\Windows\\System32\\kernel32.dll', count: 1, hosts: 1, maxScore: 50, host: 'WS2' },
      { path: `C:\\Windows\\System32\\${KELVIN}ernel32.dll`, count: 1, hosts: 1, maxScore: 50, host: 'WS1' },
    ]);
  });

  test('a Top files row filters the findings by every spelling of a Windows path, by the exact POSIX path', () => {
    const a = analyzeLoki([fileResult('a.log', [], findings)]);
    const store = new TableStore(a.findings, lokiFindingColumns('UTC', a.files));
    assert.equal(store.window({ facets: { path: 'C:\\Windows\\System32\\x.exe' } }, 0, 10).total, 3);
    assert.equal(store.window({ facets: { path: '\\\\FS01\\Share\\tool.exe' } }, 0, 10).total, 2);
    assert.equal(store.window({ facets: { path: '/tmp/a' } }, 0, 10).total, 1);
    assert.equal(store.window({ facets: { path: 'C:\\Windows\\System32\\kernel32.dll' } }, 0, 10).total, 1);
  });

  test('path-case helpers: NTFS folding (upper case, one unit for one, never across ASCII)', () => {
    assert.equal(isWindowsPath('C:\\x'), true);
    assert.equal(isWindowsPath('d:/x'), true);
    assert.equal(isWindowsPath('\\\\srv\\s'), true);
    assert.equal(isWindowsPath('\\\\?\\C:\\x'), true);
    assert.equal(isWindowsPath('/tmp/x'), false);
    assert.equal(isWindowsPath('.\\x'), false);
    assert.equal(isWindowsPath('C:x'), false);
    assert.equal(pathGroupKey('/tmp/x'), '/tmp/x');
    assert.equal(pathGroupKey('C:\\Users\\ärger.txt'), 'C:\\USERS\\ÄRGER.TXT');
    // one code unit for one: ß (upper case "SS", two units) is kept
    assert.equal(foldCase('c:\\ß'), 'C:\\ß');
    // lookalikes are other files on NTFS: the Kelvin sign (lower case "k" in JavaScript), the long s and the
    // dotless i (upper case ASCII "S", "I") are not folded into the ASCII letters
    assert.equal(samePath(`C:\\Windows\\System32\\${KELVIN}ernel32.dll`, 'C:\\Windows\\System32\\kernel32.dll'), false);
    assert.equal(samePath('C:\\\u017Fvchost.exe', 'C:\\svchost.exe'), false);
    assert.equal(samePath('C:\\w\u0131n.exe', 'C:\\WIN.EXE'), false);
    assert.equal(samePath(`C:\\${KELVIN}ernel32.dll`, `c:\\${KELVIN}ernel32.DLL`), true);
    assert.equal(samePath('C:\\Ä', 'c:\\ä'), true);
    assert.equal(samePath('\\\\FS01\\S', '\\\\fs01\\s'), true);
    assert.equal(samePath('/a', '/A'), false);
    assert.equal(samePath('.\\a', '.\\A'), false);
  });

  test('the parser\'s path hash: one for every spelling of a Windows path, from the string and from the bytes; exact otherwise', () => {
    const h = pathHash('C:\\Windows\\System32\\x.exe');
    assert.equal(pathHash('c:\\WINDOWS\\system32\\X.EXE'), h);
    assert.equal(pathHashBytes(Buffer.from('..c:\\windows\\SYSTEM32\\x.Exe', 'latin1'), 2, 27), h);
    assert.equal(pathHash('\\\\fs01\\share\\a'), pathHash('\\\\FS01\\SHARE\\A'));
    assert.equal(pathHash('C:\\ä'), pathHash('c:\\Ä'));
    assert.equal(pathHashBytes(Buffer.from('c:\\\u00e4', 'latin1'), 0, 4), pathHash('C:\\Ä'));
    assert.notEqual(pathHash('/tmp/a'), pathHash('/tmp/A'));
    assert.notEqual(pathHash(`C:\\${KELVIN}`), pathHash('C:\\k'));
    // the hash is FNV-1a of the folded text
    assert.equal(pathHash('c:\\x'), pathHashOfText('C:\\X'));
  });

  test('the path tally merges spellings of one hash under folding, keeps colliding paths apart, marks the merged ids', () => {
    const rows = ['C:\\A', 'c:\\a', '/x', '/X', 'D:\\b', 'C:\\A'];
    const t = new PathTally(10, (row) => rows[row], 1);
    rows.forEach((p, i) => t.add(i, p, pathHash(p), i, 1));
    assert.equal(t.size, 4);
    assert.deepEqual(Array.from({ length: t.size }, (_, id) => t.spelt(id)), [true, false, false, false]);
    assert.equal(t.count(0), 3);
    assert.equal(t.hosts(0), 3);
    // every hash equal (a collision): the texts still decide, under folding for Windows paths only
    const c = new PathTally(10, (row) => rows[row], 1);
    rows.forEach((p, i) => c.add(i, p, 7, 0, 1));
    assert.deepEqual(Array.from({ length: c.size }, (_, id) => [c.path(id), c.count(id)]), [['C:\\A', 3], ['/x', 1], ['/X', 1], ['D:\\b', 1]]);
  });
});

/** FNV-1a of the UTF-16 units of `s`, as they are. */
function pathHashOfText(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

describe('Top files and the hash view on real Loki logs', () => {
  test('the real logs (no mixed-case paths) keep their 18 Top files rows', async () => {
    const a = await runLokiAnalysis([REAL]);
    assert.equal(a.topFiles.length, 18);
    assert.deepEqual(a.topFiles[0], { path: 'C:\\Users\\jdoe\\configuration', count: 2, hosts: 1, maxScore: 80, host: 'DS1' });
  });

  test('a real file spelt in another case on a second host is one Top files row, and one path of its hash', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-case-'));
    try {
      const text = fs.readFileSync(path.join(REAL, 'scan_result (1).log'), 'latin1');
      fs.writeFileSync(path.join(dir, 'ds-ser1.log'), text, 'latin1');
      // the same log from two more hosts with the path in upper case (as a process list or a differently-cased
      // folder walk gives it)
      const upper = text.replace('C:\\Program Files\\WinPcap\\Uninstall.exe', 'C:\\PROGRAM FILES\\WINPCAP\\UNINSTALL.EXE');
      fs.writeFileSync(path.join(dir, 'ds-ser2.log'), upper.replace(/DS-SER1/g, 'DS-SER2'), 'latin1');
      fs.writeFileSync(path.join(dir, 'ds-ser3.log'), upper.replace(/DS-SER1/g, 'DS-SER3'), 'latin1');
      const a = await runLokiAnalysis([dir]);
      const rows = a.topFiles.filter((x) => /winpcap/i.test(x.path));
      // first seen in mixed case, more often in upper case: shown in upper case
      assert.deepEqual(rows, [{ path: 'C:\\PROGRAM FILES\\WINPCAP\\UNINSTALL.EXE', count: 3, hosts: 3, maxScore: 70, host: 'DS-SER1' }]);
      const h = a.hashes.find((x) => x.hash === '348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede')!;
      assert.equal(h.pathCount, 1);
      assert.deepEqual(h.paths, ['C:\\PROGRAM FILES\\WINPCAP\\UNINSTALL.EXE']);
      // the row's click: the findings of every spelling
      const store = new TableStore(a.findings.slice(), lokiFindingColumns('UTC', a.files));
      assert.equal(store.window({ facets: { path: rows[0].path } }, 0, 10).total, 3);
      assert.equal(store.window({ facets: { path: 'C:\\Program Files\\WinPcap\\Uninstall.exe' } }, 0, 10).total, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a real path with a Kelvin sign on a second host stays a file of its own', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-case-'));
    try {
      const text = fs.readFileSync(path.join(REAL, 'scan_result (1).log'), 'utf8');
      fs.writeFileSync(path.join(dir, 'ds-ser1.log'), text, 'utf8');
      // non-ASCII: the parser builds this finding as an object (its hash from the string); the ASCII one in columns
      const p = 'C:\\Program Files\\WinPcap\\Uninstall.exe';
      fs.writeFileSync(path.join(dir, 'ds-ser2.log'), text.replace(/DS-SER1/g, 'DS-SER2').replace(p, `C:\\Program Files\\WinPcap\\${KELVIN}ernel32.dll`), 'utf8');
      fs.writeFileSync(path.join(dir, 'ds-ser3.log'), text.replace(/DS-SER1/g, 'DS-SER3').replace(p, 'c:\\program files\\winpcap\\kernel32.DLL'), 'utf8');
      const a = await runLokiAnalysis([dir]);
      const rows = a.topFiles.filter((x) => /winpcap/i.test(x.path)).map((x) => [x.path, x.count, x.hosts]);
      assert.deepEqual(rows.sort(), [
        ['C:\\Program Files\\WinPcap\\Uninstall.exe', 1, 1],
        [`C:\\Program Files\\WinPcap\\${KELVIN}ernel32.dll`, 1, 1],
        ['c:\\program files\\winpcap\\kernel32.DLL', 1, 1],
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
