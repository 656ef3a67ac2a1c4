/**
 * The hash view (IOC pivot: findings by file hash across hosts): real Loki logs
 * (data/loki/real-2021-2022: a WinPcap uninstaller with one SHA256 on two hosts under two folders),
 * hand-built findings (strongest hash, letter case of the hash, keys that share bits), the dashboard's Hashes
 * tab and its drill-down, the CLI text and --json, the Markdown summary.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { HASHES_LIMIT, HASH_PATHS_SHOWN, tallyHashes } from '../../src/core/analyze/hash-tally';
import { columnsOf } from '../../src/core/parse/loki-store';
import { FF_HASH_HI, FF_HASH_LO, FF_NUMS, FF_SLOTS, hashKeyOfText, locateFileFinding } from '../../src/core/parse/python-messages';
import { TableStore } from '../../src/core/table/store';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { main } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { fileResult, finding, scan, yara } from './loki-fixtures';
import type { LokiFinding } from '../../src/core/model/loki';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const DIST = path.resolve(__dirname, '../../../dist/cli.js');
const WINPCAP = '348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede';

describe('hash view on real Loki logs', () => {
  test('the WinPcap uninstaller: one SHA256 on DS1 and DS-SER1 under two folders, first (most hosts)', async () => {
    const a = await runLokiAnalysis([REAL]);
    assert.equal(a.hashesTotal, 14);
    assert.deepEqual(a.hashes[0], {
      hash: WINPCAP,
      type: 'SHA256',
      md5: 'c0f94449e113fa3f7eb420c64108b58b',
      sha1: '2fc0779b5c0d560b4a085e452898b64775c9c3a6',
      count: 2,
      hosts: 2,
      hostNames: ['DS-SER1', 'DS1'],
      maxScore: 70,
      maxLevel: 'WARNING',
      pathCount: 2,
      paths: ['C:\\Program Files (x86)\\WinPcap\\Uninstall.exe', 'C:\\Program Files\\WinPcap\\Uninstall.exe'],
      ruleCount: 1,
      rules: ['S149_WinPcap'],
    });
    // fx1.exe: one file on DS1 in two folders, an ALERT (145), two YARA rules
    const fx1 = a.hashes.find((h) => h.hash === '6b83aec26ce8b99d638eaad118a0a2beee994b51679a2c26eeb2570fff5debbf')!;
    assert.equal(fx1.hosts, 1);
    assert.equal(fx1.count, 2);
    assert.equal(fx1.maxScore, 145);
    assert.equal(fx1.maxLevel, 'ALERT');
    assert.deepEqual(fx1.paths, ['C:\\Users\\Administrator\\Downloads\\fx1.exe', 'C:\\Users\\jdoe\\Documents\\fx1.exe']);
    assert.deepEqual(fx1.rules, ['EquationDrug_HDDSSD_Op_RID2F2E', 'EquationDrug_HDDSSD_Op']);
    // every finding of the logs has the three hashes: the hashes' counts add up to the findings
    assert.equal(a.hashes.reduce((n, h) => n + h.count, 0), a.findings.length);
  });

  test('read back from the columnar store, it equals the hash view of the same findings as objects', async () => {
    const a = await runLokiAnalysis([REAL]);
    const objects = analyzeLoki([fileResult('x.log', [], a.findings.slice().map((f) => ({ ...f, scanIndex: -1 })))]);
    assert.deepEqual(objects.hashes, a.hashes);
  });

  test('dashboard: a Hashes tab whose row filters the findings by its SHA256', async () => {
    const a = await runLokiAnalysis([REAL]);
    const t = buildLokiDashboard(a, 'x', 'UTC').tables.find((x) => x.id === 'hashes')!;
    assert.equal(t.title, 'Hashes');
    assert.equal(t.rows.length, 14);
    const col = (id: string) => t.columns.findIndex((c) => c.id === id);
    assert.equal(t.rows[0][col('hash')], WINPCAP);
    assert.equal(t.rows[0][col('hosts')], 2);
    assert.equal(t.rows[0][col('paths')], 'C:\\Program Files (x86)\\WinPcap\\Uninstall.exe | C:\\Program Files\\WinPcap\\Uninstall.exe');
    assert.equal(t.rows[0][col('md5')], 'c0f94449e113fa3f7eb420c64108b58b');
    assert.deepEqual(t.rowFacets![0], { hash: WINPCAP });
    const store = new TableStore(a.findings.slice(), lokiFindingColumns('UTC', a.files));
    const w = store.window({ facets: t.rowFacets![0] }, 0, 10);
    assert.equal(w.total, 2);
    const host = lokiFindingColumns('UTC').findIndex((c) => c.id === 'host');
    assert.deepEqual(w.rows.map((r) => r[host]).sort(), ['DS-SER1', 'DS1']);
  });

  test('CLI: a Top hashes section and --json hashes', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0);
    assert.match(c.out(), /\nTop hashes \(10 of 14\): findings with the same hash across hosts \(under one or more paths or processes\)\n/);
    assert.match(c.out(), new RegExp(` +2 +DS-SER1, DS1 +2 +70 +WARNING +SHA256 +${WINPCAP} +C:\\\\Program Files \\(x86\\)\\\\WinPcap\\\\Uninstall\\.exe \\(\\+1 more\\) +S149_WinPcap\\n`));
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.equal(doc.hashesTotal, 14);
    assert.equal(doc.hashes.length, 14);
    assert.deepEqual(doc.hashes[0], {
      hash: WINPCAP,
      type: 'SHA256',
      md5: 'c0f94449e113fa3f7eb420c64108b58b',
      sha1: '2fc0779b5c0d560b4a085e452898b64775c9c3a6',
      sha256: WINPCAP,
      hosts: 2,
      hostNames: ['DS-SER1', 'DS1'],
      count: 2,
      maxScore: 70,
      maxLevel: 'WARNING',
      pathCount: 2,
      paths: ['C:\\Program Files (x86)\\WinPcap\\Uninstall.exe', 'C:\\Program Files\\WinPcap\\Uninstall.exe'],
      ruleCount: 1,
      rules: ['S149_WinPcap'],
    });
  });

  test('built dist/cli.js prints the Top hashes section (npm run build first)', { skip: !fs.existsSync(DIST) }, () => {
    const r = spawnSync(process.execPath, [DIST, 'loki', REAL], { encoding: 'utf8' });
    assert.equal(r.status, 0);
    assert.match(r.stdout, new RegExp(`Top hashes \\(10 of 14\\)[^\\n]*\\n[^\\n]*\\n +2 +DS-SER1, DS1 +2 +70 +WARNING +SHA256 +${WINPCAP} `));
  });

  test('Markdown summary: a Top hashes section', async () => {
    const a = await runLokiAnalysis([REAL]);
    const md = lokiMarkdown(a, { title: 'x', zone: 'UTC' });
    assert.match(md, /## Top hashes \(10 of 14\)\n/);
    assert.match(md, new RegExp(`\\| ${WINPCAP} \\| SHA256 \\| 2: DS-SER1, DS1 \\| 2 \\| 70 \\| WARNING \\|`));
  });
});

const sha = (n: number, len = 64): string => n.toString(16).padStart(len, '0');
const f = (p: Partial<LokiFinding> & Pick<LokiFinding, 'host' | 'level'>, line: number): LokiFinding => finding({ ...p, source: { file: 'x', line } });

describe('hash view on hand-built findings', () => {
  test('keyed by the strongest hash (letter case ignored); MD5-only findings by their MD5; no hash, no entry', () => {
    const A = 'AB'.repeat(32);
    const r = fileResult('a.log', [scan({ host: 'H1' })], [
      f({ host: 'H1', level: 'ALERT', score: 120, path: 'C:\\a.exe', md5: 'c'.repeat(32), sha1: 'd'.repeat(40), sha256: A, reasons: [yara('R1'), yara('R1'), yara('R2')] }, 1),
      f({ host: 'H1', level: 'NOTICE', score: 45, path: 'C:\\b.exe', sha256: A.toLowerCase(), reasons: [yara('R2')] }, 2),
      f({ host: 'H1', level: 'WARNING', score: 70, path: '/tmp/m', md5: 'E'.repeat(32) }, 3),
      f({ host: 'H1', level: 'WARNING', score: 70, path: '/tmp/none' }, 4),
    ]);
    const b = fileResult('b.log', [scan({ host: 'h2' })], [f({ host: 'h2', level: 'WARNING', score: 60, path: 'c:\\A.EXE', sha256: A, reasons: [yara('R3')] }, 1)]);
    const a = analyzeLoki([r, b]);
    assert.equal(a.hashesTotal, 2);
    assert.deepEqual(a.hashes[0], {
      hash: A.toLowerCase(),
      type: 'SHA256',
      md5: 'c'.repeat(32),
      sha1: 'd'.repeat(40),
      count: 3,
      hosts: 2,
      hostNames: ['H1', 'h2'],
      maxScore: 120,
      maxLevel: 'ALERT',
      // paths as Top files counts them: c:\A.EXE is C:\a.exe in another letter case (shown as the first seen of
      // two equally common spellings), the file with the most findings first
      pathCount: 2,
      paths: ['C:\\a.exe', 'C:\\b.exe'],
      ruleCount: 3,
      // R1 counted once for the finding that names it twice
      rules: ['R2', 'R1', 'R3'],
    });
    assert.deepEqual(a.hashes[1], { hash: 'e'.repeat(32), type: 'MD5', count: 1, hosts: 1, hostNames: ['H1'], maxScore: 70, maxLevel: 'WARNING', pathCount: 1, paths: ['/tmp/m'], ruleCount: 0, rules: [] });
  });

  test(`at most ${HASHES_LIMIT} hashes (most hosts first); the tab says "first 1,000 of N"; ${HASH_PATHS_SHOWN} paths listed per hash`, () => {
    const fs1: LokiFinding[] = [];
    for (let i = 0; i < HASHES_LIMIT + 5; i++) fs1.push(f({ host: 'H1', level: 'NOTICE', score: 40, path: `/p/${i}`, sha256: sha(i) }, i + 1));
    // hash 7 on 3 hosts, under 7 paths
    for (let k = 0; k < 6; k++) fs1.push(f({ host: `H${2 + (k % 2)}`, level: 'ALERT', score: 100, path: `/q/${k}`, sha256: sha(7) }, 5000 + k));
    const a = analyzeLoki([fileResult('a.log', [], fs1.map((x) => ({ ...x, scanIndex: -1 })))]);
    assert.equal(a.hashesTotal, HASHES_LIMIT + 5);
    assert.equal(a.hashes.length, HASHES_LIMIT);
    assert.equal(a.hashes[0].hash, sha(7));
    assert.equal(a.hashes[0].hosts, 3);
    assert.equal(a.hashes[0].pathCount, 7);
    assert.deepEqual(a.hashes[0].paths, ['/p/7', '/q/0', '/q/1', '/q/2', '/q/3']);
    const t = buildLokiDashboard(a, 'x', 'UTC').tables.find((x) => x.id === 'hashes')!;
    assert.equal(t.title, 'Hashes (first 1,000 of 1,005)');
    assert.equal(HASHES_LIMIT, 1000);
    assert.equal(t.rows.length, HASHES_LIMIT);
    assert.equal(t.rows[0][t.columns.findIndex((c) => c.id === 'paths')], '/p/7 | /q/0 | /q/1 | /q/2 | /q/3 … and 2 more');
  });

  test('hash text is only text: a hostile hash value stays a value (no markup made of it)', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const a = analyzeLoki([fileResult('a.log', [], [f({ host: 'H1', level: 'ALERT', path: 'C:\\x', sha256: evil, scanIndex: -1 }, 1)])]);
    assert.equal(a.hashes[0].hash, evil.toLowerCase());
    const t = buildLokiDashboard(a, 'x', 'UTC').tables.find((x) => x.id === 'hashes')!;
    assert.equal(t.rows[0][0], evil.toLowerCase());
  });

  test('numeric keys: two hashes that share type and first 25 hex digits stay two entries; an MD5 that starts a SHA256 sorts first', () => {
    const p25 = '0123456789abcdef012345678';
    const s1 = p25 + '1'.repeat(39);
    const s2 = p25 + '2'.repeat(39);
    const m = (p25 + '9'.repeat(39)).slice(0, 32);
    const m256 = m + '0'.repeat(32); // a SHA256 whose first 32 digits are the MD5
    const a = analyzeLoki([fileResult('a.log', [], [
      f({ host: 'H1', level: 'ALERT', score: 90, path: 'C:\\1', sha256: s1, scanIndex: -1 }, 1),
      f({ host: 'H1', level: 'ALERT', score: 90, path: 'C:\\2', sha256: s2.toUpperCase(), scanIndex: -1 }, 2),
      f({ host: 'H1', level: 'ALERT', score: 90, path: 'C:\\3', sha256: m256, scanIndex: -1 }, 3),
      f({ host: 'H1', level: 'ALERT', score: 90, path: 'C:\\4', md5: m, scanIndex: -1 }, 4),
    ])]);
    assert.equal(a.hashesTotal, 4);
    assert.deepEqual(a.hashes.map((h) => [h.hash, h.count]), [[s1, 1], [s2, 1], [m, 1], [m256, 1]]);
  });

  test('hashes whose numeric keys share the 32 bits the positions are sorted by are still told apart (by the whole key)', () => {
    // the sort key is digits 5-12 xor digits 18-25: hashes that differ only in digits 1-4 share it
    const tail = '56789abc' + 'def01' + '23456789' + '0'.repeat(39);
    const h1 = '1111' + tail;
    const h2 = '2222' + tail;
    const h3 = '3333' + tail;
    const a = analyzeLoki([fileResult('a.log', [], [
      f({ host: 'H1', level: 'WARNING', score: 60, path: '/a', sha256: h2, scanIndex: -1 }, 1),
      f({ host: 'H1', level: 'ALERT', score: 100, path: '/b', sha256: h1, scanIndex: -1 }, 2),
      f({ host: 'H2', level: 'NOTICE', score: 40, path: '/c', sha256: h2, scanIndex: -1 }, 3),
      f({ host: 'H3', level: 'NOTICE', score: 40, path: '/d', sha256: h2, scanIndex: -1 }, 4),
      f({ host: 'H2', level: 'NOTICE', score: 50, path: '/e', sha256: h3.toUpperCase(), scanIndex: -1 }, 5),
      f({ host: 'H2', level: 'WARNING', score: 70, path: '/f', sha256: h1, scanIndex: -1 }, 6),
    ])]);
    assert.equal(a.hashesTotal, 3);
    assert.deepEqual(a.hashes.map((h) => [h.hash, h.count, h.hosts, h.maxScore, h.maxLevel, h.paths]), [
      [h2, 3, 3, 60, 'WARNING', ['/a', '/c', '/d']],
      [h1, 2, 2, 100, 'ALERT', ['/b', '/f']],
      [h3, 1, 1, 50, 'NOTICE', ['/e']],
    ]);
  });

  test('a fleet of hashes of one finding each: the highest scores are kept, then the lowest hashes; the total counts them all', () => {
    const fs1: LokiFinding[] = [];
    const rsha = (i: number): string => [...sha(i * 7919)].reverse().join('');
    for (let i = 0; i < 3 * HASHES_LIMIT; i++) fs1.push(f({ host: `H${i % 5}`, level: 'NOTICE', score: i % 3 === 0 ? 80 : 40, path: `/p/${i}`, sha256: rsha(i) }, i + 1));
    const a = analyzeLoki([fileResult('a.log', [], fs1.map((x) => ({ ...x, scanIndex: -1 })))]);
    assert.equal(a.hashesTotal, 3 * HASHES_LIMIT);
    assert.equal(a.hashes.length, HASHES_LIMIT);
    // the 1,000 findings scored 80, in hash order
    const want = fs1.filter((x) => x.score === 80).map((x) => x.sha256!).sort();
    assert.deepEqual(a.hashes.map((h) => h.hash), want);
  });

  test('hashes of one finding each, MD5s and SHA256s at one score: the lowest by their digits are kept, whatever their type', () => {
    // the numeric key's high word is type × 2^48 + digits 1-12: the type must not order them (hash-tally's digitsOf)
    const fs1: LokiFinding[] = [];
    const rsha = (i: number): string => [...sha(i * 7919)].reverse().join('');
    for (let i = 0; i < 2 * HASHES_LIMIT; i++) {
      const h = rsha(i);
      fs1.push(f({ host: `H${i % 5}`, level: 'NOTICE', score: 40, path: `/p/${i}`, ...(i % 2 === 0 ? { md5: h.slice(0, 32) } : { sha256: h }) }, i + 1));
    }
    const a = analyzeLoki([fileResult('a.log', [], fs1.map((x) => ({ ...x, scanIndex: -1 })))]);
    assert.equal(a.hashesTotal, 2 * HASHES_LIMIT);
    const want = fs1.map((x) => x.md5 ?? x.sha256!).sort().slice(0, HASHES_LIMIT);
    assert.ok(want.some((h) => h.length === 32) && want.some((h) => h.length === 64));
    assert.deepEqual(a.hashes.map((h) => h.hash), want);
  });

  test('only the kept hashes\' findings are read back (one read each), not every finding', () => {
    const fs1: LokiFinding[] = [];
    const rsha = (i: number): string => [...sha(i)].reverse().join(''); // digests differ in their first digits
    for (let i = 0; i < HASHES_LIMIT + 500; i++) fs1.push(f({ host: `H${i % 3}`, level: 'NOTICE', score: 40 + (i % 7), path: `/p/${i}`, md5: rsha(i).slice(0, 32), sha1: rsha(i).slice(0, 40), sha256: rsha(i) }, i + 1));
    const cols = columnsOf(fs1);
    let reads = 0;
    const v = { ...cols, length: fs1.length, hashKeyAt: (i: number) => (reads++, cols.hashKeyAt(i)), hashesAt: (i: number) => (reads++, cols.hashesAt(i)) };
    const t = tallyHashes(v, (i) => i % 3, 3, () => '', (h) => `H${h}`);
    assert.equal(t.total, HASHES_LIMIT + 500);
    assert.equal(t.hashes.length, HASHES_LIMIT);
    assert.equal(reads, HASHES_LIMIT);
    // the same entries as the findings' analysis gives
    assert.deepEqual(t.hashes, analyzeLoki([fileResult('a.log', [], fs1.map((x) => ({ ...x, scanIndex: -1 })))]).hashes);
  });

  test('the parser keeps the strongest hash\'s numeric key (type and first 25 digits, any letter case); NaN without hashes', () => {
    const md5 = 'c0f94449e113fa3f7eb420c64108b58b';
    const sha1 = '2fc0779b5c0d560b4a085e452898b64775c9c3a6';
    const msg = (h: string) => `FILE: C:\\x.exe SCORE: 70 TYPE: EXE SIZE: 10 FIRST_BYTES: 4d5a / MZ${h} CREATED: Mon Jan  1 00:00:00 2021 REASON_1: Yara Rule MATCH: R SUBSCORE: 70`;
    const key = (h: string) => {
      const out = new Float64Array(2);
      assert.ok(hashKeyOfText(h, out));
      return [...out];
    };
    const sl = new Int32Array(FF_SLOTS);
    const nu = new Float64Array(FF_NUMS);
    const cases: [string, number[]][] = [
      [` MD5: ${md5} SHA1: ${sha1} SHA256: ${WINPCAP.toUpperCase()}`, key(WINPCAP)],
      [` MD5: ${md5} SHA1: ${sha1}`, key(sha1)],
      [` MD5: ${md5.toUpperCase()}`, key(md5)],
      ['', [NaN, NaN]],
    ];
    for (const [h, want] of cases) {
      assert.ok(locateFileFinding(msg(h), sl, nu));
      assert.deepEqual([nu[FF_HASH_HI], nu[FF_HASH_LO]], want, h);
    }
    // the type is in the high word: 3 SHA256, 2 SHA1, 1 MD5 (times 2^48)
    assert.deepEqual([key(WINPCAP)[0], key(sha1)[0], key(md5)[0]].map((x) => Math.floor(x / 2 ** 48)), [3, 2, 1]);
    assert.equal(key(WINPCAP)[0] % 2 ** 48, 0x348e87f7ecdb);
    assert.equal(key(WINPCAP)[1], 0x9e2d600370029);
    assert.equal(hashKeyOfText('xyz', new Float64Array(2)), false);
  });
});
