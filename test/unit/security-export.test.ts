/**
 * Exports of hostile text (issue #8), on the injection fixture set test/fixtures/injection (every
 * field of every format carries an HTML/JS payload):
 * - CSV export of EVERY dashboard kind's table columns (Loki findings, QRadar offenses and events,
 *   beacons, cases, Ariel counts, merged timeline), written the way the dashboard's "Export CSV"
 *   writes it (column `format` else `get`, csvChunks with BOM): parsed back with csv-parse, every cell
 *   equals the shown text, except that text starting with `=`, `+`, `-`, `@`, TAB, CR, LF or NUL
 *   carries one leading `'` (and no cell starts with a formula character); small tables too.
 * - The KPI HTML report escapes everything: only the report's own tags occur, no raw payload (in
 *   the page or the embedded SVG charts), and the text decodes back to the payloads (round trip).
 *   The Markdown report keeps its table shape and has no raw `<`.
 * - The tagging rules JSON schema (schemas/tagging.schema.json, checked with ajv) and the reader's
 *   validator reject bad types alike.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { csvChunks, neutralizeCell, smallTableCsv } from '../../src/core/export/csv';
import { exportHeader, exportLayout, type StoreColumn } from '../../src/core/table/store';
import { isoUtc } from '../../src/core/time';
import { runLokiAnalysis } from '../../src/core/analyze/run-loki';
import { buildLokiDashboard, lokiFindingColumns } from '../../src/core/analyze/loki-dashboard';
import { runQRadarRead } from '../../src/core/analyze/qradar-run';
import { buildQRadarDashboard, qradarContext, qradarEventColumns, qradarOffenseColumns } from '../../src/core/analyze/qradar-dashboard';
import { DEFAULT_ESCALATED_REASONS, DEFAULT_FALSE_POSITIVE_REASONS, DEFAULT_TOP_N } from '../../src/core/analyze/qradar-summary';
import { runBeaconAnalysis } from '../../src/core/analyze/beacons/run';
import { beaconColumns, buildBeaconDashboard } from '../../src/core/analyze/beacons/dashboard';
import { kpiReportOf, runKpiAnalysis } from '../../src/core/analyze/kpi-run';
import { buildKpiDashboard, caseColumns, caseRows } from '../../src/core/analyze/kpi-dashboard';
import { readArielCounts } from '../../src/core/qradar-api/ariel';
import { arielColumns, buildArielDashboard } from '../../src/core/qradar-api/ariel-dashboard';
import { timelineColumns, timelineEvents } from '../../src/core/tz-timeline';
import { escapeMarkdownCell, renderKpiReportHtml, renderKpiReportMarkdown } from '../../src/core/export/report';
import { validateTaggingConfig } from '../../src/core/analyze/tagging';
import { buildKpiReport } from '../../src/core/analyze/kpi';
import type { DashboardModel } from '../../src/shared/protocol';

const REPO = path.resolve(__dirname, '../../..');
const FIX = path.join(REPO, 'test/fixtures/injection');
const PORT = '45678';
const { payloads: RAW } = JSON.parse(fs.readFileSync(path.join(FIX, 'payloads.json'), 'utf8')) as { payloads: Record<string, string> };
const P: Record<string, string> = Object.fromEntries(Object.entries(RAW).map(([k, v]) => [k, v.split('__PORT__').join(PORT)]));

/** The fixture tree copied to a temp folder with `__PORT__` replaced (as the integration suite does). */
const WS = (() => {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-inject-'));
  const copy = (src: string, dst: string) => {
    fs.mkdirSync(dst, { recursive: true });
    for (const e of fs.readdirSync(src, { withFileTypes: true })) {
      if (e.isDirectory()) copy(path.join(src, e.name), path.join(dst, e.name));
      else if (!e.name.endsWith('.mjs')) fs.writeFileSync(path.join(dst, e.name), fs.readFileSync(path.join(src, e.name), 'utf8').split('__PORT__').join(PORT));
    }
  };
  copy(FIX, dest);
  process.on('exit', () => fs.rmSync(dest, { recursive: true, force: true }));
  return dest;
})();

const FORMULA = /^[=+\-@\t\r\n\0]/;
/** What a text cell must become in the CSV, written independently of the exporter (see csv.ts). */
const guardedText = (t: string): string => {
  const inner = t.replace(/;([ "]*)([=+\-@\t\r\n\0])/g, ";$1'$2");
  return FORMULA.test(inner) ? `'${inner}` : inner;
};
/** A piece of a CSV line after a ';' (how Excel splits it where ';' is the list separator) that starts a formula. */
const FORMULA_PIECE = /;[ "]*[=+\-@\t\r\n\0]/;

/** Writes rows the way DashboardPanel.exportCsv does, parses the CSV back and checks every cell. */
function exportRoundTrip<T>(kind: string, columns: StoreColumn<T>[], rows: readonly T[]): { cells: number; guarded: number } {
  assert.ok(rows.length > 0, `${kind}: no rows`);
  // what the dashboard's "Export CSV" writes: the display text, or the number of a raw or quantity column, and a UTC
  // column after each time column (exportLayout)
  const layout = exportLayout(columns);
  const ids = columns.flatMap((c) => (c.type === 'time' ? [c.id, `${c.id} (UTC)`] : [c.id]));
  const shown = rows.map((r) => layout.cells(r));
  const csv = [...csvChunks(layout.header, shown, { bom: true, batch: 2 })].join('');
  assert.ok(csv.startsWith('\ufeff'));
  const back = parse(csv.slice(1), { relax_column_count: false }) as string[][];
  assert.equal(back.length, rows.length + 1, `${kind}: records`);
  assert.deepEqual(back[0], layout.header.map((h) => neutralizeCell(h)));
  assert.deepEqual(layout.header.filter((_, j) => !ids[j].endsWith(' (UTC)')), columns.map(exportHeader));
  let cells = 0;
  let guarded = 0;
  shown.forEach((r, i) =>
    r.forEach((v, j) => {
      cells++;
      const got = back[i + 1][j];
      if (typeof v === 'number') return assert.equal(got, Number.isNaN(v) ? '' : String(v), `${kind} row ${i} ${ids[j]}`);
      const text = v === undefined || v === null ? '' : String(v);
      if (guardedText(text) !== text) {
        guarded++;
        assert.equal(got, guardedText(text), `${kind} row ${i} ${ids[j]}: formula not neutralised`);
      } else assert.equal(got, text, `${kind} row ${i} ${ids[j]}`);
      assert.doesNotMatch(got, FORMULA, `${kind}: a cell starts with a formula character`);
      assert.doesNotMatch(got, FORMULA_PIECE, `${kind}: a formula character after a ';'`);
    }),
  );
  return { cells, guarded };
}

/** Small tables of a dashboard model through the same writer ("Export CSV" of a small table). */
function smallTablesRoundTrip(kind: string, m: DashboardModel): number {
  let n = 0;
  for (const t of m.tables) {
    // what a small table's export writes: its cells, or the numbers of its quantity columns (exportCells), and after a
    // time column its instants in UTC (exportTimes)
    const rows = t.rows.map((r, i) =>
      r.flatMap((v, j) => {
        const raw = t.exportCells?.[t.columns[j].id];
        const times = t.columns[j].type === 'time' ? t.exportTimes?.[t.columns[j].id] : undefined;
        const cell = (raw ? raw[i] : v) ?? undefined;
        return times ? [cell, isoUtc(times[i] ?? undefined)] : [cell];
      }),
    );
    const back = parse(smallTableCsv(t), { relax_column_count: true }) as string[][];
    assert.equal(back.length, rows.length + 1, `${kind}/${t.id}`);
    rows.forEach((r, i) =>
      r.forEach((v, j) => {
        const text = v === undefined ? '' : String(v);
        assert.equal(back[i + 1][j], typeof v === 'string' ? guardedText(text) : text, `${kind}/${t.id} ${i},${j}`);
        n++;
      }),
    );
  }
  return n;
}

/** Every payload must appear somewhere in `texts` (shown literally). */
function someLiteral(kind: string, texts: string[], expected: string[]): void {
  const all = texts.join('\n');
  for (const e of expected) assert.ok(all.includes(e), `${kind}: ${JSON.stringify(e)} not kept literally`);
}

test('CSV export round trip: Loki findings (payload paths, hosts, rules, descriptions)', async () => {
  const a = await runLokiAnalysis([path.join(WS, 'loki')]);
  const cols = lokiFindingColumns('UTC');
  const r = exportRoundTrip('loki', cols, [...a.findings]);
  assert.equal(a.findings.length, 7);
  assert.ok(r.guarded >= 1, 'the =HYPERLINK path must be guarded');
  someLiteral('loki', [...a.findings].flatMap((f) => cols.map((c) => String(c.format ? c.format(f) : c.get(f)))), [P.img, P.svg, P.formula]);
  assert.ok(smallTablesRoundTrip('loki', buildLokiDashboard(a, 'inj', 'UTC')) > 0);
});

test('CSV export round trip: QRadar offenses and events (payload descriptions, sources, users, reasons, CSV headers)', async () => {
  const p = await runQRadarRead([path.join(WS, 'qradar')], { consoleTimeZone: 'UTC' });
  const settings = { zone: 'UTC', escalatedReasons: DEFAULT_ESCALATED_REASONS, falsePositiveReasons: DEFAULT_FALSE_POSITIVE_REASONS, topN: DEFAULT_TOP_N };
  assert.equal(p.offenses.length, 4);
  assert.equal(p.events.length, 3);
  const oc = qradarOffenseColumns(qradarContext(p, settings));
  const r = exportRoundTrip('qradar offenses', oc, p.offenses);
  assert.ok(r.guarded >= 1);
  exportRoundTrip('qradar events', qradarEventColumns('UTC'), p.events);
  // the payload CSV header names are kept as field names of the events
  assert.ok(Object.keys(p.events[0].fields).includes(P.img), Object.keys(p.events[0].fields).join(' | '));
  assert.ok(smallTablesRoundTrip('qradar', buildQRadarDashboard(p, 'inj', settings).model) > 0);
});

test('CSV export round trip: beacon pairs (payload FQDNs from ssl.log / http.log)', async () => {
  const a = await runBeaconAnalysis([path.join(WS, 'zeek')], {});
  assert.equal(a.pairs.length, 3);
  const cols = beaconColumns('UTC');
  exportRoundTrip('beacons', cols, a.pairs);
  // host names are case-insensitive and stored lower-cased: the payload text is kept otherwise verbatim
  someLiteral('beacons', a.pairs.map((x) => x.fqdn ?? ''), [P.img.toLowerCase(), P.script.toLowerCase()]);
  smallTablesRoundTrip('beacons', buildBeaconDashboard(a, 'inj', 'UTC'));
});

test('CSV export round trip: cases (payload titles, analysts, dispositions, header, tags)', async () => {
  const a = await runKpiAnalysis([path.join(WS, 'cases', 'cases.csv')], { rulesPath: path.join(WS, 'cases', 'tagging.json'), asOf: Date.UTC(2026, 2, 10) });
  assert.equal(a.input.cases.length, 4);
  const rows = caseRows(a);
  const r = exportRoundTrip('cases', caseColumns('UTC'), rows);
  assert.ok(r.guarded >= 1, 'the =HYPERLINK title must be guarded');
  assert.deepEqual(rows.map((x) => x.tag), [`Logon ${P.script}`, `AV ${P.img}`, `Other ${P.img}`, P.svg]);
  smallTablesRoundTrip('kpi', buildKpiDashboard(a, kpiReportOf(a, 'UTC'), 'inj', 'UTC'));
});

test('CSV export round trip: Ariel counts and the merged timeline', async () => {
  const c = await readArielCounts([path.join(WS, 'qradar', 'ariel_rows.json')]);
  assert.deepEqual(c.rows.map((r) => [r.key, r.events]), [[P.img, 5], [P.script, 3], [P.formula, 2]]);
  const r = exportRoundTrip('ariel', arielColumns(c), c.rows);
  assert.equal(r.guarded, 1);
  smallTablesRoundTrip('ariel', buildArielDashboard(c, 'inj', 'UTC'));
  const loki = await runLokiAnalysis([path.join(WS, 'loki')]);
  const q = await runQRadarRead([path.join(WS, 'qradar')], { consoleTimeZone: 'UTC' });
  const events = [...timelineEvents('loki', 'L', loki), ...timelineEvents('qradar', 'Q', q)];
  assert.ok(events.length >= 6);
  exportRoundTrip('timeline', timelineColumns('UTC'), events);
});

/** Decodes the five entities escapeHtml writes. */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const REPORT_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'table', 'tr', 'td', 'th', 'br', 'img', 'ul', 'li']);

test('KPI HTML report: only its own tags, no raw payload, and the escaped text decodes back to the payloads', async () => {
  const a = await runKpiAnalysis([path.join(WS, 'cases', 'cases.csv')], { rulesPath: path.join(WS, 'cases', 'tagging.json'), asOf: Date.UTC(2026, 2, 10) });
  const report = kpiReportOf(a, 'UTC');
  const html = renderKpiReportHtml(report, { title: `KPIs ${P.script}`, inputs: [`${P.img}.csv`], rulesFile: P.svg, errors: [{ file: P.iframe, line: 1, message: P.meta }] });
  const tags = [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1].toLowerCase());
  assert.deepEqual([...new Set(tags)].filter((t) => !REPORT_TAGS.has(t)), [], 'foreign tags in the report');
  assert.equal((html.match(/<meta\b/g) ?? []).length, 3, 'charset, CSP and viewport only');
  // No 'unsafe-inline': the report's single inline <style> is allowed by its exact hash, and nothing else.
  const csp = /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'sha256-([A-Za-z0-9+/]+=*)'">/.exec(html);
  assert.ok(csp, 'report CSP');
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]);
  assert.equal(styles.length, 1);
  assert.equal(require('node:crypto').createHash('sha256').update(styles[0], 'utf8').digest('base64'), csp[1]);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval|<script/i);
  for (const img of html.match(/<img\b[^>]*>/g) ?? []) assert.match(img, /^<img alt="[^"<>]*" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+">$/);
  const svgs = [...html.matchAll(/base64,([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8'));
  assert.ok(svgs.length >= 3);
  for (const doc of [html, ...svgs]) for (const [k, v] of Object.entries(P)) if (/[<>"'&]/.test(v)) assert.equal(doc.includes(v), false, `raw payload ${k}`);
  for (const svg of svgs) {
    const svgTags = new Set([...svg.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]));
    assert.deepEqual([...svgTags].filter((t) => !['svg', 'rect', 'text', 'g', 'line', 'title'].includes(t)), [], 'foreign tags in an SVG chart');
    for (const tag of svg.match(/<[^>]*>/g) ?? []) assert.doesNotMatch(tag, /\son[a-z]+=|href=|javascript:/i, tag);
  }
  // round trip: the text of the page (tags removed, entities decoded) holds every payload verbatim
  const text = unescape(html.replace(/<[^>]*>/g, '\n'));
  for (const v of [`KPIs ${P.script}`, `${P.img}.csv`, P.svg, P.iframe, P.meta, `Logon ${P.script}`, `AV ${P.img}`]) assert.ok(text.includes(v), `not shown: ${v}`);
  const svgText = svgs.map((s) => unescape(s.replace(/<[^>]*>/g, '\n'))).join('\n');
  assert.ok(svgText.includes(`Logon ${P.script}`.slice(0, 20)), 'chart labels decode to the payload text');

  const md = renderKpiReportMarkdown(report, { title: `KPIs ${P.script}`, inputs: [`a|b\n${P.img}`], rulesFile: P.svg });
  assert.doesNotMatch(md, /</, 'raw < in the Markdown report');
  for (const block of md.split('\n\n').filter((b) => b.startsWith('| '))) {
    const widths = block.split('\n').filter(Boolean).map((l) => l.replace(/\\\|/g, '').split('|').length);
    assert.equal(new Set(widths).size, 1, `table shape broken:\n${block.slice(0, 400)}`);
  }
  // a value made of '-' or '=' is text: never a thematic break, a heading underline or a list marker
  assert.equal(escapeMarkdownCell('--- =='), '\\--- ==');
  assert.equal(escapeMarkdownCell(' 1. x'), ' 1\\. x');
  assert.equal(escapeMarkdownCell('1) x'), '1\\) x');
  const md2 = renderKpiReportMarkdown(report, { title: '-'.repeat(50), inputs: ['---', '==='], rulesFile: '- * -' });
  const md3 = renderKpiReportMarkdown(report, { title: '1) triage', inputs: ['2) second'], rulesFile: '3. third' });
  for (const line of [...md2.split('\n'), ...md3.split('\n')].filter((l) => !l.startsWith('|'))) {
    const content = line.replace(/^(#+|-) /, '');
    assert.doesNotMatch(content, /^\s*([-=*_+]|\d+[.)])/, `block syntax in: ${line.slice(0, 80)}`);
  }
});

test('Markdown report: a URL in attacker text (case title, rule, host) is not an autolink in a GFM viewer', () => {
  const urls = ['_www.evil.example', 'Phish https://evil.example/login?a=1', 'see HTTP://x.example', 'ftp://files.example/a', 'www.evil.example', 'WWW.Evil.example', 'mailto:a@evil.example', 'xmpp:bot@evil.example'];
  // the reader's text back: `@` code spans, entities and backslash escapes decoded
  // (and the URL's scheme and www. refanged: analyst trial 8, they are defanged as analysts write them, hxxps://, www[.])
  const refang = (s: string) => s.replace(/hxxps?(?=:\/\/)|fxp(?=:\/\/)/gi, (m) => m.replace(/x/g, 't').replace(/X/g, 'T')).replace(/(www)\[\.\]/gi, '$1.');
  const plain = (md: string) => refang(md.replace(/`(@+)`/g, '$1').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\\([!-/:-@[-`{-~])/g, '$1'));
  for (const u of urls) {
    const e = escapeMarkdownCell(u);
    // GFM extended autolinks start at "http://", "https://", "ftp://", "www." in the source text, or an e-mail
    // address (also after "mailto:"/"xmpp:"), whose @ is a code span
    assert.doesNotMatch(e, /(?:https?|ftp):\/\/|www\./i, e);
    assert.doesNotMatch(e.replace(/`@+`/g, ''), /@/, e);
    assert.equal(plain(e), u);
  }
  // the analysts' defang, no character reference shown literally where a ticket system does not render HTML
  assert.equal(escapeMarkdownCell('Phish https://evil.example/login?a=1'), 'Phish hxxps://evil.example/login?a=1');
  assert.equal(escapeMarkdownCell('see HTTP://x.example'), 'see HXXP://x.example');
  assert.equal(escapeMarkdownCell('ftp://files.example/a'), 'fxp://files.example/a');
  assert.equal(escapeMarkdownCell('www.evil.example'), 'www\\[.\\]evil.example');
  assert.equal(escapeMarkdownCell('a: b // c'), 'a: b // c', 'other colons are left alone');
  const md = renderKpiReportMarkdown(buildKpiReport([], [], { zone: 'UTC', asOf: 0 }), { title: 'KPIs https://evil.example', inputs: ['www.evil.example/cases.csv'], rulesFile: 'https://evil.example/r.json' });
  assert.doesNotMatch(md, /(?:https?|ftp):\/\/|www\.|&#/i);
  assert.ok(md.includes('hxxps://evil.example/r.json'), md);
});

test('tagging rules: the JSON schema and the validator both reject bad types', () => {
  // ajv comes with the dev tools (vsce's secretlint); it validates the shipped schema itself
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Ajv = require('ajv') as new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } };
  const schema = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas/tagging.schema.json'), 'utf8')) as object;
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  const good = { defaultTag: 'Other', rules: [{ tag: 'Logon', match: ['login'] }, { tag: 'P', match: 'phish(ing)?', type: 'regex', field: 'title', caseSensitive: true, description: 'x' }] };
  assert.equal(validate(good), true, JSON.stringify(validate.errors));
  assert.deepEqual(validateTaggingConfig(good).problems, []);
  const bad: [string, unknown][] = [
    ['not an object', []],
    ['rules missing', { defaultTag: 'x' }],
    ['rules not an array', { rules: { tag: 'a', match: 'b' } }],
    ['defaultTag not a string', { defaultTag: 1, rules: [] }],
    ['defaultTag empty', { defaultTag: '', rules: [] }],
    ['rule not an object', { rules: ['x'] }],
    ['tag missing', { rules: [{ match: 'a' }] }],
    ['tag a number', { rules: [{ tag: 1, match: 'a' }] }],
    ['tag empty', { rules: [{ tag: '', match: 'a' }] }],
    ['match missing', { rules: [{ tag: 'a' }] }],
    ['match a number', { rules: [{ tag: 'a', match: 1 }] }],
    ['match an empty list', { rules: [{ tag: 'a', match: [] }] }],
    ['match list with a number', { rules: [{ tag: 'a', match: ['x', 2] }] }],
    ['match empty string', { rules: [{ tag: 'a', match: '' }] }],
    ['match an object', { rules: [{ tag: 'a', match: { $regex: 'x' } }] }],
    ['type unknown', { rules: [{ tag: 'a', match: 'x', type: 'glob' }] }],
    ['type a boolean', { rules: [{ tag: 'a', match: 'x', type: true }] }],
    ['field a number', { rules: [{ tag: 'a', match: 'x', field: 3 }] }],
    ['field empty', { rules: [{ tag: 'a', match: 'x', field: '' }] }],
    ['caseSensitive a string', { rules: [{ tag: 'a', match: 'x', caseSensitive: 'yes' }] }],
  ];
  for (const [why, doc] of bad) {
    assert.equal(validate(doc), false, `schema accepted: ${why}`);
    const v = validateTaggingConfig(doc);
    assert.ok(v.problems.some((p) => p.severity === 'error'), `validator accepted: ${why}`);
    // a bad rule stays listed (coverage report) but disabled: it can never match
    assert.ok(v.config.rules.every((r) => (r as { _disabled?: string })._disabled), `validator kept the bad rule enabled: ${why}`);
  }
  // prototype keys are plain data
  const proto = validateTaggingConfig(JSON.parse('{"rules":[{"tag":"__proto__","match":"constructor"}],"__proto__":{"polluted":1}}'));
  assert.equal(proto.config.rules[0].tag, '__proto__');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
