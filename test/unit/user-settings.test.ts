/**
 * The demo (`npm run demo`) keeps VS Code's settings between runs in .tools/demo-vscode-data. What the user chose
 * there (a light theme, a display zone) and their comments must survive the next run; a settings.json that is not
 * readable JSONC is left alone, not replaced by our defaults (test/integration/user-settings.mjs).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

type Merge = (existing: string | undefined, defaults: Record<string, unknown>, forced: Record<string, unknown>) => string | undefined;
// (an ES module: imported at run time, not compiled into a require)
const importEsm = new Function('u', 'return import(u)') as (u: string) => Promise<{ mergeUserSettings: Merge }>;
const load = () => importEsm(pathToFileURL(path.resolve(__dirname, '../../../test/integration/user-settings.mjs')).href).then((m) => m.mergeUserSettings);

const defaults = { 'workbench.colorTheme': 'Default Dark Modern', 'telemetry.telemetryLevel': 'off' };
const forced = { 'security.workspace.trust.enabled': false };

test('user settings: a first run writes the defaults and the forced settings', async () => {
  const merge = await load();
  assert.deepEqual(JSON.parse(merge(undefined, defaults, forced)!), { ...defaults, ...forced });
});

test("user settings: the user's choices and comments are kept; defaults fill in only what is missing", async () => {
  const merge = await load();
  const saved = '{\n  // my theme\n  "workbench.colorTheme": "Default Light Modern",\n  "socAnalytics.displayTimeZone": "Europe/Berlin",\n  "security.workspace.trust.enabled": true,\n}\n';
  const text = merge(saved, defaults, forced)!;
  assert.ok(text.includes('// my theme'), text);
  assert.match(text, /"workbench\.colorTheme": "Default Light Modern"/);
  assert.match(text, /"socAnalytics\.displayTimeZone": "Europe\/Berlin"/);
  assert.match(text, /"telemetry\.telemetryLevel": "off"/);
  assert.match(text, /"security\.workspace\.trust\.enabled": false/);
  // nothing to change: the file is not rewritten
  assert.equal(merge(text, defaults, forced), undefined);
});

test('user settings: a file that is not readable JSONC is left as it is', async () => {
  const merge = await load();
  assert.equal(merge('{ "workbench.colorTheme": "Default Light Modern", oops }', defaults, forced), undefined);
  assert.equal(merge('[1, 2]', defaults, forced), undefined);
});
