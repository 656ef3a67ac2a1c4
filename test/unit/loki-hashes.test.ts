/**
 * The hash view (IOC pivot: findings by file hash across hosts): real Loki logs
 * (data/loki/real-2021-2022: a WinPcap uninstaller with one SHA256 on two hosts under two folders),
 * hand-built findings (strongest hash, letter case, Windows paths of one file), the dashboard's Hashes
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
import { HASHES_LIMIT, HASH_PATHS_SHOWN } from '../../src/core/analyze/hash-tally';
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
    assert.equal(t.title, 'Hashes (14; the same file across hosts)');
    assert.equal(t.rows.length, 14);
    const col = (id: string) => t.columns.findIndex((c) => c.id === id);
    assert.equal(t.rows[0][col('hash')], WINPCAP);
    assert.equal(t.rows[0][col('hosts')], 2);
    assert.equal(t.rows[0][col('paths')], 'C:\\Program Files (x86)\\WinPcap\\Uninstall.exe | C:\\Program Files\\WinPcap\\Uninstall.exe');
    assert.equal(t.rows[0][col('md5')], 'c0f94449e113fa3f7eb420c64108b58b');
    assert.deepEqual(t.rowFacets![0], { sha256: WINPCAP });
    const store = new TableStore(a.findings.slice(), lokiFindingColumns('UTC', a.files));
    const w = store.window({ facets: t.rowFacets![0] }, 0, 10);
    assert.equal(w.total, 2);
    const host = lokiFindingColumns('UTC').findIndex((c) => c.id === 'host');
    assert.deepEqual(w.rows.map((r) => r[host]).sort(), ['DS-SER1', 'DS1']);
  });

  test('CLI: a Top hashes section and --json hashes', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0);
    assert.match(c.out(), /\nTop hashes \(10 of 14\): the same file across hosts\n/);
    assert.match(c.out(), new RegExp(` +2 +2 +70 +WARNING +SHA256 +${WINPCAP} +C:\\\\Program Files \\(x86\\)\\\\WinPcap\\\\Uninstall\\.exe \\(\\+1 more\\) +S149_WinPcap\\n`));
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
    assert.match(r.stdout, new RegExp(`Top hashes \\(10 of 14\\)[^\\n]*\\n[^\\n]*\\n +2 +2 +70 +WARNING +SHA256 +${WINPCAP} `));
  });

  test('Markdown summary: a Top hashes section', async () => {
    const a = await runLokiAnalysis([REAL]);
    const md = lokiMarkdown(a, { title: 'x', zone: 'UTC' });
    assert.match(md, /## Top hashes \(10 of 14\)\n/);
    assert.match(md, new RegExp(`\\| ${WINPCAP} \\| SHA256 \\| 2 \\| 2 \\| 70 \\|`));
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
      maxScore: 120,
      maxLevel: 'ALERT',
      // C:\a.exe and c:\A.EXE are one file (Windows), shown as the most common spelling (the first seen among equals)
      pathCount: 2,
      paths: ['C:\\a.exe', 'C:\\b.exe'],
      ruleCount: 3,
      // R1 counted once for the finding that names it twice
      rules: ['R2', 'R1', 'R3'],
    });
    assert.deepEqual(a.hashes[1], { hash: 'e'.repeat(32), type: 'MD5', count: 1, hosts: 1, maxScore: 70, maxLevel: 'WARNING', pathCount: 1, paths: ['/tmp/m'], ruleCount: 0, rules: [] });
  });

  test(`at most ${HASHES_LIMIT} hashes (most hosts first); the tab says "first 1000 of N"; ${HASH_PATHS_SHOWN} paths listed per hash`, () => {
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
    assert.equal(t.title, `Hashes (first ${HASHES_LIMIT} of ${HASHES_LIMIT + 5}; the same file across hosts)`);
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
});
