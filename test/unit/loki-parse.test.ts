/**
 * Loki parser tests: the four real Python Loki files (exact values derived by hand from the files),
 * the §4 samples S01-S25 of shared/docs/loki-format.md, every layout and the damage cases.
 * Fixtures: test/fixtures/loki (regenerate with `node test/fixtures/loki/generate.mjs`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LokiLineParser, parseLokiFile, parseLokiText } from '../../src/core/parse/loki';
import { LineDecoder, sniffEncoding } from '../../src/core/parse/lines';
import type { LokiFileResult, LokiFinding } from '../../src/core/model/loki';

// Compiled to out/test/unit/ → repo root is three levels up; shared/ sits beside the repo.
const REPO = path.resolve(__dirname, '../../..');
const REAL = path.resolve(__dirname, '../../../../shared/data/loki/real-2021-2022');
const FIX = path.join(REPO, 'test/fixtures/loki');
const fx = (name: string) => path.join(FIX, name);

function accounting(r: LokiFileResult): void {
  assert.equal((r.parsedLines ?? -1) + (r.unparsedLines ?? -1), r.lines, 'parsed + unparsed = lines');
  assert.equal(r.errors.filter((e) => e.line > 0).length, r.unparsedLines, 'one error per unparsed line');
}
const rules = (fs: LokiFinding[]) => fs.map((f) => f.reasons.map((r) => r.rule));
const U = (y: number, mo: number, d: number, h: number, mi: number, s: number) => Date.UTC(y, mo - 1, d, h, mi, s);

// ------------------------------------------------------------------ real data

test('real: DS1 (scan_result (1).csv, Loki 0.42.3)', async () => {
  const r = await parseLokiFile(path.join(REAL, 'scan_result (1).csv'));
  accounting(r);
  assert.equal(r.format, 'loki-csv');
  assert.equal(r.encoding, 'utf-8');
  assert.equal(r.lines, 32);
  assert.equal(r.unparsedLines, 0);
  assert.deepEqual(r.errors, []);
  assert.equal(r.scans.length, 1);
  const s = r.scans[0];
  assert.equal(s.host, 'DS1');
  assert.equal(s.tool, 'loki');
  assert.equal(s.lokiVersion, '0.42.3');
  assert.equal(s.verdict, 'indicators');
  assert.equal(s.complete, true);
  assert.deepEqual(s.reported, { alerts: 6, warnings: 4, notices: 3 });
  assert.deepEqual([s.alerts, s.warnings, s.notices], [6, 4, 1]);
  assert.equal(s.scanStart, U(2022, 1, 19, 18, 42, 49)); // TIME: of the Starting line
  assert.equal(s.scanEnd, U(2022, 1, 19, 19, 59, 33));
  assert.equal(s.messages.length, 0);
  assert.equal(r.findings.length, 11);
  assert.deepEqual(
    r.findings.map((f) => [f.level, f.path, f.score, f.source.line]),
    [
      ['WARNING', 'C:\\Program Files (x86)\\WinPcap\\Uninstall.exe', 70, 16],
      ['WARNING', 'C:\\ProgramData\\collectt\\settings.db', 70, 17],
      ['WARNING', 'C:\\Users\\jdoe\\configuration', 80, 19], // missing space before SCORE:
      ['ALERT', 'C:\\Users\\Administrator\\tools\\fastrack', 140, 20],
      ['ALERT', 'C:\\Users\\Administrator\\Downloads\\fx1.exe', 145, 21],
      ['ALERT', 'C:\\Users\\Administrator\\Downloads\\pwer.cs', 140, 22],
      ['NOTICE', 'C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\Windows\\WER\\ReportArchive\\AppCrash_sa.exe_8a258258c2ed99a99740abc8f26f6ee2e8f80_38eebe0f_cab_0389c2e9\\Report.wer', 45, 23],
      ['WARNING', 'C:\\Users\\jdoe\\configuration', 80, 24],
      ['ALERT', 'C:\\Users\\jdoe\\report2.txt', 140, 25],
      ['ALERT', 'C:\\Users\\jdoe\\Documents\\fx1.exe', 145, 26],
      ['ALERT', 'C:\\Users\\jdoe\\Documents\\pwer.cs', 140, 27],
    ],
  );
  assert.deepEqual(rules(r.findings), [
    ['S149_WinPcap'],
    ['Hacktool_Strings_p0wnedShell'],
    ['APT10_Malware_Sample_Gen'],
    ['FVEY_ShadowBroker_Auct_Dez16_Strings', 'APT_MAL_Sandworm_Exaramel_Socket_Path'],
    ['EquationDrug_HDDSSD_Op_RID2F2E', 'EquationDrug_HDDSSD_Op'],
    ['Hacktool_Strings_p0wnedShell', 'Mimikatz_Memory_Rule_RID2F34'],
    ['SUSP_WER_Suspicious_Crash_Directory'],
    ['APT10_Malware_Sample_Gen'],
    ['FVEY_ShadowBroker_Auct_Dez16_Strings', 'APT_MAL_Sandworm_Exaramel_Socket_Path'],
    ['EquationDrug_HDDSSD_Op_RID2F2E', 'EquationDrug_HDDSSD_Op'],
    ['Hacktool_Strings_p0wnedShell', 'Mimikatz_Memory_Rule_RID2F34'],
  ]);
  assert.ok(r.findings.every((f) => f.host === 'DS1' && f.module === 'FileScan' && f.kind === 'file' && f.scanIndex === 0));
  const cfg = r.findings[2];
  assert.equal(cfg.md5, 'c67558d2650a612c286f75f2cea72938');
  assert.equal(cfg.sha1, '902dac4c084c4ba5006b2d29992befd1118c866a');
  assert.equal(cfg.sha256, 'bacd3297e813b933a09842c63928e0b65afeec8b1ac8f3feae5d976660105624');
  assert.equal(cfg.fileType, 'UNKNOWN');
  assert.equal(cfg.size, 36765);
  assert.equal(cfg.timestamp, U(2022, 1, 19, 18, 50, 46));
  assert.equal(cfg.created, 'Mon Dec 27 03:30:46 2021');
  // 0.42.3: no AUTHOR key; two glued reasons on the ALERT at line 20
  const fvey = r.findings[3].reasons;
  assert.deepEqual(
    fvey.map(({ raw, ...x }) => (void raw, x)),
    [
      {
        kind: 'yara', rule: 'FVEY_ShadowBroker_Auct_Dez16_Strings', subscore: 60,
        description: 'String from the ShodowBroker Files Screenshots - Dec 2016',
        ref: 'https://bit.no.com:43110/theshadowbrokers.bit/post/message6/',
        matches: 'Str1: elatedmonkey Str2: endlessdonut Str3: catflap Str4: charm_penguin Str5: charm_hammer Str6: dampcrowd Str7: ebbshave Str8: eggbasket S ... (truncated)',
      },
      {
        kind: 'yara', rule: 'APT_MAL_Sandworm_Exaramel_Socket_Path', subscore: 80,
        description: 'Detects path of the unix socket created to prevent concurrent executions in Exaramel malware',
        ref: 'https://www.cert.ssi.gouv.fr/uploads/CERTFR-2021-CTI-005.pdf', matches: 'Str1: /tmp/.applocktx',
      },
    ],
  );
  const wer = r.findings[6];
  assert.equal(wer.fileType, 'WER');
  assert.equal(wer.modified, 'Wed Jul 13 13:37:48 2016');
});

test('real: DS-SER1 (scan_result (1).log, Loki 0.44.2)', async () => {
  const r = await parseLokiFile(path.join(REAL, 'scan_result (1).log'));
  accounting(r);
  assert.equal(r.format, 'loki-csv');
  assert.equal(r.lines, 23);
  assert.equal(r.unparsedLines, 0);
  assert.equal(r.scans.length, 1);
  const s = r.scans[0];
  assert.equal(s.host, 'DS-SER1');
  assert.equal(s.lokiVersion, '0.44.2');
  assert.equal(s.verdict, 'indicators');
  assert.deepEqual(s.reported, { alerts: 1, warnings: 3, notices: 2 });
  assert.deepEqual([s.alerts, s.warnings, s.notices], [1, 3, 0]);
  assert.equal(s.scanStart, U(2021, 10, 13, 22, 11, 3));
  assert.equal(s.scanEnd, U(2021, 10, 13, 23, 11, 16));
  assert.equal(s.messages.length, 0);
  assert.equal(r.findings.length, 4);
  assert.deepEqual(
    r.findings.map((f) => [f.level, f.path, f.score]),
    [
      ['WARNING', 'C:\\Program Files\\WinPcap\\Uninstall.exe', 70],
      ['WARNING', 'C:\\Program Files (x86)\\WinSCP\\PuTTY\\pageant.exe', 70],
      ['WARNING', 'C:\\Program Files (x86)\\WinSCP\\PuTTY\\puttygen.exe', 70],
      ['ALERT', 'C:\\Users\\asmith\\.m2\\repository\\org\\apache\\struts\\struts-core\\1.3.8\\struts-core-1.3.8.jar', 100],
    ],
  );
  assert.deepEqual(rules(r.findings), [['S149_WinPcap'], ['S179_putty'], ['S179_putty'], ['66178d4a9279ebb1cd1eb79c10dc204b4199f061']]);
  const putty = r.findings[1].reasons[0];
  assert.equal(putty.author, '-');
  assert.equal(putty.ref, '-');
  assert.equal(putty.description, 'Putty');
  assert.equal(putty.matches, 'Str1: Simon Tatham Str2: PuTTY');
  assert.equal(r.findings[1].created, 'Mon Apr  5 12:28:51 2021'); // ctime double space kept
  const jar = r.findings[3];
  assert.equal(jar.fileType, 'ZIP');
  assert.equal(jar.md5, '868de456b4d4331d6dcc4e8d3bee884e');
  assert.equal(jar.sha256, 'a7881710517dd6a50fa81c04d494e1493ad326bcc1adf2eb9493e5eb9ca9e077');
  const h = jar.reasons[0];
  assert.equal(h.kind, 'hash-ioc');
  assert.equal(h.hashType, 'SHA1');
  assert.equal(h.subscore, 100);
  assert.equal(h.description, 'DCSO Vuln List https://goo.gl/7jGkpV struts-core-1.3.8.jar vulnerable Struts Version See CVE-2017-5638 | CVE-2017-9791 | CVE-2017-9805');
});

test('real: AD (scan_result (2).log) is clean with 4 ERROR messages', async () => {
  const r = await parseLokiFile(path.join(REAL, 'scan_result (2).log'));
  accounting(r);
  assert.equal(r.format, 'loki-csv');
  assert.equal(r.lines, 22);
  assert.equal(r.unparsedLines, 0);
  const s = r.scans[0];
  assert.equal(r.scans.length, 1);
  assert.equal(s.host, 'AD');
  assert.equal(s.lokiVersion, '0.44.2');
  assert.equal(s.verdict, 'clean');
  assert.deepEqual(s.reported, { alerts: 0, warnings: 0, notices: 2 });
  assert.deepEqual([s.alerts, s.warnings, s.notices], [0, 0, 0]);
  assert.equal(s.scanStart, U(2021, 10, 13, 21, 59, 33));
  assert.equal(s.scanEnd, U(2021, 10, 13, 22, 51, 36));
  assert.equal(r.findings.length, 0);
  assert.equal(s.messages.length, 4);
  assert.ok(s.messages.every((m) => m.level === 'ERROR' && m.module === 'Init' && m.message.startsWith('Error reading signature file')));
  assert.deepEqual(s.messages.map((m) => m.source.line), [10, 11, 12, 13]);
});

test('real: Server1 (scan_result (3).log) is suspicious', async () => {
  const r = await parseLokiFile(path.join(REAL, 'scan_result (3).log'));
  accounting(r);
  assert.equal(r.format, 'loki-csv');
  assert.equal(r.lines, 24);
  assert.equal(r.unparsedLines, 0);
  const s = r.scans[0];
  assert.equal(s.host, 'Server1');
  assert.equal(s.lokiVersion, '0.44.2');
  assert.equal(s.verdict, 'suspicious');
  assert.deepEqual(s.reported, { alerts: 0, warnings: 4, notices: 2 });
  assert.deepEqual([s.alerts, s.warnings, s.notices], [0, 4, 0]);
  assert.equal(s.scanStart, U(2021, 10, 13, 21, 11, 45));
  assert.equal(s.scanEnd, U(2021, 10, 13, 22, 32, 38));
  assert.equal(r.findings.length, 4);
  assert.deepEqual(r.findings.map((f) => f.path), [
    'C:\\SandBoxDeployementScripts\\PSTools\\PsExec.exe',
    'C:\\SandBoxDeployementScripts\\PSTools\\PsExec64.exe',
    'C:\\Users\\admin\\Downloads\\PSTools\\PsExec.exe',
    'C:\\Users\\admin\\Downloads\\PSTools\\PsExec64.exe',
  ]);
  assert.deepEqual(rules(r.findings), [['psexec_generic'], ['psexec_generic'], ['psexec_generic'], ['psexec_generic']]);
  const last = r.findings[3];
  assert.equal(last.size, 1078136);
  assert.equal(last.md5, '6f47970bd915ab3d24f0cf5a24223718');
  assert.equal(last.sha256, '2c5817a56e387283e450cf2abeb4c3e97bd53de135219325c104058c533f6b60');
  const y = last.reasons[0];
  assert.deepEqual([y.description, y.ref, y.author, y.matches], [
    'not set', 'Sysinternals PsExec Generic', '@patrickrolsen', 'Str1: PsInfSvc Str2: %s -install Str3: %s -remove Str4: PsExec Str5: psexec',
  ]);
});

// ------------------------------------------------------------------ §4 samples

test('S01-S13: Python plain log (Windows, CRLF)', async () => {
  const r = await parseLokiFile(fx('samples-plain-win.log'));
  accounting(r);
  assert.equal(r.format, 'loki-plain');
  assert.equal(r.lines, 13);
  assert.equal(r.unparsedLines, 0);
  const s = r.scans[0];
  assert.equal(r.scans.length, 1);
  assert.equal(s.host, 'FIN-WS0142');
  assert.equal(s.lokiVersion, '0.51.1');
  assert.equal(s.scanStart, U(2025, 3, 12, 8, 14, 2));
  assert.equal(s.verdict, 'indicators');
  assert.deepEqual(s.reported, { alerts: 3, warnings: 3, notices: 57 }); // S12
  assert.deepEqual([s.alerts, s.warnings, s.notices], [3, 3, 2]);
  assert.equal(s.messages.length, 1); // S11 ERROR
  assert.equal(s.messages[0].message, "Cannot YARA scan file: b'C:\\\\Users\\\\j.meier\\\\AppData\\\\Local\\\\Temp'");
  const byLine = new Map(r.findings.map((f) => [f.source.line, f]));
  assert.deepEqual([...byLine.keys()], [3, 4, 5, 6, 7, 8, 9, 10]);
  // S03 memory YARA
  const s03 = byLine.get(3)!;
  assert.deepEqual(
    [s03.kind, s03.module, s03.level, s03.pid, s03.processName, s03.owner, s03.commandLine, s03.path],
    ['process', 'ProcessScan', 'ALERT', 4412, 'rundll32.exe', 'j.meier', 'rundll32.exe C:\\ProgramData\\UpdSvc\\core.dll,StartW', 'C:\\Windows\\System32\\rundll32.exe'],
  );
  assert.deepEqual([s03.reasons[0].kind, s03.reasons[0].rule], ['yara', 'MAL_Demo_Loader_Mem']);
  // S04 C2
  const s04 = byLine.get(4)!;
  assert.deepEqual([s04.kind, s04.level, s04.ip, s04.port, s04.pid, s04.processName], ['connection', 'ALERT', '203.0.113.77', 443, 4412, 'rundll32.exe']);
  assert.equal(s04.commandLine, 'rundll32.exe C:\\ProgramData\\UpdSvc\\core.dll,StartW');
  assert.equal(s04.reasons.length, 1);
  assert.deepEqual([s04.reasons[0].kind, s04.reasons[0].rule, s04.reasons[0].description], ['c2', '203.0.113.77', 'Demo loader C2 servers (example list)']);
  // S05 established connection
  const s05 = byLine.get(5)!;
  assert.deepEqual([s05.kind, s05.level, s05.ip, s05.port, s05.reasons.length], ['connection', 'NOTICE', '203.0.113.77', 443, 0]);
  // S06 anomaly, S07 PE-Sieve (add-on keys after PATH cut off)
  const s06 = byLine.get(6)!;
  assert.deepEqual([s06.kind, s06.pid, s06.owner, s06.reasons[0].kind, s06.reasons[0].rule], ['process', 736, 'SYSTEM', 'anomaly', 'lsass.exe parent PID is not the one of wininit.exe']);
  const s07 = byLine.get(7)!;
  assert.equal(s07.path, 'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe');
  assert.equal(s07.commandLine, '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --type=renderer --lang=de');
  assert.equal(s07.reasons[0].rule, 'PE-Sieve reported implanted process');
  // S08 two glued reasons
  const s08 = byLine.get(8)!;
  assert.deepEqual(
    [s08.path, s08.score, s08.fileType, s08.size, s08.md5, s08.sha1, s08.sha256, s08.created, s08.modified, s08.accessed],
    [
      'C:\\ProgramData\\UpdSvc\\core.dll', 150, 'EXE', 241664, '72579411a8096fb3626868f0932c0202', '06038f516a6c46d002a8137ef80cf4f1ac3817df',
      'c00c1d4e60ccce1abd56df15681ff96e03628e8177ac6299b3507699cd1862c7', 'Tue Mar  4 16:02:51 2025', 'Tue Mar  4 16:02:51 2025', 'Wed Mar 12 09:20:13 2025',
    ],
  );
  assert.equal(s08.firstBytes, '4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x000001C7A2F3B4F0>');
  assertS08Reasons(s08);
  // S09 hash IOC (TYPE: twice, comma + umlaut in path)
  const s09 = byLine.get(9)!;
  assert.equal(s09.path, 'C:\\Users\\j.meier\\Downloads\\Rechnung, März 2025.js');
  assert.equal(s09.fileType, 'UNKNOWN');
  assert.deepEqual(
    s09.reasons.map(({ raw, ...x }) => (void raw, x)),
    [{ kind: 'hash-ioc', rule: '2133a0f6cbe82b715aec0aecb567bf4a5a4b8ae630beb5488b188acd98c8a733', hashType: 'SHA256', subscore: 75, description: 'Demo JS dropper, reported by partner, low confidence' }],
  );
  // S10 no hashes
  const s10 = byLine.get(10)!;
  assert.deepEqual([s10.level, s10.firstBytes, s10.md5, s10.sha1, s10.sha256, s10.created], ['NOTICE', '-', undefined, undefined, undefined, 'Fri Feb 28 07:12:40 2025']);
  assert.deepEqual([s10.reasons[0].kind, s10.reasons[0].rule, s10.reasons[0].subscore], ['filename-ioc', '(?i)ntds.{0,20}\\.(zip|7z|rar)$', 50]);
});

function assertS08Reasons(f: LokiFinding): void {
  assert.equal(f.reasons.length, 2);
  const [a, b] = f.reasons;
  assert.equal(a.kind, 'yara');
  assert.equal(a.rule, 'MAL_Demo_Loader_Mar25');
  assert.equal(a.subscore, 80);
  assert.equal(a.description, 'Detects demo loader DLL, variant B (packed)');
  assert.equal(a.ref, 'https://example.org/research/demo-loader');
  assert.equal(a.author, 'Jane Analyst, Example CERT');
  assert.equal(a.matches, "$s1: 'StartW', $x1: 'upd-cdn.example.net/gate.php'");
  assert.equal(b.kind, 'filename-ioc');
  assert.equal(b.rule, '\\\\ProgramData\\\\UpdSvc\\\\core\\.dll');
  assert.equal(b.subscore, 70);
  assert.equal(b.description, 'Demo campaign March 2025 - loader drop location');
}

test('S14: Levenshtein (Linux, LF, FQDN host)', () => {
  const r = parseLokiText(fs.readFileSync(fx('samples-plain-linux.log'), 'utf8'), 'x.log');
  accounting(r);
  assert.equal(r.lines, 1);
  const f = r.findings[0];
  assert.equal(f.host, 'web01.corp.example.com');
  assert.equal(f.path, '/dev/shm/.cache/svch0st.exe');
  assert.equal(f.score, 60);
  assert.equal(f.created, 'Sun Mar  9 22:03:18 2025');
  assert.deepEqual([f.reasons[0].kind, f.reasons[0].rule, f.reasons[0].subscore], ['levenshtein', 'svchost.exe', 40]);
  assert.equal(r.scans[0].verdict, 'incomplete');
});

test('S15-S17: 5-column CSV; second host is a second scan', async () => {
  const r = await parseLokiFile(fx('samples-csv.log'));
  accounting(r);
  assert.equal(r.format, 'loki-csv');
  assert.equal(r.scans.length, 2);
  assert.deepEqual(r.scans.map((s) => [s.host, s.verdict]), [['FIN-WS0142', 'incomplete'], ['FIN-WS0177', 'clean']]);
  assert.deepEqual(r.scans[0].reported, { alerts: 3, warnings: 3, notices: 57 });
  assert.equal(r.findings.length, 1);
  assertS08Reasons(r.findings[0]);
  assert.equal(r.findings[0].module, 'FileScan');
});

test('S18: 4-column CSV stdout', async () => {
  const r = await parseLokiFile(fx('samples-csv-stdout.csv'));
  accounting(r);
  assert.equal(r.format, 'loki-csv-stdout');
  const f = r.findings[0];
  assert.equal(f.level, 'WARNING');
  assert.equal(f.module, 'FileScan');
  assert.equal(f.path, 'C:\\Users\\j.meier\\Downloads\\Rechnung, März 2025.js');
  assert.equal(f.reasons[0].rule, '2133a0f6cbe82b715aec0aecb567bf4a5a4b8ae630beb5488b188acd98c8a733');
});

test('S19-S23: Loki-RS plain log', async () => {
  const r = await parseLokiFile(fx('samples-rs.log'));
  accounting(r);
  assert.equal(r.format, 'lokirs-plain');
  assert.equal(r.lines, 5);
  const s = r.scans[0];
  assert.equal(s.tool, 'loki-rs');
  assert.equal(s.host, 'build-srv-07');
  assert.equal(s.verdict, 'indicators'); // from Alerts: 1
  assert.equal(s.complete, true);
  assert.deepEqual(s.reported, { alerts: 1, warnings: 1, notices: 0 });
  assert.equal(s.scanEnd, U(2026, 2, 3, 9, 52, 10));
  // S19 is a WARNING but not a finding
  assert.equal(s.messages.length, 1);
  assert.equal(s.messages[0].level, 'WARNING');
  assert.equal(r.findings.length, 2);
  const [s21, s22] = r.findings;
  assert.deepEqual([s21.kind, s21.level, s21.path, s21.score], ['file', 'ALERT', '/opt/ci/cache/tools/libcrypt-compat.so', 84]);
  assert.deepEqual(
    s21.reasons.map(({ raw, ...x }) => (void raw, x)),
    [
      { kind: 'yara', rule: 'MAL_Demo_ELF_Miner', description: 'Detects demo ELF miner; stripped build', author: 'Jane Analyst' },
      { kind: 'hash-ioc', rule: '9b7afc227d1d3efa11b7e3f635e9bb8361b14538103b7ba516b6f1e7ffc31541', description: 'Demo miner sample, Feb 2026' },
    ],
  );
  assert.deepEqual([s22.kind, s22.module, s22.level, s22.processName, s22.score, s22.ip, s22.port], ['process', 'ProcessScan', 'WARNING', 'python3', 70, '203.0.113.77', 443]);
  assert.deepEqual([s22.reasons[0].kind, s22.reasons[0].rule, s22.reasons[0].description], ['c2', '203.0.113.77', 'Demo loader C2 servers (example list)']);
});

test('S24-S25: Loki-RS JSONL', async () => {
  const r = await parseLokiFile(fx('samples-rs.jsonl'));
  accounting(r);
  assert.equal(r.format, 'lokirs-jsonl');
  assert.equal(r.findings.length, 2);
  const [a, b] = r.findings;
  assert.equal(a.timestamp, Date.UTC(2026, 1, 3, 9, 41, 27, 418));
  assert.deepEqual(
    [a.kind, a.level, a.host, a.path, a.score, a.fileType, a.size, a.md5, a.sha1, a.sha256, a.created, a.accessed],
    [
      'file', 'ALERT', 'build-srv-07', '/opt/ci/cache/tools/libcrypt-compat.so', 84, 'EXECUTABLE AND LINKABLE FORMAT', 48712,
      '1e94b5d4a2f74d8fa9baa40870d53b86', '9dcb6a6fdffad290809808f5ed351b4348256430', '9b7afc227d1d3efa11b7e3f635e9bb8361b14538103b7ba516b6f1e7ffc31541',
      '2026-01-29T14:02:11+00:00', '2026-02-03T09:41:27+00:00',
    ],
  );
  assert.deepEqual(
    a.reasons.map(({ raw, ...x }) => (void raw, x)),
    [
      {
        kind: 'yara', rule: 'MAL_Demo_ELF_Miner', subscore: 75, description: 'Detects demo ELF miner; stripped build', author: 'Jane Analyst',
        ref: 'https://example.org/research/demo-miner', matches: "$s1: 'stratum+tcp://' @ 20480, $x1: 7f454c4602010100 @ 0",
      },
      { kind: 'hash-ioc', rule: '9b7afc227d1d3efa11b7e3f635e9bb8361b14538103b7ba516b6f1e7ffc31541', subscore: 70, description: 'Demo miner sample, Feb 2026' },
    ],
  );
  assert.deepEqual([b.kind, b.module, b.level, b.pid, b.processName, b.score, b.ip, b.port], ['process', 'ProcessScan', 'WARNING', 30417, 'python3', 70, '203.0.113.77', 443]);
  assert.deepEqual([b.reasons[0].kind, b.reasons[0].rule, b.reasons[0].subscore], ['c2', '203.0.113.77', 70]);
  assert.equal(r.scans[0].verdict, 'incomplete'); // no scan_end
});

// ------------------------------------------------------------------ other layouts

test('JSONL without hostname: host from file name, no error; malformed line reported; scan_end verdict', async () => {
  const r = await parseLokiFile(fx('loki_build-srv-07_2026-02-03_10-40-00.jsonl'));
  accounting(r);
  assert.equal(r.format, 'lokirs-jsonl');
  assert.deepEqual(r.errors.map((e) => e.line), [5]);
  assert.equal(r.scans.length, 1);
  const s = r.scans[0];
  assert.deepEqual([s.host, s.lokiVersion, s.verdict, s.complete], ['build-srv-07', '2.1.0', 'indicators', true]);
  assert.equal(s.scanStart, Date.UTC(2026, 1, 3, 9, 40, 0, 100));
  assert.ok(r.findings.every((f) => f.host === 'build-srv-07'));
  const anon = parseLokiText(fs.readFileSync(fx('loki_build-srv-07_2026-02-03_10-40-00.jsonl'), 'utf8'), '/x/results.jsonl');
  assert.equal(anon.scans[0].host, ''); // no host: the summary names it after its file (loki-nohost.test.ts)
  assert.equal(anon.unparsedLines, 1);
});

test('Loki-RS appended scans are split on scan start; findings carry scanIndex', async () => {
  const r = await parseLokiFile(fx('rs-two-scans.log'));
  accounting(r);
  assert.equal(r.scans.length, 3);
  assert.deepEqual(r.scans.map((s) => [s.lokiVersion, s.verdict, s.complete, s.firstLine]), [
    ['2.4.0', 'indicators', true, 1],
    ['2.5.1', 'clean', true, 6],
    ['2.5.1', 'incomplete', false, 8],
  ]);
  assert.deepEqual(r.findings.map((f) => f.scanIndex), [0, 0, 2]);
  assert.deepEqual(r.scans.map((s) => s.alerts), [1, 0, 1]);
});

test('Loki-RS legacy flexi_logger multi-line finding (best effort)', async () => {
  const r = await parseLokiFile(fx('rs-legacy.log'));
  accounting(r);
  assert.equal(r.format, 'lokirs-legacy');
  assert.equal(r.unparsedLines, 0);
  const f = r.findings[0];
  assert.deepEqual([f.level, f.path, f.score, f.fileType, f.size, f.md5], ['ALERT', '/dev/shm/x.bin', 90, 'ELF', 4096, '72579411a8096fb3626868f0932c0202']);
  assert.deepEqual([f.reasons[0].kind, f.reasons[0].rule, f.reasons[0].subscore], ['yara', 'MAL_Demo_ELF_Miner', 90]);
  assert.deepEqual([r.scans[0].lokiVersion, r.scans[0].verdict], ['2.3.1-beta', 'indicators']);
});

test('pre-0.27 plain with type, 0.10-0.17 without type, colon-less variant, 4-column pre-0.27 CSV', async () => {
  const typed = await parseLokiFile(fx('legacy-plain-typed.log'));
  accounting(typed);
  assert.equal(typed.format, 'loki-plain-legacy');
  assert.deepEqual([typed.scans[0].lokiVersion, typed.scans[0].verdict], ['0.22.0', 'suspicious']);
  assert.deepEqual([typed.findings[0].module, typed.findings[0].level, typed.findings[0].reasons[0].rule, typed.findings[0].reasons[0].ref], ['FileScan', 'WARNING', 'Demo_Old_Rule', '-']);
  assert.equal(typed.findings[0].reasons[0].author, undefined);

  const untyped = await parseLokiFile(fx('legacy-plain-untyped.log'));
  accounting(untyped);
  assert.equal(untyped.format, 'loki-plain-legacy');
  assert.deepEqual([untyped.scans[0].verdict, untyped.findings.length, untyped.findings[0].level], ['indicators', 1, 'ALERT']);
  assert.deepEqual([untyped.findings[0].md5, untyped.findings[0].sha1, untyped.findings[0].sha256], ['72579411a8096fb3626868f0932c0202', '06038f516a6c46d002a8137ef80cf4f1ac3817df', undefined]);
  assert.deepEqual(untyped.scans[0].reported, { alerts: 1, warnings: 0, notices: 0 });

  const cl = await parseLokiFile(fx('colonless.log'));
  accounting(cl);
  assert.equal(cl.format, 'loki-plain');
  assert.deepEqual([cl.scans[0].verdict, cl.findings[0].level, cl.findings[0].module, cl.findings[0].reasons[0].description], ['indicators', 'ALERT', 'FileScan', '']);

  const c4 = await parseLokiFile(fx('legacy-csv4.log'));
  accounting(c4);
  assert.equal(c4.format, 'loki-csv-stdout');
  assert.equal(c4.findings[0].path, 'C:\\Temp\\a, b.exe');
  assert.equal(c4.findings[0].reasons[0].description, 'Old, demo "rule"');
  assert.deepEqual([c4.scans[0].verdict, c4.scans[0].lokiVersion], ['suspicious', '0.22.0']);
});

test('Python remote syslog: header stripped, BOM before MSG', async () => {
  const r = await parseLokiFile(fx('syslog.log'));
  accounting(r);
  assert.equal(r.format, 'loki-plain');
  assert.equal(r.unparsedLines, 0);
  assert.equal(r.findings[0].timestamp, Date.UTC(2025, 2, 12, 9, 20, 13, 512));
  assertS08Reasons(r.findings[0]);
  assert.equal(r.scans[0].lokiVersion, '0.51.1');
});

// ------------------------------------------------------------------ damage

test('encodings: UTF-8 BOM, UTF-16 LE/BE BOM, UTF-16 LE without BOM, windows-1252 fallback', async () => {
  for (const [name, enc] of [
    ['utf8-bom.log', 'utf-8'],
    ['utf16le-bom.log', 'utf-16le'],
    ['utf16be-bom.log', 'utf-16be'],
    ['utf16le-nobom.log', 'utf-16le'],
    ['cp1252.log', 'windows-1252'],
  ] as const) {
    const r = await parseLokiFile(fx(name));
    accounting(r);
    assert.equal(r.encoding, enc, name);
    assert.equal(r.format, 'loki-plain', name);
    assert.equal(r.lines, 4, name);
    assert.equal(r.unparsedLines, 0, name);
    assert.equal(r.scans[0].host, 'FIN-WS0142', name);
    assert.equal(r.scans[0].lokiVersion, '0.51.1', name);
    assert.equal(r.scans[0].verdict, 'indicators', name);
    assert.equal(r.findings[0].path, 'C:\\Users\\j.meier\\Downloads\\Rechnung, März 2025.js', name);
  }
});

test('windows-1252 fallback: bytes 0x80–0x9F are € ’ “ ” … (WHATWG), also in a sequence cut short at the end of the file (Node 20 one-shot TextDecoder: C1 controls)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soc-cp1252-'));
  try {
    // a UTF-8 head (the sniffed encoding), then a finding whose path holds windows-1252 bytes: the fallback happens
    // mid-file, on the byte path of the Python CSV format and on the string path of the plain format
    const head = '20240101T10:00:00Z,HOST1,INFO,Init,Starting Loki Scan VERSION: 0.51.0 SYSTEM: HOST1 TIME: 20240101T10:00:00Z PLATFORM: w\n';
    const pad = Array.from({ length: 3000 }, (_, i) => `20240101T10:00:01Z,HOST1,INFO,FileScan,Scanning C:\\dir${i}\n`).join('');
    const finding = Buffer.concat([
      Buffer.from('20240101T10:00:02Z,HOST1,ALERT,FileScan,FILE: C:\\Users\\x\\Rechnung ', 'latin1'),
      Buffer.from([0x80, 0x20, 0x92, 0x93, 0x94, 0x85]), // € ’“”…
      Buffer.from('.exe SCORE: 120 TYPE: EXE SIZE: 10 FIRST_BYTES: 4d5a / MZ REASON_1: Yara Rule MATCH: Test_Rule SUBSCORE: 120 DESCRIPTION: d REF: - AUTHOR: a\n', 'latin1'),
    ]);
    const file = path.join(dir, 'cp1252-late.csv');
    fs.writeFileSync(file, Buffer.concat([Buffer.from(head + pad, 'utf8'), finding]));
    const r = await parseLokiFile(file);
    assert.equal(r.encoding, 'windows-1252');
    assert.equal(r.findings.length, 1);
    assert.equal(r.findings[0].path, 'C:\\Users\\x\\Rechnung \u20ac \u2019\u201c\u201d\u2026.exe');
    assert.ok(r.warnings?.some((w) => /decoded as windows-1252/.test(w.message)));
    // a UTF-8 sequence cut short at the very end of the file (E2 80, no line break): its bytes are decoded on
    // their own after the stream, where Node 20's one-shot TextDecoder('windows-1252') gave U+0080 for 0x80
    for (const tail of [Buffer.from('20240101T10:00:03Z,HOST1,ERROR,FileScan,Cannot read C:\\x', 'latin1')]) {
      const f2 = path.join(dir, 'cut-short.log');
      fs.writeFileSync(f2, Buffer.concat([Buffer.from(head, 'utf8'), tail, Buffer.from([0xe2, 0x80])]));
      const r2 = await parseLokiFile(f2);
      assert.equal(r2.encoding, 'windows-1252');
      const last = r2.scans.flatMap((sc) => sc.messages).map((m) => m.message).pop() ?? '';
      assert.ok(last.endsWith('C:\\x\u00e2\u20ac'), JSON.stringify(last));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('binary file → notText "binary" (skipped by the analysis, no error); missing file / directory → line-0 error, no throw', async () => {
  const b = await parseLokiFile(fx('binary.bin.log'));
  assert.deepEqual(b.errors, []);
  assert.equal(b.notText, 'binary');
  assert.equal(b.lines, 0);
  assert.equal(b.findings.length, 0);
  const missing = await parseLokiFile(path.join(FIX, 'does-not-exist.log'));
  assert.equal(missing.errors[0].line, 0);
  assert.match(missing.errors[0].message, /ENOENT/);
  const dir = await parseLokiFile(FIX);
  assert.equal(dir.errors[0].line, 0);
});

test('spinner bytes and ANSI escapes before/inside lines', async () => {
  const r = await parseLokiFile(fx('spinner-ansi.csv'));
  accounting(r);
  assert.equal(r.unparsedLines, 0);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0].level, 'ALERT');
  assertS08Reasons(r.findings[0]);
  assert.deepEqual(r.scans[0].reported, { alerts: 3, warnings: 3, notices: 57 });
  assert.equal(r.scans[0].verdict, 'indicators');
});

test('continuation line (raw newline in MATCHES) is appended; stray first line is unparsed; mixed EOLs', async () => {
  const r = await parseLokiFile(fx('continuation.csv'));
  accounting(r);
  assert.equal(r.lines, 4);
  assert.deepEqual(r.errors, [{ file: fx('continuation.csv'), line: 1, message: 'unrecognised line (no Loki record before it)' }]);
  assert.equal(r.findings.length, 1);
  assert.equal(r.findings[0].reasons[0].matches, "$s1: 'Start\nW', $x1: 'upd-cdn.example.net/gate.php'");
  assert.equal(r.findings[0].reasons[1].rule, '\\\\ProgramData\\\\UpdSvc\\\\core\\.dll');
  assert.equal(r.findings[0].source.line, 2);
});

test('truncated last line: unparsable → reported; partially parsable → finding + warning', async () => {
  const t = await parseLokiFile(fx('truncated.csv'));
  accounting(t);
  assert.deepEqual(t.errors.map((e) => e.line), [3]);
  assert.equal(t.scans[0].verdict, 'incomplete');
  const te = await parseLokiFile(fx('truncated-envelope.csv'));
  accounting(te);
  assert.deepEqual(te.errors.map((e) => [e.line, e.message]), [[2, 'malformed or truncated record envelope']]);

  const line = fs.readFileSync(fx('samples-csv.log'), 'utf8').split('\r\n')[0];
  const cut = line.slice(0, line.indexOf('FIRST_BYTES') + 20);
  const p = parseLokiText(cut, 'cut.csv');
  accounting(p);
  assert.equal(p.unparsedLines, 0);
  assert.deepEqual([p.findings[0].path, p.findings[0].score, p.findings[0].fileType, p.findings[0].size], ['C:\\ProgramData\\UpdSvc\\core.dll', 150, 'EXE', 241664]);
  assert.equal(p.warnings.length, 1);
});

test('values containing keywords: REF: in description, REASON_2: inside MATCHES, SUBSCORE/SCORE, multi-word TYPE', () => {
  const pre = '20250312T09:20:13Z,H1,ALERT,FileScan,';
  const line =
    pre +
    'FILE: C:\\a SCORE: 5 TYPE: x.txt SCORE: 160 TYPE: EVT Event Viewer File SIZE: 10 FIRST_BYTES: -  CREATED: Tue Mar  4 16:02:51 2025 MODIFIED: Tue Mar  4 16:02:51 2025 ACCESSED: Tue Mar  4 16:02:51 2025 ' +
    "REASON_1: Yara Rule MATCH: R1 SUBSCORE: 90 DESCRIPTION: see REF: paper 2 REF: https://x.example AUTHOR: A, B MATCHES: $a: 'REASON_2: fake'" +
    'REASON_2: Malware Hash TYPE: MD5 HASH: 72579411A8096FB3626868F0932C0202 SUBSCORE: 70 DESC: d REF: nope';
  const r = parseLokiText(line, 'k.csv');
  accounting(r);
  const f = r.findings[0];
  // Lazy path: the first `SCORE: <n> TYPE:` ends the path (§5 item 17).
  assert.equal(f.path, 'C:\\a');
  assert.equal(f.score, 5);
  assert.equal(f.fileType, 'x.txt SCORE: 160 TYPE: EVT Event Viewer File');
  assert.equal(f.reasons.length, 2);
  assert.deepEqual(
    [f.reasons[0].rule, f.reasons[0].subscore, f.reasons[0].description, f.reasons[0].ref, f.reasons[0].author, f.reasons[0].matches],
    ['R1', 90, 'see REF: paper 2', 'https://x.example', 'A, B', "$a: 'REASON_2: fake'"],
  );
  assert.deepEqual([f.reasons[1].kind, f.reasons[1].rule, f.reasons[1].hashType, f.reasons[1].description], ['hash-ioc', '72579411a8096fb3626868f0932c0202', 'MD5', 'd REF: nope']);
});

test('non-detection ALERT/WARNING lines go to messages; process findings and interruption', () => {
  const h = '20250312T08:14:44Z H2 LOKI: ';
  const text = [
    h + "Alert: MODULE: ProcessScan MESSAGE: Error getting all process information. Did you run the scanner 'As Administrator'?",
    h + 'Warning: MODULE: ProcessScan MESSAGE: Too many matches on process memory - most likely a false positive PID: 1 NAME: a.exe OWNER: NT AUTHORITY\\SYSTEM CMD: a.exe PATH: C:\\a.exe',
    h + 'Warning: MODULE: ProcessScan MESSAGE: File Name Suspicious IOC matched PATTERN: (?i)mimikatz DESC: Mimikatz MATCH: C:\\t\\mimikatz.exe privilege::debug',
    h + 'Warning: MODULE: ProcessScan MESSAGE: Listening on Port 0 PID: 9 NAME: x.exe COMMAND: x.exe  IP: fe80::1 PORT: 0',
    h + 'Notice: MODULE: ProcessScan MESSAGE: Listening process PID: 9 NAME: x.exe COMMAND: None IP: 0.0.0.0 PORT: 445',
    h + 'Notice: MODULE: Init MESSAGE: Starting Loki Scan VERSION: 0.51.1 SYSTEM: H2 TIME: 20250312T08:14:02Z PLATFORM: 10',
    h + 'Warning: MODULE: VulnChecker MESSAGE: The SAM database permissions on drive C: (see https://x) are too open',
    h + "Info: MODULE: Init MESSAGE: LOKI's work has been interrupted by a human. Returning to Asgard.",
    h + 'Critical: MODULE: WMIScan MESSAGE: wmi module missing',
  ].join('\n');
  const r = parseLokiText(text, 'ns.log');
  accounting(r);
  assert.equal(r.scans.length, 1); // the scan had not 'started' yet, so the Starting line reuses it
  const all = r.scans.flatMap((s) => s.messages.map((m) => m.message.slice(0, 20)));
  // `Too many matches on process memory` is Loki's own doubt, no detection (§5 item 29): a message, as the ALERT above
  assert.deepEqual(all, ['Error getting all pr', 'Too many matches on ', "LOKI's work has been", 'wmi module missing']);
  assert.deepEqual(r.scans[0].messages[1], {
    level: 'WARNING',
    module: 'ProcessScan',
    timestamp: Date.UTC(2025, 2, 12, 8, 14, 44),
    message: 'Too many matches on process memory - most likely a false positive PID: 1 NAME: a.exe OWNER: NT AUTHORITY\\SYSTEM CMD: a.exe PATH: C:\\a.exe',
    source: { file: 'ns.log', line: 2 },
  });
  const kinds = r.findings.map((f) => [f.kind, f.level, f.reasons[0]?.kind, f.reasons[0]?.rule]);
  assert.deepEqual(kinds, [
    ['process', 'WARNING', 'filename-ioc', '(?i)mimikatz'],
    ['connection', 'WARNING', 'anomaly', 'Listening on Port 0'],
    ['connection', 'NOTICE', undefined, undefined],
    ['other', 'WARNING', 'other', 'The SAM database permissions on drive C: (see https://x) are too open'],
  ]);
  assert.equal(r.findings[0].commandLine, 'C:\\t\\mimikatz.exe privilege::debug');
  assert.deepEqual([r.findings[1].ip, r.findings[1].port, r.findings[1].commandLine], ['fe80::1', 0, 'x.exe']);
  assert.ok(r.scans.every((s) => s.verdict === 'incomplete'));
});

test('LokiLineParser: push/finish API, blank lines are ignored but counted', () => {
  const p = new LokiLineParser('api.log');
  p.push('');
  p.push('20211013T21:11:45Z,Server1,INFO,Init,Initialized 780 Yara rules\r');
  p.push('   ');
  p.push('garbage');
  const r = p.finish();
  assert.equal(r.lines, 4);
  assert.equal(r.parsedLines, 4); // 'garbage' is a continuation of the INFO record
  assert.equal(r.unparsedLines, 0);
  assert.equal(p.finish(), r);
  const q = parseLokiText('garbage\n\nmore garbage\n', 'g.log');
  assert.equal(q.format, 'unknown');
  assert.deepEqual([q.lines, q.parsedLines, q.unparsedLines], [3, 1, 2]);
});

test('streaming: chunked decode equals whole decode; onBytes; abort rejects with AbortError', async () => {
  const bytes = fs.readFileSync(fx('utf16le-bom.log'));
  for (const size of [1, 2, 3, 7, 64]) {
    const lines: string[] = [];
    const d = new LineDecoder((l) => lines.push(l), 16);
    for (let i = 0; i < bytes.length; i += size) d.write(bytes.subarray(i, i + size));
    d.end();
    assert.equal(lines.length, 4, `chunk ${size}`);
    assert.ok(lines[1].includes('März'));
  }
  const u8 = Buffer.from('a€b\r\nc\nd', 'utf8');
  for (let size = 1; size <= u8.length; size++) {
    const lines: string[] = [];
    const d = new LineDecoder((l) => lines.push(l), 2);
    for (let i = 0; i < u8.length; i += size) d.write(u8.subarray(i, i + size));
    d.end();
    assert.deepEqual(lines, ['a€b', 'c', 'd'], `utf8 chunk ${size}`);
    assert.equal(d.encoding, 'utf-8');
  }
  assert.equal(sniffEncoding(Buffer.from('h\0i\0')).encoding, 'utf-16le');
  assert.equal(sniffEncoding(Buffer.from('\0h\0i')).encoding, 'utf-16be');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loki-stream-'));
  const big = path.join(tmp, 'big.csv');
  const line = fs.readFileSync(path.join(REAL, 'scan_result (3).log'), 'utf8');
  fs.writeFileSync(big, line.repeat(400)); // ~1.9 MB → several 1 MiB chunks
  const seen: number[] = [];
  const r = await parseLokiFile(big, { onBytes: (n) => seen.push(n) });
  assert.equal(r.bytes, fs.statSync(big).size);
  assert.equal(seen[seen.length - 1], r.bytes);
  assert.ok(seen.length >= 2);
  // the same real scan 400 times: each copy's start is dated before the copy before it ended, so they count as one
  // scan (loki.ts startMisfit; a genuine rescan starts after the last one ended), with every finding kept
  assert.equal(r.scans.length, 1);
  assert.equal((r.warnings ?? []).filter((w) => /^scan start at line \d+ after the end of the scan that began at line 1 does not fit \(dated 2021-10-13T21:11:45Z, before that scan's last record at 2021-10-13T22:32:38Z\)/.test(w.message)).length, 20);
  assert.equal(r.findings.length, 1600);
  assert.equal(r.unparsedLines, 0);
  const ac = new AbortController();
  await assert.rejects(parseLokiFile(big, { signal: ac.signal, onBytes: () => ac.abort() }), (e: Error) => e.name === 'AbortError');
  const pre = new AbortController();
  pre.abort();
  await assert.rejects(parseLokiFile(big, { signal: pre.signal }), (e: Error) => e.name === 'AbortError');
  fs.rmSync(tmp, { recursive: true, force: true });
});
