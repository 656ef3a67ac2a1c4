/**
 * `npm run demo` again must keep what the user put in the demo workspace's .vscode/settings.json (a safelist, a
 * display zone, comments): scripts/demo-workspace.mjs only adds the demo's keys that are missing. It rewrote the file
 * with the demo's two keys at every start.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../..');
interface DemoWorkspace {
  DEMO_SETTINGS: Record<string, unknown>;
  jsoncToJson(text: string): string;
  mergeDemoSettings(before: string | undefined, wanted: Record<string, unknown>): { text: string; added: string[]; error?: string };
  buildDemoWorkspace(o: { root: string; shared: string; ws: string; log?: (m: string) => void }): Record<string, string>;
}
const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<DemoWorkspace>;
const demo = () => importEsm(pathToFileURL(path.join(ROOT, 'scripts/demo-workspace.mjs')).href);

describe("demo workspace: the user's settings.json is kept", () => {
  it('a second build keeps a safelist and a comment the user added, and adds only a demo key that went missing', async () => {
    const { buildDemoWorkspace, jsoncToJson } = await demo();
    const ws = path.join(mkdtempSync(path.join(tmpdir(), 'soc-demo-')), 'ws');
    const build = () => buildDemoWorkspace({ root: ROOT, shared: path.join(ws, '..', 'no-shared-data'), ws });
    build();
    const file = path.join(ws, '.vscode/settings.json');
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { 'socAnalytics.beacons.internalSubnets': ['64.225.56.201/32'], 'socAnalytics.kpi.asOf': '2026-03-10T12:00:00Z' });

    // the user's edits: a comment, a safelist, another as-of time; the internal subnets removed
    const mine = '{\n  // my demo\n  "socAnalytics.beacons.safelist": ["10.0.0.5"], // noisy NTP\n  "socAnalytics.kpi.asOf": "2026-03-12T08:00:00Z"\n}\n';
    writeFileSync(file, mine);
    build();
    const after = readFileSync(file, 'utf8');
    assert.equal(
      after,
      '{\n  // my demo\n  "socAnalytics.beacons.safelist": ["10.0.0.5"], // noisy NTP\n  "socAnalytics.kpi.asOf": "2026-03-12T08:00:00Z",\n  "socAnalytics.beacons.internalSubnets": ["64.225.56.201/32"]\n}\n',
    );
    assert.deepEqual(JSON.parse(jsoncToJson(after)), {
      'socAnalytics.beacons.safelist': ['10.0.0.5'],
      'socAnalytics.kpi.asOf': '2026-03-12T08:00:00Z',
      'socAnalytics.beacons.internalSubnets': ['64.225.56.201/32'],
    });
    build();
    assert.equal(readFileSync(file, 'utf8'), after, 'nothing missing: the file as it was');
  });

  it('mergeDemoSettings: trailing commas, comments with braces, strings with // — valid after; a file that is not JSON is left alone', async () => {
    const { mergeDemoSettings, jsoncToJson, DEMO_SETTINGS } = await demo();
    for (const before of ['{}', '{\n  "a": 1,\n}', '{ "a": 1 /* } */ }', '{ "url": "http://x/y,}" }']) {
      const r = mergeDemoSettings(before, DEMO_SETTINGS);
      assert.deepEqual(r.added, ['socAnalytics.beacons.internalSubnets', 'socAnalytics.kpi.asOf']);
      const doc = JSON.parse(jsoncToJson(r.text));
      assert.deepEqual(doc, { ...JSON.parse(jsoncToJson(before)), ...DEMO_SETTINGS }, before);
    }
    const broken = '{ "socAnalytics.beacons.safelist": ["10.0.0.5" ';
    assert.deepEqual(mergeDemoSettings(broken, DEMO_SETTINGS).text, broken);
    assert.match(mergeDemoSettings(broken, DEMO_SETTINGS).error ?? '', /^not readable as JSON/);
    assert.equal(mergeDemoSettings('[]', DEMO_SETTINGS).error, 'not a JSON object');
  });
});
