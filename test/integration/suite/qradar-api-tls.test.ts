/**
 * QRadar REST API over HTTPS in a real VS Code extension host, at a console address VS Code's proxy support does not
 * exempt: the mock console (test/unit/qradar-api-mock.ts) listens on 127.0.0.3 with a certificate of a test CA
 * (test/unit/qradar-api-certs.ts). With VS Code's default `http.proxySupport: "override"` the extension host replaces
 * the agent of every https request to a host other than localhost/127.0.0.1 (@vscode/proxy-agent), so the client's TLS
 * settings must travel with the request itself: before 2026-12-06 `socAnalytics.qradar.allowInsecureTls` was lost that
 * way and a self-signed console stayed refused. Checks: refused without the CA, fetched with
 * `socAnalytics.qradar.caCertificateFile`, fetched with `allowInsecureTls` (no CA file).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { makePki } from '../../unit/qradar-api-certs';
import { startMockQRadar, type MockServer } from '../../unit/qradar-api-mock';
import type { FetchCommandResult } from '../../../src/extension/qradar-api';
import { activateExtension, SHARED } from './helpers';

const SAMPLES = path.join(SHARED, 'data/qradar/samples');
const TOKEN = 'SECtok-tls-9c1e2d3f-4a5b-46c7-88d9-0e1f2a3b4c5d';
const readJson = (f: string) => JSON.parse(fs.readFileSync(path.join(SAMPLES, f), 'utf8')) as Record<string, unknown>[];


describe('QRadar REST API over HTTPS at 127.0.0.3 (real VS Code, its proxy support replaces the agent)', () => {
  let server: MockServer;
  let tmp: string;
  let caFile: string;
  const cfg = () => vscode.workspace.getConfiguration('socAnalytics.qradar');
  const fetch = (name: string) =>
    vscode.commands.executeCommand<FetchCommandResult>('socAnalytics.fetchQRadarOffenses', {
      from: '2026-03-02T00:00Z',
      to: '2026-03-09T00:00Z',
      folder: path.join(tmp, name),
      open: false,
    });

  before(async function () {
    this.timeout(60_000);
    await activateExtension();
    const pki = makePki();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-qradar-tls-'));
    caFile = path.join(tmp, 'test-ca.pem');
    fs.writeFileSync(caFile, pki.ca.certPem);
    server = await startMockQRadar({
      token: TOKEN,
      offenses: readJson('offenses.json'),
      closingReasons: readJson('offense_closing_reasons.json'),
      offenseTypes: readJson('offense_types.json'),
      tls: { key: pki.server.keyPem, cert: pki.server.certPem },
      host: '127.0.0.3',
    });
    await cfg().update('consoleUrl', server.url, vscode.ConfigurationTarget.Workspace);
    assert.equal(await vscode.commands.executeCommand('socAnalytics.setQRadarToken', { token: TOKEN }), true);
  });
  after(async () => {
    for (const k of ['consoleUrl', 'caCertificateFile', 'allowInsecureTls']) await cfg().update(k, undefined, vscode.ConfigurationTarget.Workspace);
    await server?.close();
  });

  it('runs where VS Code replaces the agent (http.proxySupport is "override", the console not localhost)', () => {
    assert.equal(vscode.workspace.getConfiguration('http').get('proxySupport'), 'override');
    assert.match(server.url, /^https:\/\/127\.0\.0\.3:\d+$/);
  });

  it('refuses the console whose CA is not trusted (nothing fetched)', async () => {
    const r = await fetch('untrusted');
    assert.ok(r, 'the fetch command returned nothing');
    assert.equal(r.complete, false);
    assert.equal(r.fetched, 0);
    assert.match(r.error ?? '', /not trusted/);
  });

  it('fetches the six sample offenses with socAnalytics.qradar.caCertificateFile', async () => {
    await cfg().update('caCertificateFile', caFile, vscode.ConfigurationTarget.Workspace);
    try {
      const r = await fetch('with-ca');
      assert.equal(r.complete, true, r.error);
      assert.equal(r.fetched, 6);
    } finally {
      await cfg().update('caCertificateFile', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('fetches the six sample offenses with socAnalytics.qradar.allowInsecureTls (no CA file)', async () => {
    await cfg().update('allowInsecureTls', true, vscode.ConfigurationTarget.Workspace);
    try {
      const r = await fetch('insecure');
      assert.equal(r.complete, true, r.error);
      assert.equal(r.fetched, 6);
      const offenses = JSON.parse(fs.readFileSync(r.file, 'utf8')) as { id: number }[];
      assert.deepEqual(offenses.map((o) => o.id), [4101, 4102, 4103, 4104, 4105, 4106]);
    } finally {
      await cfg().update('allowInsecureTls', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
