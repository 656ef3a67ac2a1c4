/**
 * The Results tree (side panel) for Loki hosts: a host without findings whose scanner reported errors is a warning
 * (`Incomplete scan (scanner errors)`, as in the dashboard and the CLI), not a green check. The real AD scan
 * (shared/data/loki/real-2021-2022) has no finding but Loki could not read 4 YARA rule files.
 *
 * The tree code (src/extension/kinds/loki.ts) imports `vscode`; it is bundled here with esbuild (`vscode`
 * external) and loaded with a stand-in `vscode` whose ThemeIcon/ThemeColor record their ids.
 */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import Module from 'node:module';
import { buildSync } from 'esbuild';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { distinguishingFolders, distinguishingTimes, lokiHostNode } from '../../src/core/analyze/loki-tree';
import type { LokiAnalysis } from '../../src/core/analyze/loki-summary';
import { findingsArray } from '../../src/core/parse/loki-store';

const ROOT = path.resolve(__dirname, '../../..');
const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');

class ThemeColor {
  constructor(readonly id: string) {}
}
class ThemeIcon {
  constructor(readonly id: string, readonly color?: ThemeColor) {}
}

interface Node {
  key: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon?: ThemeIcon;
}

/** `lokiKind` of src/extension/kinds/loki.ts, bundled and loaded with the stand-in `vscode`. */
function loadLokiKind(): { children(a: Pick<LokiAnalysis, 'hosts'> & Partial<Pick<LokiAnalysis, 'findings'>>, id: string, parent: string | undefined, s: { maxChildren: number }): Node[] } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'soc-tree-')), 'loki-kind.js');
  // mainFields: jsonc-parser's ES module build (its UMD main loads ./impl/format at run time, which a bundle cannot)
  buildSync({ entryPoints: [path.join(ROOT, 'src/extension/kinds/loki.ts')], bundle: true, platform: 'node', format: 'cjs', mainFields: ['module', 'main'], external: ['vscode'], outfile: out, logLevel: 'silent' });
  const M = Module as unknown as { _load: (req: string, parent: unknown, isMain: boolean) => unknown };
  const load = M._load;
  M._load = (req, parent, isMain) => (req === 'vscode' ? { ThemeIcon, ThemeColor } : load(req, parent, isMain));
  try {
    return (require(out) as { lokiKind: ReturnType<typeof loadLokiKind> }).lokiKind;
  } finally {
    M._load = load;
  }
}

describe('Results tree: Loki host verdicts', () => {
  it('lokiHostNode: the real AD host (no finding, 4 scanner errors) is a warning: Incomplete scan', async () => {
    const a = await runLokiAnalysis([REAL]);
    const ad = a.hosts.find((h) => h.host === 'AD')!;
    const n = lokiHostNode(ad);
    assert.deepEqual(n.icon, { id: 'question', color: 'editorWarning.foreground' });
    // not the icon of a suspicious host (the real Server1: 4 warnings)
    assert.notDeepEqual(n.icon, lokiHostNode({ ...ad, verdict: 'suspicious', warnings: 4, scanErrors: 0, incompleteByScannerErrors: undefined }).icon);
    assert.equal(n.description, '0 A / 0 W / 0 N · Incomplete scan (scanner errors) · 4 scanner errors');
    assert.match(n.tooltip, /^AD\nIncomplete scan \(scanner errors\): 0 alerts, 0 warnings, 0 notices\nLoki 0\.44\.2\n.*\n4 scanner errors: the scan may be incomplete/);
    // a clean host without scanner errors keeps the green check
    const clean = { ...ad, verdict: 'clean' as const, incompleteByScannerErrors: undefined, scanErrors: 0 };
    assert.deepEqual(lokiHostNode(clean).icon, { id: 'pass', color: 'testing.iconPassed' });
    assert.equal(lokiHostNode(clean).description, '0 A / 0 W / 0 N · Clean');
    // an analysis stored before the flag (AD clean, 4 scanner errors) reads the same
    assert.equal(lokiHostNode({ ...ad, verdict: 'clean', incompleteByScannerErrors: undefined }).description, '0 A / 0 W / 0 N · Incomplete scan (scanner errors) · 4 scanner errors');
  });

  it('the tree nodes of the real results: AD a question mark in the warning colour, the hosts with findings as before', async () => {
    const a = await runLokiAnalysis([REAL]);
    const nodes = loadLokiKind().children({ hosts: a.hosts }, 'x', undefined, { maxChildren: 100 }); // the top level reads only the hosts
    const look = nodes.map((n) => [n.label, n.icon?.id, n.icon?.color?.id, n.description]);
    const ad = look.find((x) => x[0] === 'AD');
    assert.deepEqual(ad, ['AD', 'question', 'editorWarning.foreground', '0 A / 0 W / 0 N · Incomplete scan (scanner errors) · 4 scanner errors']);
    assert.ok(!look.some((x) => x[1] === 'pass'), 'no green check: the only clean host had scanner errors');
    assert.deepEqual(look.find((x) => x[0] === 'DS1'), ['DS1', 'error', 'errorForeground', '6 A / 4 W / 1 N · Indicators detected']);
  });

  it("a host's findings: two files of one name in different folders are told apart by their folder (real DS1)", async () => {
    const a = await runLokiAnalysis([REAL]);
    const nodes = loadLokiKind().children({ ...a, findings: findingsArray(a.findings) }, 'x', 'host:DS1', { maxChildren: 100 }); // the host holds them as objects
    const byLabel = (l: string) => nodes.filter((n) => n.label === l).map((n) => n.description);
    // the new user's trial: two "fx1.exe", two "pwer.cs" and two "configuration" rows that looked the same
    assert.deepEqual(byLabel('fx1.exe').sort(), [
      'ALERT 145 · …\\Documents · EquationDrug_HDDSSD_Op_RID2F2E, EquationDrug_HDDSSD_Op',
      'ALERT 145 · …\\Downloads · EquationDrug_HDDSSD_Op_RID2F2E, EquationDrug_HDDSSD_Op',
    ]);
    assert.equal(byLabel('pwer.cs').length, 2);
    assert.ok(byLabel('pwer.cs').every((d) => /^ALERT 140 · …\\(Downloads|Documents) · /.test(d ?? '')), String(byLabel('pwer.cs')));
    // every row: the level first (the side bar cuts the line after the file name)
    const once = nodes.filter((n) => n.key.startsWith('finding:'));
    assert.ok(once.length > 0 && once.every((n) => /^(ALERT|WARNING|NOTICE)\b/.test(n.description ?? '')), JSON.stringify(once.map((n) => n.description)));
  });

  it("a host's findings: one file found twice is told apart by its time, after the level and score (real DS1)", async () => {
    const a = await runLokiAnalysis([REAL]);
    const kind = loadLokiKind();
    const findings = findingsArray(a.findings);
    const rowsIn = (zone?: string) => kind.children({ ...a, findings }, 'x', 'host:DS1', { maxChildren: 100, zone } as { maxChildren: number });
    const conf = (zone?: string) => rowsIn(zone).filter((n) => n.label === 'configuration');
    // the new user's trial: `configuration WARNING 80 · …\jdoe · APT10_Malware_Sample_Gen` twice (18:50:46 and 18:52:04 UTC)
    assert.deepEqual(
      conf().map((n) => n.description),
      ['WARNING 80 · 18:50:46 · …\\jdoe · APT10_Malware_Sample_Gen', 'WARNING 80 · 18:52:04 · …\\jdoe · APT10_Malware_Sample_Gen'],
    );
    // within the first ~40 characters of the row (a ~300 px side bar): the file name, level, score and the time
    for (const n of conf()) assert.ok(`${n.label} ${n.description}`.indexOf(':') < 40 && `${n.label} ${n.description}`.length > 30);
    // in the display zone; the full time (with its zone) and the log line in the tooltip
    assert.deepEqual(
      conf('Europe/Berlin').map((n) => n.description?.split(' · ')[1]),
      ['19:50:46', '19:52:04'],
    );
    assert.match(conf('Europe/Berlin')[0].tooltip ?? '', /^C:\\Users\\jdoe\\configuration\nWARNING score 80\nAPT10_Malware_Sample_Gen\n2022-01-19 19:50:46 \(Europe\/Berlin\)\n.*scan_result \(1\)\.csv:19$/);
    // rows that read differently get no time (the fx1.exe pair: its folders tell it apart)
    assert.ok(rowsIn().filter((n) => n.label === 'fx1.exe').every((n) => !/\d\d:\d\d:\d\d/.test(n.description ?? '')));
    const texts = rowsIn().filter((n) => n.key.startsWith('finding:')).map((n) => `${n.label} ${n.description}`);
    assert.equal(new Set(texts).size, texts.length, 'no two DS1 rows read the same');
  });

  it('distinguishingTimes: the time of day when enough, the date too when not; nothing for unique rows', () => {
    const t = (s: string) => Date.parse(`${s}Z`);
    assert.deepEqual(distinguishingTimes(['a', 'b', 'a'], [t('2022-01-19T18:50:46'), t('2022-01-19T18:51:00'), t('2022-01-19T18:52:04')], 'UTC'), ['18:50:46', '', '18:52:04']);
    // the same time of day on two dates
    assert.deepEqual(distinguishingTimes(['a', 'a'], [t('2022-01-19T18:50:46'), t('2022-01-20T18:50:46')], 'UTC'), ['2022-01-19 18:50:46', '2022-01-20 18:50:46']);
    // two dates but different times of day: the short form
    assert.deepEqual(distinguishingTimes(['a', 'a'], [t('2022-01-19T18:50:46'), t('2022-01-20T07:00:00')], 'UTC'), ['18:50:46', '07:00:00']);
    // no readable time: nothing
    assert.deepEqual(distinguishingTimes(['a', 'a'], [NaN, t('2022-01-19T18:50:46')], 'UTC'), ['', '18:50:46']);
    assert.deepEqual(distinguishingTimes([], [], 'UTC'), []);
  });

  it('distinguishingFolders: the fewest last folders that differ; the whole folder when needed; POSIX paths', () => {
    assert.deepEqual(distinguishingFolders(['C:\\a\\x\\f.exe', 'C:\\b\\x\\f.exe', 'C:\\b\\y\\F.EXE', 'C:\\g.exe']), ['…\\a\\x', '…\\b\\x', '…\\y', '']);
    // one path is another's parent folder chain: all of it is needed
    assert.deepEqual(distinguishingFolders(['C:\\x\\f', 'D:\\x\\f']), ['C:\\x', 'D:\\x']);
    assert.deepEqual(distinguishingFolders(['/tmp/a/run.sh', '/opt/a/run.sh', '/tmp/a/run.sh']), ['/tmp/a', '/opt/a', '/tmp/a']);
    assert.deepEqual(distinguishingFolders(['f.exe', 'f.exe']), ['', '']);
    assert.deepEqual(distinguishingFolders([]), []);
  });

  it('distinguishingFolders: a path written with a trailing separator gets its folder, not itself', () => {
    assert.deepEqual(distinguishingFolders(['C:\\x\\f\\', 'D:\\x\\f']), ['C:\\x', 'D:\\x']);
    assert.deepEqual(distinguishingFolders(['/srv/a/f/', '/opt/a/f']), ['/srv/a', '/opt/a']);
  });

  it('distinguishingFolders: a large group of one name (the tree shows up to 100,000 findings) is told apart per path', () => {
    // 20,000 copies of svchost.exe, one per user profile, some listed twice; a linear pass per depth, not a pair-wise scan
    const paths = Array.from({ length: 20_000 }, (_, i) => `C:\\Users\\u${i % 10_000}\\AppData\\svchost.exe`);
    paths.push('C:\\Windows\\System32\\SVCHOST.EXE');
    const out = distinguishingFolders(paths);
    assert.equal(out[0], '…\\u0\\AppData');
    assert.equal(out[10_000], '…\\u0\\AppData'); // the same path listed twice: the same folder
    assert.equal(out[19_999], '…\\u9999\\AppData');
    assert.equal(out[20_000], '…\\System32');
  });
});
