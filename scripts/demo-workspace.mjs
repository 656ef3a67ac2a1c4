// The demo workspace of `npm run demo` (scripts/demo.mjs): copies of the sample data of every analysis kind, laid
// out as a user's workspace would be, so that each sample is read the way the extension reads it:
//   loki-results/, qradar/, zeek/, cases/kpi-small.csv, and the cases' tagging rules as .soc/tagging.json (the default
//   rules path socAnalytics.kpi.taggingRulesFile; a tagging.json beside the cases would be ignored by the analysis).
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The demo workspace's README.md: what each folder holds and which command reads it. */
const DEMO_GUIDE = `# SOC Analytics demo workspace

Copies of the sample data of every analysis (the originals are not touched). Right-click a folder in the Explorer
and pick the SOC command, or run it from the Command Palette (Ctrl+Shift+P, type "SOC"):

| folder | what it holds | command |
| --- | --- | --- |
| \`loki-results/\` | Loki scanner output of real scans (one file per endpoint scan) | SOC: Analyze Loki Results… |
| \`qradar/\` | a QRadar console export of March 2026: offenses, closing reasons, offense types, a Log Activity export | SOC: Analyze QRadar Offenses… |
| \`zeek/\` | one real day of Zeek conn logs (24 hourly gzipped files) | SOC: Detect Beacons… |
| \`cases/\` | 10 fictitious SOC cases (\`kpi-small.csv\`) | SOC: Analyze Cases (KPIs and Tags)…, then SOC: Generate KPI Report… |

Settings of this workspace (\`.vscode/settings.json\`): the Zeek sensor's public address is marked internal
(\`socAnalytics.beacons.internalSubnets\`) so that beacon detection has connection pairs to score, and the case KPIs
are computed as of 2026-03-10 12:00 UTC (\`socAnalytics.kpi.asOf\`). The cases' tagging rules are
\`.soc/tagging.json\`. Every dashboard shows its times in one display zone: *SOC: Set Display Time Zone…*.
`;

/**
 * Builds (or refreshes) the demo workspace `ws` from the repo `root` and the shared data folder `shared`.
 * Returns the folders written (name → source). `log` receives one line per step.
 */
export function buildDemoWorkspace({ root, shared, ws, log = () => {} }) {
  const samples = [
    // [folder in the workspace, candidate sources (first that exists wins)]
    ['loki-results', [join(shared, 'data/loki/real-2021-2022'), join(root, 'test/fixtures/loki')]],
    // the samples folder is one coherent console export (March 2026); public/ mixes unrelated sets from 2020-2026
    ['qradar', [join(shared, 'data/qradar/samples'), join(shared, 'data/qradar')]],
    // one real sensor day (24 hourly gzipped conn logs); data/zeek/json is an unrelated 2018 sample
    ['zeek', [join(shared, 'data/zeek/day-2024-04-19'), join(shared, 'data/zeek')]],
    ['cases', [join(root, 'test/fixtures/cases')]],
  ];
  const written = {};
  mkdirSync(ws, { recursive: true });
  for (const [name, sources] of samples) {
    const src = sources.find((d) => existsSync(d) && readdirSync(d).length > 0);
    if (!src) {
      log(`WARNING: no sample data for ${name} (looked in ${sources.join(', ')})`);
      continue;
    }
    rmSync(join(ws, name), { recursive: true, force: true }); // fresh copy each run (no stale files from older demos)
    cpSync(src, join(ws, name), { recursive: true });
    written[name] = src;
    log(`demo workspace: ${name}/ ← ${src}`);
  }
  // The cases' tagging rules go where the analysis reads them: .soc/tagging.json of the workspace.
  const rules = join(ws, 'cases', 'tagging.json');
  if (existsSync(rules)) {
    mkdirSync(join(ws, '.soc'), { recursive: true });
    const doc = JSON.parse(readFileSync(rules, 'utf8'));
    delete doc.$schema; // the extension's contributed schema covers .soc/tagging.json
    writeFileSync(join(ws, '.soc', 'tagging.json'), JSON.stringify(doc, null, 2) + '\n');
    rmSync(rules);
    log('demo workspace: .soc/tagging.json ← cases/tagging.json (the rules the cases analysis reads)');
  }
  // The fixtures' README is written for developers (which test asserts which number): the demo has its own guide.
  rmSync(join(ws, 'cases', 'README.md'), { force: true });
  writeFileSync(join(ws, 'README.md'), DEMO_GUIDE);
  // The sample Zeek sensor sits on a public address: mark it internal so beacon detection has pairs to score.
  // The sample cases are from March 2026: the KPIs are computed as of the time test/fixtures/cases/README.md
  // documents (backlog ages and SLA checks of open cases depend on it), so the demo shows the documented numbers.
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  writeFileSync(
    join(ws, '.vscode/settings.json'),
    JSON.stringify({ 'socAnalytics.beacons.internalSubnets': ['64.225.56.201/32'], 'socAnalytics.kpi.asOf': '2026-03-10T12:00:00Z' }, null, 2) + '\n',
  );
  return written;
}
