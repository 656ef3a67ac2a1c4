/**
 * Hostile review: scripts/demo-workspace.mjs mergeDemoSettings on a settings.json saved with a UTF-8 byte order mark
 * (Windows editors; VS Code reads it) or with CRLF line breaks: the demo keys are added, the BOM and the file's line
 * breaks kept. It left a BOM file alone ("not readable as JSON": the demo then had no beacon pairs and other KPIs)
 * and added LF lines to a CRLF file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = path.resolve(__dirname, '../../..');
interface DemoWorkspace {
  DEMO_SETTINGS: Record<string, unknown>;
  jsoncToJson(text: string): string;
  mergeDemoSettings(before: string | undefined, wanted: Record<string, unknown>): { text: string; added: string[]; error?: string };
}
const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<DemoWorkspace>;
const demo = () => importEsm(pathToFileURL(path.join(ROOT, 'scripts/demo-workspace.mjs')).href);

describe('demo workspace settings.json: BOM and CRLF', () => {
  it('a settings.json with a BOM gets the missing demo keys; the BOM is kept', async () => {
    const { mergeDemoSettings, jsoncToJson, DEMO_SETTINGS } = await demo();
    const before = '\uFEFF{\n  "socAnalytics.beacons.safelist": ["10.0.0.5"]\n}\n';
    const r = mergeDemoSettings(before, DEMO_SETTINGS);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.added, Object.keys(DEMO_SETTINGS));
    assert.ok(r.text.startsWith('\uFEFF{\n  "socAnalytics.beacons.safelist": ["10.0.0.5"],\n'), JSON.stringify(r.text));
    assert.deepEqual(JSON.parse(jsoncToJson(r.text.slice(1))), { 'socAnalytics.beacons.safelist': ['10.0.0.5'], ...DEMO_SETTINGS });
  });

  it('a CRLF settings.json gets CRLF lines', async () => {
    const { mergeDemoSettings, DEMO_SETTINGS } = await demo();
    const r = mergeDemoSettings('{\r\n  "a": 1 // x\r\n}\r\n', DEMO_SETTINGS);
    assert.doesNotMatch(r.text, /[^\r]\n/, JSON.stringify(r.text));
  });
});
