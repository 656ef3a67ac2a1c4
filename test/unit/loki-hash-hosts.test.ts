/**
 * The hash view names its hosts (analyst trial: "which hosts hold 348e87…" needed --json and jq): real Loki logs
 * (data/loki/real-2021-2022: the WinPcap uninstaller's SHA256 on DS1 and DS-SER1), hand-built findings (order of
 * the names, at most 5 named); the CLI's Top hashes rows (host names, the other hashes on a line of their own,
 * FINDINGS / MAX LEVEL), --json, the Markdown table (host names, Max level, other hashes), the dashboard's Hashes
 * tab (short title, Host names column, hashes in monospace); the text report lists every skipped file with its
 * reason, the Markdown summary names the files it could not read.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { analyzeLoki } from '../../src/core/analyze/loki-summary';
import { buildLokiDashboard } from '../../src/core/analyze/loki-dashboard';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { HASH_HOSTS_SHOWN, hashHostsText } from '../../src/core/analyze/hash-tally';
import { lokiMarkdown } from '../../src/core/export/markdown-summary';
import { LOKI_USAGE, main, type CliIO } from '../../src/cli/cli';
import { capture } from './cli-capture';
import { fileResult, finding, sampleResults } from './loki-fixtures';
import type { LokiFinding } from '../../src/core/model/loki';

const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const WINPCAP = '348e87f7ecdb9e2d600370029a95a31dd3172d29454fcd4afaee8199285b0ede';
const WINPCAP_MD5 = 'c0f94449e113fa3f7eb420c64108b58b';
const WINPCAP_SHA1 = '2fc0779b5c0d560b4a085e452898b64775c9c3a6';

describe('hash view: host names (real Loki logs)', () => {
  test('the WinPcap SHA256 names DS-SER1 and DS1 (one finding each: by name, as the Hosts table); fx1.exe names DS1', async () => {
    const a = await runLokiAnalysis([REAL]);
    assert.deepEqual(a.hashes[0].hostNames, ['DS-SER1', 'DS1']);
    assert.equal(hashHostsText(a.hashes[0]), 'DS-SER1, DS1');
    assert.deepEqual(a.hashes.find((h) => h.hash.startsWith('6b83aec2'))!.hostNames, ['DS1']);
    // every hash names all its hosts (none here is on more than 5)
    for (const h of a.hashes) assert.equal(h.hostNames.length, h.hosts, h.hash);
  });

  test('CLI text: Top hashes rows name the hosts, the MD5 and SHA1 follow on an indented line; FINDINGS and MAX LEVEL', async () => {
    const c = capture();
    assert.equal(await main(['loki', REAL], c.io), 0);
    const out = c.out();
    const sec = out.slice(out.indexOf('\nTop hashes'));
    assert.match(sec, /\nHOSTS {2}HOST NAMES +FINDINGS {2}MAX SCORE {2}MAX LEVEL {2}TYPE +HASH +PATH +RULES\n/);
    assert.match(sec, new RegExp(`\\n +2 {2}DS-SER1, DS1 +2 +70 {2}WARNING +SHA256 {2}${WINPCAP} {2}C:\\\\Program Files \\(x86\\)\\\\WinPcap\\\\Uninstall\\.exe \\(\\+1 more\\) +S149_WinPcap\\n {6}MD5 ${WINPCAP_MD5} {2}SHA1 ${WINPCAP_SHA1}\\n`));
    // the MD5 of an IOC feed can be grepped in the report
    assert.ok(out.split('\n').some((l) => l.trim() === `MD5 ${WINPCAP_MD5}  SHA1 ${WINPCAP_SHA1}`));
    // the other tables say FINDINGS too
    assert.match(out, /\nFINDINGS {2}ALERTS {2}WARNINGS {2}NOTICES {2}HOSTS {2}MAX LEVEL {2}KIND +DESCRIPTION +RULE\n/);
    assert.match(out, /\nFINDINGS {2}HOSTS {2}HOST +MAX SCORE {2}PATH\n/);
    assert.doesNotMatch(out, /\bCOUNT\b/);
  });

  test('--json: hostNames of each hash; --help names hashes and hashesTotal', async () => {
    const j = capture();
    assert.equal(await main(['loki', REAL, '--json'], j.io), 0);
    const doc = JSON.parse(j.out());
    assert.deepEqual(doc.hashes[0].hostNames, ['DS-SER1', 'DS1']);
    assert.equal(doc.hashes[0].hosts, 2);
    assert.match(LOKI_USAGE, /--json +print one JSON object \(summary, hosts, findings, rules, hashes, hashesTotal, errors, …\)/);
  });

  test('Markdown: Top hashes with host names, Max level and the other hashes', async () => {
    const a = await runLokiAnalysis([REAL]);
    const md = lokiMarkdown(a, { title: 'x', zone: 'UTC' });
    assert.match(md, /\| Hash \| Type \| Hosts \| Findings \| Max score \| Max level \| Paths \| Rules \| Other hashes \|\n/);
    assert.ok(
      md.includes(`| ${WINPCAP} | SHA256 | 2: DS-SER1, DS1 | 2 | 70 | WARNING | C:\\Program Files (x86)\\WinPcap\\Uninstall.exe \\| C:\\Program Files\\WinPcap\\Uninstall.exe | S149_WinPcap | MD5 ${WINPCAP_MD5}, SHA1 ${WINPCAP_SHA1} |`),
      md.slice(md.indexOf('## Top hashes')),
    );
  });

  test('dashboard: the tab is "Hashes" (its badge counts), a Host names column, hashes in monospace', async () => {
    const a = await runLokiAnalysis([REAL]);
    const t = buildLokiDashboard(a, 'x', 'UTC').tables.find((x) => x.id === 'hashes')!;
    assert.equal(t.title, 'Hashes');
    const col = (id: string) => t.columns.findIndex((c) => c.id === id);
    assert.equal(t.rows[0][col('hostNames')], 'DS-SER1, DS1');
    assert.equal(t.columns[col('hostNames')].title, 'Host names');
    assert.deepEqual(t.columns.filter((c) => c.mono).map((c) => c.id), ['hash', 'md5', 'sha1']);
    assert.equal(t.rows[0][col('md5')], WINPCAP_MD5);
  });
});

describe('hash view: host names (hand-built findings)', () => {
  const sha = 'ab'.repeat(32);
  const f = (host: string, line: number): LokiFinding => finding({ host, level: 'WARNING', score: 60, path: `C:\\${line}.exe`, sha256: sha, scanIndex: -1, source: { file: 'x', line } });

  test(`at most ${HASH_HOSTS_SHOWN} named, most findings first, then by name (letter case ignored); the text says how many more`, () => {
    // findings per host: h7 3, B 2, a 2, c 1, D 1, e 1, f 1
    const hosts = ['h7', 'h7', 'h7', 'B', 'B', 'a', 'a', 'f', 'e', 'D', 'c'];
    const a = analyzeLoki([fileResult('a.log', [], hosts.map((h, i) => f(h, i + 1)))]);
    assert.equal(a.hashes[0].hosts, 7);
    assert.deepEqual(a.hashes[0].hostNames, ['h7', 'a', 'B', 'c', 'D']);
    assert.equal(hashHostsText(a.hashes[0]), 'h7, a, B, c, D … +2 more');
    const t = buildLokiDashboard(a, 'x', 'UTC').tables.find((x) => x.id === 'hashes')!;
    assert.equal(t.rows[0][t.columns.findIndex((c) => c.id === 'hostNames')], 'h7, a, B, c, D … +2 more');
  });
});

describe('Loki reports name what they left out', () => {
  const skipped = Array.from({ length: 12 }, (_, i) => ({ file: `/cases/skip${i}.bin`, reason: i === 0 ? 'not a Loki log (binary)' : 'duplicate of /cases/a.log' }));
  const run: CliIO['run'] = async () => ({ ...analyzeLoki(sampleResults()), skipped });

  test('text report: every skipped file with its reason (the first 10, then how many more)', async () => {
    const c = capture({ run });
    assert.equal(await main(['loki', REAL], c.io), 0);
    const out = c.out();
    const lines = [`12 files skipped:`, `  /cases/skip0.bin: not a Loki log (binary)`, ...Array.from({ length: 9 }, (_, i) => `  /cases/skip${i + 1}.bin: duplicate of /cases/a.log`), '  … and 2 more (see --json)'];
    assert.ok(out.endsWith(lines.join('\n') + '\n'), out.slice(-800));
  });

  test('Markdown: a file error names its file and error', () => {
    const md = lokiMarkdown(analyzeLoki(sampleResults()), { title: 'x', zone: 'UTC' });
    assert.match(md, /- Left out: [^\n]*1 file error — b\.log: binary content skipped/);
  });
});
