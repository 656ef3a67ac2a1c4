// Layout steps in the real VS Code, part of `npm run test:integration` (thus `npm test` and CI):
//
//   node test/integration/runServer.mjs --e2e --module test/integration/e2e-layout.mjs
//
// The launcher installs dist/soc-analytics.vsix (`npm run package` first) and opens the demo workspace that
// makeWorkspace below builds in its temp folder (scripts/demo-workspace.mjs: loki-results/, qradar/, zeek/,
// cases/kpi-small.csv; `node test/integration/e2e-layout.mjs --workspace <dir>` builds one to keep, for --workspace).
//
// Opens every dashboard from the Explorer's context menu in a 1400×900 window (the Explorer open beside it) and
// checks that the table's header and first rows are in view without scrolling, that no card's number is cut short
// and that the ten KPI cards take one row; then at a narrow size (the webview
// about 560×800) that the summary cards are compact enough for the table's header and first rows to be in view too;
// in the beacon dashboard at a wide size (the webview about 1440 px wide) and at 1400×900 that a click on a pair shows
// its detail's charts beside its fields, each chart wholly in view without scrolling the pane or the page; at 1400×900
// that the QRadar, beacon and Loki details keep their values readable (none scrolls sideways); then the Loki *Hosts*
// tab at 1400×900, 1000×800 and 800×700: the last column ("Scan end") ends inside the table's frame once it is
// scrolled sideways, and the page itself does not scroll sideways. Screenshots: <resultsDir>/layout-*.png. About a
// minute and a half.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildDemoWorkspace } from '../../scripts/demo-workspace.mjs';
import { chooseInSocSubmenu, poll, sleep, typeInQuickInput } from './poll.mjs';

/** The workspace these steps open (runServer.mjs calls it with a folder in its temp folder): the demo workspace. */
export function makeWorkspace(ws, { root, shared, log = () => {} }) {
  buildDemoWorkspace({ root, shared, ws, log });
  return ws;
}

/** Window sizes: the webview beside the Explorer is then about 1042×803 (the default), 560×800 and 1440×903. */
const NARROW = { width: 918, height: 897 };
const WIDE = { width: 1800, height: 1000 };

export async function runE2E({ page, resultsDir, log }) {
  mkdirSync(resultsDir, { recursive: true });
  for (const f of readdirSync(resultsDir)) if (/^layout-.*\.png$/.test(f)) rmSync(join(resultsDir, f));
  const results = [];

  async function shot(name, target = page) {
    await target.screenshot({ path: join(resultsDir, `layout-${name}.png`), timeout: 15000 }).catch((e) => log(`screenshot ${name} failed: ${e.message.split('\n')[0]}`));
  }
  async function step(name, fn) {
    log(`STEP ${name}`);
    try {
      await fn();
      results.push(true);
      console.log(`  ✔ ${name}`);
    } catch (err) {
      results.push(false);
      console.log(`  ✘ ${name}\n    ${String(err?.message ?? err).split('\n').slice(0, 6).join('\n    ')}`);
      await shot(`FAILED-${name.replace(/[^\w]+/g, '-').slice(0, 40)}`);
      for (let i = 0; i < 2; i++) await page.keyboard.press('Escape').catch(() => {});
    }
  }

  const outer = () => page.locator('iframe.webview.ready:visible').last();
  /** The dashboard's document (outer webview iframe → #active-frame) as a Playwright Frame. */
  async function dashboardFrame() {
    return poll('dashboard frame', async () => {
      const o = await (await outer().elementHandle({ timeout: 2000 }))?.contentFrame();
      const inner = await (await o?.$('#active-frame'))?.contentFrame();
      return inner && (await inner.$('[data-testid="row"]')) ? inner : undefined;
    }, 90000);
  }

  const row = (name) => page.locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^\\s*${name.replace(/[.]/g, '\\.')}\\s*$`) }).first();
  /** Right-click `name` in the Explorer and choose `item` in its *SOC Analytics* submenu (there once the extension has started). */
  async function contextMenu(name, item) {
    await poll(`context menu entry SOC Analytics → ${item} on ${name}`, async () => {
      await page.mouse.move(2, 2);
      await row(name).waitFor({ state: 'visible', timeout: 10000 });
      await row(name).click({ button: 'right' });
      if (await chooseInSocSubmenu(page, item, log)) return true;
      await page.keyboard.press('Escape');
      await sleep(2000);
      return false;
    }, 60000);
  }
  async function closeEditors() {
    await page.keyboard.press('F1');
    await typeInQuickInput(page, '>View: Close All Editors', log);
    await sleep(400);
    await page.keyboard.press('Enter');
    await poll('editors closed', async () => (await page.locator('iframe.webview.ready:visible').count()) === 0, 15000).catch(() => {});
  }

  /** Where the table is in the dashboard: its header, the rows in view, the page's scroll and size. */
  const measure = (frame) =>
    frame.evaluate(() => {
      const r = (e) => e.getBoundingClientRect();
      const head = r(document.querySelector('.vt-head'));
      const body = r(document.querySelector('.vt-body'));
      const rows = [...document.querySelectorAll('[data-testid="row"]:not([hidden])')].map(r).filter((x) => x.top >= body.top - 1 && x.bottom <= Math.min(body.bottom, innerHeight) + 1);
      return {
        viewport: [innerWidth, innerHeight],
        headBottom: Math.round(head.bottom),
        rowsInView: rows.length,
        total: document.querySelectorAll('[data-testid="row"]:not([hidden])').length,
        scrollY,
        cardsHeight: Math.round(r(document.querySelector('.cards')).height),
        // the summary cards: the rows they take, and any number cut short (ellipsis)
        cardRows: new Set([...document.querySelectorAll('.cards .card')].map((c) => Math.round(r(c).top))).size,
        cutValues: [...document.querySelectorAll('.cards .card-value')].filter((v) => v.scrollWidth > v.clientWidth + 1).map((v) => v.textContent),
        charts: document.querySelectorAll('.chart-card').length,
        chartsOpen: document.querySelector('[data-testid="charts-section"]')?.open ?? false,
      };
    });

  /** `cardsOneRow`: the summary cards must take one row at 1400×900 (the webview beside the Explorer, about 1,040 px). */
  async function dashboard(name, open, answer, { cardsOneRow = false } = {}) {
    await step(`${name}: dashboard at 1400×900 shows the table's header and first rows without scrolling`, async () => {
      await closeEditors();
      await open();
      if (answer) await answer();
      await dashboardFrame();
      await sleep(1500); // charts laid out, rows fetched
      const m = await poll('the dashboard measured', async () => measure(await dashboardFrame()), 30000);
      console.log(`    ${name}: ${JSON.stringify(m)}`);
      await shot(`${name}-1400x900-workbench`);
      await shot(`${name}-1400x900`, outer());
      if (!(m.chartsOpen && m.scrollY === 0 && m.headBottom < m.viewport[1] && m.rowsInView >= Math.min(3, m.total))) throw new Error(`table not in view: ${JSON.stringify(m)}`);
      // UI trial: the ten KPI cards took two rows at 1400×900 (the webview beside the Explorer about 1,040 px wide)
      if (m.cutValues.length) throw new Error(`a card's number is cut short: ${JSON.stringify(m.cutValues)}`);
      if (cardsOneRow && m.cardRows !== 1) throw new Error(`the cards take ${m.cardRows} rows at 1400×900: ${JSON.stringify(m)}`);
    });
    // UI trial: in a panel under ~600 px wide the cards took three or four rows of the first screen, the table began
    // below it. The same dashboard in a narrow window (the webview about 560×800, the Explorer open beside it).
    await step(`${name}: narrow (webview about 560×800): the cards are compact, the table's header and first rows in view without scrolling`, async () => {
      await page.setViewportSize(NARROW);
      try {
        const m = await poll('the narrow dashboard measured', async () => {
          await sleep(600);
          const frame = await dashboardFrame();
          await frame.evaluate(() => window.scrollTo(0, 0));
          const v = await measure(frame);
          return v.viewport[0] <= 600 ? v : undefined;
        }, 30000);
        console.log(`    ${name} narrow: ${JSON.stringify(m)}`);
        await shot(`${name}-narrow-${m.viewport.join('x')}`, outer());
        if (!(m.viewport[0] >= 480 && m.scrollY === 0 && m.headBottom < m.viewport[1] && m.rowsInView >= Math.min(3, m.total))) throw new Error(`table not in view: ${JSON.stringify(m)}`);
      } finally {
        await page.setViewportSize({ width: 1400, height: 900 });
      }
    });
  }

  /**
   * UI trial: the detail pane's charts (a beacon pair's histograms) were below its fields, out of view at 1400×900.
   * In a wide window (the webview about 1440 px wide) a click on the first pair shows its charts beside the fields
   * (a column of their own, starting level with the fields), every chart wholly in view without scrolling the pane
   * or the page sideways, and the table still beside the pane.
   */
  async function detailChartsBeside() {
    await step('beacons: wide (webview about 1440 px): a pair\'s detail shows its charts beside its fields, wholly in view', async () => {
      await page.setViewportSize(WIDE);
      try {
        const frame = await poll('the wide dashboard', async () => {
          await sleep(600);
          const f = await dashboardFrame();
          return (await f.evaluate(() => innerWidth)) > 1300 ? f : undefined;
        }, 30000);
        await frame.click('[data-testid="row"][data-index="0"]');
        await poll('the detail with its charts', async () => frame.evaluate(() => document.querySelectorAll('[data-testid="detail"]:not([hidden]) .detail-charts .chart-card canvas').length >= 3), 30000);
        await sleep(1200); // the pane scrolled into view (smooth), the charts drawn
        const d = await frame.evaluate(() => {
          const r = (e) => e.getBoundingClientRect();
          const R = (x) => ({ left: Math.round(x.left), top: Math.round(x.top), right: Math.round(x.right), bottom: Math.round(x.bottom) });
          const pane = document.querySelector('[data-testid="detail"]');
          const content = pane.querySelector('.detail-content');
          const c = r(content);
          return {
            viewport: [innerWidth, innerHeight],
            pane: R(r(pane)),
            table: R(r(document.querySelector('.vt'))),
            fields: R(r(pane.querySelector('.detail-fields'))),
            charts: [...pane.querySelectorAll('.detail-charts .chart-card')].map((e) => R(r(e))),
            view: R({ left: c.left, top: Math.max(c.top, 0), right: c.right, bottom: Math.min(c.bottom, innerHeight) }),
            paneScroll: content.scrollTop,
            pageScrollX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          };
        });
        console.log(`    beacons detail wide: ${JSON.stringify(d)}`);
        await shot('beacons-detail-wide', outer());
        const beside = d.charts.length >= 3 && d.charts.every((c) => c.left >= d.fields.right) && d.charts[0].top < d.fields.bottom;
        const inView = d.charts.every((c) => c.top >= d.view.top - 1 && c.bottom <= d.view.bottom + 1 && c.right <= d.view.right + 1);
        if (!(beside && inView && d.paneScroll === 0 && d.pageScrollX <= 0 && d.table.right <= d.pane.left)) throw new Error(`charts not beside the fields, or not in view: ${JSON.stringify(d)}`);
      } finally {
        await page.setViewportSize({ width: 1400, height: 900 });
      }
    });
  }

  /**
   * UI trial: at 1400×900 with the Explorer open (the webview about 1042×803) a beacon pair's detail pane was under
   * 600 px (half the panel) and its charts stood below the fields, out of view. A click on row `index` opens the
   * detail; with `charts` (beacons) its three charts stand beside the fields, each wholly in view without scrolling the
   * pane, the table still beside the pane; every detail (Loki, QRadar too) keeps its values readable: none scrolls
   * sideways, the ISO 8601 times on one line, and a pane without charts keeps its width (45 % of the panel, ≤ 600 px).
   */
  async function detailAt1400(name, { index = 0, charts = false } = {}) {
    await step(`${name}: at 1400×900 a row's detail is readable${charts ? ', its charts beside its fields, wholly in view' : ''}`, async () => {
      await page.setViewportSize({ width: 1400, height: 900 });
      const frame = await poll('the 1400×900 dashboard', async () => {
        await sleep(600);
        const f = await dashboardFrame();
        return (await f.evaluate(() => innerWidth)) < 1100 ? f : undefined;
      }, 30000);
      await frame.evaluate(() => window.scrollTo(0, 0));
      await frame.click(`[data-testid="row"][data-index="${index}"]`);
      await poll('the detail', async () => frame.evaluate((c) => !!document.querySelector('[data-testid="detail"]:not([hidden]) .detail-fields') && (!c || document.querySelectorAll('[data-testid="detail"]:not([hidden]) .detail-charts .chart-card canvas').length >= 3), charts), 30000);
      await sleep(1200); // the pane scrolled into view (smooth), the charts drawn
      const d = await frame.evaluate(() => {
        const r = (e) => e.getBoundingClientRect();
        const R = (x) => ({ left: Math.round(x.left), top: Math.round(x.top), right: Math.round(x.right), bottom: Math.round(x.bottom) });
        const pane = document.querySelector('[data-testid="detail"]');
        const content = pane.querySelector('.detail-content');
        const c = r(content);
        const values = [...pane.querySelectorAll('.detail-main .detail-fields > dt')].map((dt) => {
          const v = dt.nextElementSibling.querySelector('.detail-value');
          const range = document.createRange();
          range.selectNodeContents(v);
          return { label: dt.textContent, text: v.textContent, lines: new Set([...range.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size, scrolls: v.scrollWidth > v.clientWidth + 1 };
        });
        return {
          viewport: [innerWidth, innerHeight],
          main: Math.round(r(pane.parentElement).width),
          pane: R(r(pane)),
          table: R(r(document.querySelector('.vt'))),
          fields: R(r(pane.querySelector('.detail-fields'))),
          charts: [...pane.querySelectorAll('.detail-charts .chart-card')].map((e) => R(r(e))),
          view: R({ left: c.left, top: Math.max(c.top, 0), right: c.right, bottom: Math.min(c.bottom, innerHeight) }),
          paneScroll: content.scrollTop,
          pageScrollX: document.documentElement.scrollWidth - document.documentElement.clientWidth,
          scrolling: values.filter((v) => v.scrolls).map((v) => v.label),
          iso: values.filter((v) => /ISO 8601/.test(v.label)).map((v) => [v.text, v.lines]),
          ports: values.find((v) => v.label === 'Ports')?.text,
        };
      });
      console.log(`    ${name} detail 1400×900: ${JSON.stringify(d)}`);
      await shot(`${name}-detail-1400x900`, outer());
      const paneW = d.pane.right - d.pane.left;
      const readable = d.scrolling.length === 0 && d.iso.every(([, lines]) => lines === 1) && d.pageScrollX <= 0 && d.table.right <= d.pane.left;
      const beside = d.charts.length >= 3 && d.charts.every((x) => x.left >= d.fields.right) && d.charts[0].top < d.fields.bottom;
      const inView = d.charts.every((x) => x.top >= d.view.top - 1 && x.bottom <= d.view.bottom + 1 && x.right <= d.view.right + 1);
      const ok = charts ? readable && beside && inView && d.paneScroll === 0 : readable && paneW <= 600 && paneW <= 0.46 * d.main;
      if (!ok) throw new Error(`detail at 1400×900: ${JSON.stringify(d)}`);
    });
  }

  await step('workbench loads with the demo workspace', async () => {
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    for (const f of ['loki-results', 'qradar', 'zeek', 'cases']) await row(f).waitFor({ state: 'visible', timeout: 60000 });
    await sleep(1500);
  });

  await dashboard('qradar', () => contextMenu('qradar', /Analyze QRadar Offenses/), async () => {
    // the first QRadar analysis asks for the console's time zone
    const input = page.locator('.quick-input-widget input.input');
    if (await input.waitFor({ state: 'visible', timeout: 15000 }).then(() => true, () => false)) {
      await typeInQuickInput(page, 'UTC', log);
      await sleep(400);
      await page.keyboard.press('Enter');
    }
  });
  await detailAt1400('qradar');
  await dashboard('beacons', () => contextMenu('zeek', /Detect Beacons/));
  await detailChartsBeside();
  // row 1: 64.225.56.201 → 95.214.53.134, the ICMP pair (destination unreachable, port unreachable) of the real day
  await detailAt1400('beacons', { index: 1, charts: true });
  await dashboard(
    'kpi',
    async () => {
      if (!(await row('kpi-small.csv').isVisible().catch(() => false))) await row('cases').click();
      await contextMenu('kpi-small.csv', /Analyze Cases/);
    },
    undefined,
    { cardsOneRow: true },
  );
  await dashboard('loki', () => contextMenu('loki-results', /^\s*(SOC: )?Analyze Loki Results(…|\.\.\.)?\s*$/));
  await detailAt1400('loki');

  // The Loki Hosts table (UI trial: its last column looked clipped in VS Code)
  for (const [w, h] of [[1400, 900], [1000, 800], [800, 700]]) {
    await step(`loki Hosts tab at ${w}×${h}: the last column ends inside the table's frame (scrolled sideways), the page does not scroll sideways`, async () => {
      await page.setViewportSize({ width: w, height: h });
      await sleep(800);
      const frame = await dashboardFrame();
      await frame.click('[data-testid="tab-hosts"]');
      await sleep(500);
      const before = await frame.evaluate(() => {
        const wrap = document.querySelector('[data-testid="table-hosts"]').closest('.small-table-wrap');
        wrap.scrollIntoView({ block: 'start' });
        return { scroll: [wrap.scrollWidth, wrap.clientWidth] };
      });
      await shot(`loki-hosts-${w}x${h}`, outer());
      const t = await frame.evaluate(() => {
        const table = document.querySelector('[data-testid="table-hosts"]');
        const wrap = table.closest('.small-table-wrap');
        const last = [...table.querySelectorAll('thead th')].at(-1);
        wrap.scrollLeft = wrap.scrollWidth;
        const wr = wrap.getBoundingClientRect();
        const lr = last.getBoundingClientRect();
        const cells = [...table.querySelectorAll('tbody tr:first-child td')].map((c) => c.getBoundingClientRect());
        return {
          last: last.textContent,
          lastRight: Math.round(lr.right),
          wrapRight: Math.round(wr.right),
          view: document.documentElement.clientWidth,
          pageScroll: [document.documentElement.scrollWidth, document.documentElement.clientWidth],
          lastCellRight: Math.round(cells.at(-1)?.right ?? 0),
          // (a Top rule cut at its 200 px with its whole name in the cell's tooltip is by design: not counted)
          cut: [...table.querySelectorAll('td,th')].filter((c) => c.scrollWidth > c.clientWidth + 1 && !(c.title && c.title === c.textContent && [...table.querySelectorAll('thead th')][c.cellIndex]?.textContent?.startsWith('Top rule'))).map((c) => c.textContent),
        };
      });
      await sleep(200);
      await shot(`loki-hosts-${w}x${h}-scrolled`, outer());
      console.log(`    hosts ${w}×${h}: ${JSON.stringify({ ...before, ...t })}`);
      if (!(/^Scan end/.test(t.last) && t.lastRight <= t.wrapRight + 1 && t.lastCellRight <= t.wrapRight + 1 && t.wrapRight <= t.view + 1 && t.pageScroll[0] <= t.pageScroll[1] && t.cut.length === 0)) throw new Error(`clipped: ${JSON.stringify(t)}`);
    });
  }
  await page.setViewportSize({ width: 1400, height: 900 });

  const passed = results.filter(Boolean).length;
  return { code: passed === results.length ? 0 : 1, passed, failed: results.length - passed };
}

// `node test/integration/e2e-layout.mjs --workspace <dir>`: builds the demo workspace there.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--workspace');
  const ws = resolve(i > 0 ? process.argv[i + 1] : '.tools/layout-workspace');
  const root = resolve(fileURLToPath(import.meta.url), '../../..');
  makeWorkspace(ws, { root, shared: resolve(root, '../shared'), log: (m) => console.log(m) });
  console.log(ws);
}
