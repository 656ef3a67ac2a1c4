#!/usr/bin/env node
// Supply-chain check of the packaged extension (issue #8), run by CI after `npm run package`:
//
//   node scripts/check-vsix.mjs [dist/soc-analytics.vsix]
//
// 1. The .vsix holds only what runs: every entry must match the allowlist below (manifest, README,
//    CHANGELOG, LICENSE, THIRD-PARTY-NOTICES, schemas, media, dist/{extension,worker,cli,zeek-worker}.js and
//    dist/webview/*), and no entry may be a test, fixture, TypeScript source, source map,
//    node_modules, .tools, out/ or bench/ file.
// 2. Size budget: the .vsix file and the sum of its uncompressed entries stay under the budgets
//    (measured 2026-12-01: 600,860 bytes packed, 1,768,400 bytes unpacked — the parse worker
//    dist/zeek-worker.js now also carries the Loki parser; budgets ≈ +25%; measured again 2026-12-02:
//    762,055 / 2,214,935 bytes — the features since in the bundles, README 93 KB and CHANGELOG 66 KB;
//    budgets ≈ +18%). Since 2026-12-04 the budget is split: the code and assets (every entry but README and
//    CHANGELOG; measured 2,350,439 bytes unpacked, 802,830 packed in the zip) and the two documents (261,331
//    bytes unpacked): the documents grew with every feature documented (README 150 KB, CHANGELOG 111 KB) and
//    took the one budget over, which is meant to catch code and dependency bloat. Code budgets ≈ +15%; the
//    documents' budget is a cap that asks for a trim of the CHANGELOG or README when reached. Measured again
//    2026-12-08: 921,123 packed / 2,676,975 unpacked — a week of features since the split (the Results tree's
//    filters, export scope, chart ticks, the parse checks of four hostile reviews), no new dependency: code
//    budgets 960,000 / 2,800,000 (≈ +4 %).
// 3. Third-party licences: every production dependency bundled (the transitive closure of
//    package.json "dependencies") is listed with its installed version in the packaged
//    THIRD-PARTY-NOTICES.md (regenerate with `node scripts/third-party-notices.mjs`).
// Exit 0 when all hold, 1 otherwise (each violation printed). Reads the zip central directory itself
// (no unzip binary needed).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = resolve(new URL('..', import.meta.url).pathname);
const VSIX = resolve(process.argv[2] ?? join(ROOT, 'dist/soc-analytics.vsix'));
/** Code and assets: every entry but extension/readme.md and extension/changelog.md (zip-compressed / unpacked). */
const BUDGET_CODE_PACKED = 960_000;
const BUDGET_CODE_UNPACKED = 2_800_000;
/** README + CHANGELOG, unpacked. */
const BUDGET_DOCS_UNPACKED = 400_000;
const isDoc = (name) => /^extension\/(readme|changelog)\.md$/i.test(name);

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/THIRD-PARTY-NOTICES\.md$/,
  /^extension\/schemas\/[\w.-]+\.json$/,
  /^extension\/media\/[\w.-]+\.(svg|png)$/,
  /^extension\/dist\/(extension|worker|cli|zeek-worker)\.js$/,
  /^extension\/dist\/webview\/[\w.-]+\.(js|css|ttf)$/,
];
const FORBIDDEN = [
  [/(^|\/)tests?\//i, 'test file'],
  [/(^|\/)fixtures?\//i, 'fixture'],
  [/\.(ts|tsx|mts|cts)$/, 'TypeScript source'],
  [/\.map$/, 'source map'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)\.tools\//, '.tools'],
  [/(^|\/)(src|out|bench|test-results|scripts)\//, 'source/build folder'],
  [/\.vsix$/, 'nested vsix'],
  [/(^|\/)\.(git|env|npmrc|vscode)(\/|$)/, 'dot file'],
];

/** Entries of a zip file from its central directory: name, compressed and uncompressed size. */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const method = buf.readUInt16LE(p + 10);
    const packed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    out.push({ name, packed, size, method, local });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function readEntry(buf, e) {
  const nameLen = buf.readUInt16LE(e.local + 26);
  const extraLen = buf.readUInt16LE(e.local + 28);
  const start = e.local + 30 + nameLen + extraLen;
  const data = buf.subarray(start, start + e.packed);
  return e.method === 0 ? data : inflateRawSync(data);
}

/** name → version of the production dependency closure (as scripts/third-party-notices.mjs walks it). */
function productionDeps() {
  const seen = new Map();
  const visit = (name, from) => {
    if (seen.has(name)) return;
    let dir = join(from, 'node_modules', name);
    if (!existsSync(dir)) dir = join(ROOT, 'node_modules', name);
    if (!existsSync(join(dir, 'package.json'))) return;
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    seen.set(name, pkg.version);
    for (const d of Object.keys(pkg.dependencies ?? {})) visit(d, dir);
  };
  const top = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  for (const d of Object.keys(top.dependencies ?? {})) visit(d, ROOT);
  return seen;
}

const problems = [];
if (!existsSync(VSIX)) {
  console.error(`check-vsix: ${VSIX} not found (run: npm run package)`);
  process.exit(1);
}
const buf = readFileSync(VSIX);
const entries = zipEntries(buf);
for (const e of entries) {
  if (e.name.endsWith('/')) continue;
  for (const [re, what] of FORBIDDEN) if (re.test(e.name)) problems.push(`${e.name}: ${what} must not be packaged`);
  if (!ALLOWED.some((re) => re.test(e.name))) problems.push(`${e.name}: not in the allowlist of files that run`);
}
for (const must of ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/worker.js', 'extension/dist/zeek-worker.js', 'extension/dist/webview/dashboard.js', 'extension/THIRD-PARTY-NOTICES.md']) {
  if (!entries.some((e) => e.name === must)) problems.push(`${must}: missing`);
}
const packed = statSync(VSIX).size;
const unpacked = entries.reduce((a, e) => a + e.size, 0);
const code = entries.filter((e) => !isDoc(e.name));
const codePacked = code.reduce((a, e) => a + e.packed, 0);
const codeUnpacked = code.reduce((a, e) => a + e.size, 0);
const docsUnpacked = entries.filter((e) => isDoc(e.name)).reduce((a, e) => a + e.size, 0);
if (codePacked > BUDGET_CODE_PACKED) problems.push(`size: code and assets ${codePacked} bytes packed, budget ${BUDGET_CODE_PACKED}`);
if (codeUnpacked > BUDGET_CODE_UNPACKED) problems.push(`size: code and assets ${codeUnpacked} bytes unpacked, budget ${BUDGET_CODE_UNPACKED}`);
if (docsUnpacked > BUDGET_DOCS_UNPACKED) problems.push(`size: README + CHANGELOG ${docsUnpacked} bytes, budget ${BUDGET_DOCS_UNPACKED} (trim the CHANGELOG's older entries or the README)`);

const notices = entries.find((e) => e.name === 'extension/THIRD-PARTY-NOTICES.md');
const deps = productionDeps();
if (notices) {
  const text = readEntry(buf, notices).toString('utf8');
  for (const [name, version] of deps) {
    const row = text.split('\n').find((l) => l.startsWith(`| ${name} |`));
    if (!row) problems.push(`THIRD-PARTY-NOTICES.md: ${name} is bundled but not listed`);
    else if (!row.includes(`| ${version} |`)) problems.push(`THIRD-PARTY-NOTICES.md: ${name} listed with another version than the installed ${version}`);
    else if (/\|\s*(UNKNOWN)?\s*\|/.test(row.split(`| ${version} `)[1] ?? '')) problems.push(`THIRD-PARTY-NOTICES.md: ${name} has no licence`);
  }
}

const n = (x) => x.toLocaleString('en');
console.log(`check-vsix: ${VSIX}: ${entries.length} entries, ${n(packed)} bytes packed, ${n(unpacked)} unpacked; code and assets ${n(codePacked)} packed (budget ${n(BUDGET_CODE_PACKED)}), ${n(codeUnpacked)} unpacked (budget ${n(BUDGET_CODE_UNPACKED)}); README + CHANGELOG ${n(docsUnpacked)} (budget ${n(BUDGET_DOCS_UNPACKED)}); ${deps.size} production dependencies listed`);
if (problems.length) {
  for (const p of problems) console.error(`check-vsix: FAIL ${p}`);
  process.exit(1);
}
console.log('check-vsix: OK');
