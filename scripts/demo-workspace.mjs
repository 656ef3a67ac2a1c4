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

/** The settings the demo needs in the workspace's .vscode/settings.json (see the guide above). */
export const DEMO_SETTINGS = { 'socAnalytics.beacons.internalSubnets': ['64.225.56.201/32'], 'socAnalytics.kpi.asOf': '2026-03-10T12:00:00Z' };

/**
 * Walks `text` as JSON with comments: calls `at(i)` for each character outside strings and comments, and returns the
 * text with each comment character made a space (same length; line breaks and strings kept).
 */
function jsoncScan(text, at = () => {}) {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = text[i + 1] === '/' ? text.indexOf('\n', i) : text.indexOf('*/', i + 2) + 2;
      const j = end < i + 2 ? text.length : end;
      out += text.slice(i, j).replace(/[^\n]/g, ' ');
      i = j - 1;
    } else {
      at(out.length);
      out += c;
    }
  }
  return out;
}

/**
 * `text` (a VS Code settings.json: JSON with comments and trailing commas) as plain JSON text of the same length: its
 * comments and trailing commas made spaces.
 */
export function jsoncToJson(text) {
  const commas = [];
  const plain = jsoncScan(text, (i) => text[i] === ',' && commas.push(i));
  const chars = [...plain];
  for (const i of commas) if (/^\s*[}\]]/.test(plain.slice(i + 1))) chars[i] = ' ';
  return chars.join('');
}

/**
 * The demo workspace's settings.json text: `before` (the file as the user has it, or undefined when there is none)
 * with the keys of `wanted` that it lacks added before its closing brace — every other setting, comment and line
 * kept as it was; `before` itself when nothing is missing. `added`: the keys added. `error` (nothing written) when
 * `before` is not a JSON object (with comments) — the user's file is never replaced.
 */
export function mergeDemoSettings(before, wanted) {
  if (before === undefined || before.trim() === '') return { text: JSON.stringify(wanted, null, 2) + '\n', added: Object.keys(wanted) };
  // a byte order mark (Windows editors; VS Code reads such a file) is kept in front of the text merged
  if (before.startsWith('\uFEFF')) {
    const r = mergeDemoSettings(before.slice(1), wanted);
    return r.text === before.slice(1) ? { ...r, text: before } : { ...r, text: '\uFEFF' + r.text };
  }
  let doc;
  try {
    doc = JSON.parse(jsoncToJson(before));
  } catch (e) {
    return { text: before, added: [], error: `not readable as JSON: ${e.message}` };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { text: before, added: [], error: 'not a JSON object' };
  const added = Object.keys(wanted).filter((k) => !Object.hasOwn(doc, k));
  if (added.length === 0) return { text: before, added };
  // before the object's closing brace (the last } outside comments); a comma after its last member when it has none
  const plain = jsoncScan(before);
  const close = plain.lastIndexOf('}');
  const last = plain.slice(0, close).trimEnd().length;
  const comma = Object.keys(doc).length > 0 && plain[last - 1] !== ',' ? ',' : '';
  // the file's line breaks (CRLF when it has them)
  const nl = before.includes('\r\n') ? '\r\n' : '\n';
  const lines = added.map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(wanted[k])}`).join(`,${nl}`);
  const head = before.slice(0, last) + comma + before.slice(last, close).trimEnd();
  return { text: `${head}${nl}${lines}${nl}${before.slice(close)}`, added };
}

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
  // A settings.json the user already has (a safelist, a display zone added while trying the demo) is kept as it is:
  // only the demo's keys that are missing are added.
  mkdirSync(join(ws, '.vscode'), { recursive: true });
  const settingsFile = join(ws, '.vscode/settings.json');
  const before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
  const merged = mergeDemoSettings(before, DEMO_SETTINGS);
  if (merged.error) log(`WARNING: demo workspace: .vscode/settings.json left as it is (${merged.error}); the demo wants ${JSON.stringify(DEMO_SETTINGS)}`);
  else if (merged.text !== before) {
    writeFileSync(settingsFile, merged.text);
    log(`demo workspace: .vscode/settings.json: ${merged.added.join(', ')} ${before === undefined ? 'written' : 'added (the other settings kept)'}`);
  }
  return written;
}
