/**
 * The TLS advice of the QRadar API commands (user trial 2026-12-06: the extension's error said only "set
 * socAnalytics.qradar.caCertificateFile …", also when that file was set and did not help; the CLI had its own text):
 * one builder, {@link tlsAdviceText}, named with the extension's settings or the CLI's options. The errors are real:
 * QRadarClient against local HTTPS servers with a self-signed certificate, a private CA, an expired certificate and a
 * certificate for another host name (test/unit/qradar-api-certs.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { QRadarClient } from '../../src/core/qradar-api/client';
import { QRadarApiError } from '../../src/core/qradar-api/errors';
import { tlsAdvice } from '../../src/core/qradar-api/cli';
import { CLI_TLS_NAMES, QRADAR_TLS_SETTINGS, SETTINGS_TLS_NAMES, tlsAdviceText, tlsAdviceTopic } from '../../src/core/qradar-api/tls-advice';

const ROOT = resolve(__dirname, '../../..');

describe('TLS advice from real TLS failures', () => {
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  let pki: Awaited<ReturnType<typeof import('./qradar-api-certs')['makePki']>>;
  let selfPem = '';

  before(async () => {
    const https = await import('node:https');
    const { issue, makePki } = await import('./qradar-api-certs');
    pki = makePki();
    const self = issue('127.0.0.1', { ca: false, notBefore: Date.now() - 86_400_000, notAfter: Date.now() + 86_400_000 });
    selfPem = self.certPem;
    // `other`: the certificate for 127.0.0.1 / ::1 / localhost served on 127.0.0.2 (another loopback address)
    for (const [name, cert, host] of [['self', self, '127.0.0.1'], ['private', pki.server, '127.0.0.1'], ['expired', pki.expired, '127.0.0.1'], ['other', pki.server, '127.0.0.2']] as const) {
      const s = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (_q, r) => r.end('[]'));
      await new Promise<void>((r) => s.listen(0, host, r));
      servers.push(s);
      urls[name] = `https://${host}:${(s.address() as AddressInfo).port}`;
    }
  });
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  });

  async function failure(url: string, caPem?: string): Promise<QRadarApiError> {
    const c = new QRadarClient({ consoleUrl: url, token: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', timeoutMs: 5000, maxRetries: 0, caPem });
    try {
      await c.json('GET', '/siem/offenses');
    } catch (e) {
      return e as QRadarApiError;
    } finally {
      c.close();
    }
    throw new Error(`${url}: no TLS failure`);
  }

  test('self-signed console, no CA file: the CA file setting first, allowInsecureTls only as a last resort', async () => {
    const e = await failure(urls.self);
    assert.equal(e.kind, 'tls');
    assert.equal(e.details.errno, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.equal(tlsAdviceTopic(e), 'ca');
    assert.equal(
      tlsAdviceText(e, false, SETTINGS_TLS_NAMES),
      "the console's certificate is self-signed (a QRadar console's default): give that certificate (PEM; e.g. from openssl s_client -showcerts -connect <console>:443) as a PEM file in the setting socAnalytics.qradar.caCertificateFile; as a last resort, the setting socAnalytics.qradar.allowInsecureTls skips the verification (the token could then reach an impostor: only on a network you trust, for a test console). Certificates are verified unless socAnalytics.qradar.allowInsecureTls is on.",
    );
    // the CLI: the same text with its options, as a stderr line
    assert.equal(
      tlsAdvice(e, 'qradar-fetch', false),
      "soc-analytics qradar-fetch: the console's certificate is self-signed (a QRadar console's default): give that certificate (PEM; e.g. from openssl s_client -showcerts -connect <console>:443) with --ca <file>; as a last resort, --insecure skips the verification (the token could then reach an impostor: only on a network you trust, for a test console). Certificates are verified unless --insecure is given.\n",
    );
    // the console's own certificate as the CA file: verified, no failure
    const ok = new QRadarClient({ consoleUrl: urls.self, token: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee', timeoutMs: 5000, maxRetries: 0, caPem: selfPem });
    try {
      assert.deepEqual((await ok.json('GET', '/siem/offenses')).data, []);
    } finally {
      ok.close();
    }
  });

  test('self-signed console, another CA file set: the certificate still did not verify with it', async () => {
    const e = await failure(urls.self, pki.otherCa.certPem);
    assert.ok(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN'].includes(e.details.errno ?? ''), e.details.errno);
    assert.match(
      tlsAdviceText(e, true, SETTINGS_TLS_NAMES),
      /^the console's certificate is self-signed and still did not verify with the CA file of socAnalytics\.qradar\.caCertificateFile \(it does not hold that certificate\): give the console's own certificate \(PEM\) as a PEM file in the setting socAnalytics\.qradar\.caCertificateFile; as a last resort, the setting socAnalytics\.qradar\.allowInsecureTls/,
    );
  });

  test('private CA: give that CA; with another CA file set, it still did not verify with it', async () => {
    const e = await failure(urls.private);
    assert.equal(e.details.errno, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.match(tlsAdviceText(e, false, SETTINGS_TLS_NAMES), /^the console's certificate is signed by a CA this system does not trust \(a private CA\): give that CA certificate \(PEM\) as a PEM file in the setting socAnalytics\.qradar\.caCertificateFile;/);
    const e2 = await failure(urls.private, pki.otherCa.certPem);
    assert.equal(e2.details.errno, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    assert.match(tlsAdviceText(e2, true, CLI_TLS_NAMES), /^the console's certificate still did not verify with the --ca file \(it does not hold the CA that signed the certificate\): give that CA \(PEM\) with --ca <file>; as a last resort, --insecure skips/);
  });

  test('expired certificate and another host name', async () => {
    const e = await failure(urls.expired, pki.ca.certPem);
    assert.equal(e.details.errno, 'CERT_HAS_EXPIRED');
    assert.equal(tlsAdviceTopic(e), 'clock');
    assert.match(tlsAdviceText(e, true, SETTINGS_TLS_NAMES), /^the console's certificate is expired \(check this computer's clock; the console's administrator renews it\); as a last resort/);
    // the certificate names 127.0.0.1, ::1 and localhost; the console URL says 127.0.0.2
    const e2 = await failure(urls.other, pki.ca.certPem);
    assert.equal(e2.details.errno, 'ERR_TLS_CERT_ALTNAME_INVALID');
    assert.equal(tlsAdviceTopic(e2), 'url');
    assert.match(tlsAdviceText(e2, true, SETTINGS_TLS_NAMES), /^the console's certificate is for another name: give the setting socAnalytics\.qradar\.consoleUrl with a host name the certificate names;/);
  });
});

test('not a TLS failure: no advice', () => {
  const e = new QRadarApiError('HTTP 401', 'http', { status: 401 });
  assert.equal(tlsAdviceText(e, true, SETTINGS_TLS_NAMES), '');
  assert.equal(tlsAdviceTopic(e), undefined);
  assert.equal(tlsAdviceText(new Error('x'), false, SETTINGS_TLS_NAMES), '');
});

test('the setting names are those package.json contributes, and the extension shows the advice with Open Settings', () => {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { contributes: { configuration: { properties: Record<string, unknown> } | { properties: Record<string, unknown> }[] } };
  const conf = pkg.contributes.configuration;
  const props = Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c) => c.properties)) as Record<string, unknown>;
  for (const id of Object.values(QRADAR_TLS_SETTINGS)) assert.ok(id in props, id);
  const ext = readFileSync(resolve(ROOT, 'src/extension/qradar-api.ts'), 'utf8');
  assert.match(ext, /tlsAdviceText\(e, caInUse, SETTINGS_TLS_NAMES\)/);
  assert.match(ext, /tlsAdviceText\(result\.error, caInUse, SETTINGS_TLS_NAMES\)/);
  assert.match(ext, /'Open Settings'/);
});
