#!/usr/bin/env node
/**
 * Deterministic synthetic SOC data for the benchmark (seeded PRNG: the same scale always gives the
 * same bytes). Shapes are copied from the real files in ../shared/data:
 *  - loki:   Loki `--csv` results (5 columns, CRLF) as in data/loki/real-2021-2022/scan_result (1).csv:
 *            Init header, ProcessScan/FileScan INFO lines, WARNING/ALERT/NOTICE FileScan findings with
 *            one or two (glued) reasons, Results trailer. One file per endpoint. 40 % of the file
 *            findings are on 96 paths the fleet shares, 60 % on a path of the endpoint's own.
 *  - qradar: one API-style JSON array of offenses (`GET /siem/offenses`), field set of
 *            data/qradar/samples/offenses.json, plus closing reasons (samples/offense_closing_reasons.json).
 *  - zeek:   Zeek conn.log TSV with the header of data/zeek/day-2024-04-19/conn.*.log.gz, 24 hourly
 *            files (gzipped; `--plain` writes them uncompressed as well), internal sources (10.0.0.0/8)
 *            to external destinations so the default RITA filters keep them; a share of the pairs beacon.
 *
 * Scale 8 is the full size: Loki 400 files / 2,000,000 lines / ~700 MB; QRadar 500,000
 * offenses; Zeek 10,000,000 conn records. Scale 1 is one eighth of that.
 *
 *   node bench/gen.mjs <loki|qradar|zeek> --scale 1 [--out /tmp/soc-bench] [--plain]
 * Prints the output folder. A folder that is already complete (marker file `.complete`) is reused.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export const FULL = { lokiFiles: 400, lokiLines: 2_000_000, qradarOffenses: 500_000, zeekRecords: 10_000_000 };

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
export const hex = (r, n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[(r() * 16) | 0];
  return s;
};
export const pick = (r, a) => a[(r() * a.length) | 0];
export const pad2 = (n) => (n < 10 ? '0' + n : '' + n);
export function lokiTs(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}${pad2(d.getUTCMonth() + 1)}${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}Z`;
}
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export function ctime(r) {
  return `${pick(r, DAYS)} ${pick(r, MONS)} ${String(1 + ((r() * 28) | 0)).padStart(2, ' ')} ${pad2((r() * 24) | 0)}:${pad2((r() * 60) | 0)}:${pad2((r() * 60) | 0)} ${2018 + ((r() * 5) | 0)}`;
}

// ------------------------------------------------------------------------------------------ Loki
export const RULES = [
  ['S149_WinPcap', 70, 'WinPcap', '-', 'Str1: nsis.sf.net Str2: WinPcap'],
  ['APT10_Malware_Sample_Gen', 80, 'APT 10 / Cloud Hopper malware campaign', 'https://www.pwc.co.uk/issues/cyber-security-data-privacy/insights/operation-cloud-hopper.html', 'Str1: 002562066559681.r3u8.com Str2: 031168053846049.r3u8.com'],
  ['HKTL_Mimikatz_Strings', 100, 'Detects Mimikatz strings', 'https://github.com/gentilkiwi/mimikatz', "$s1: 'sekurlsa::logonpasswords' $s2: 'kerberos::golden'"],
  ['SUSP_PowerShell_Base64', 60, 'Suspicious base64 encoded PowerShell', '-', "$a: 'JABzAD0ATgBlAHcALQBPAGIAagBlAGMAdAA'"],
  ['WEBSHELL_ASPX_Generic', 75, 'Generic ASPX web shell', 'https://github.com/Neo23x0/signature-base', "$x1: 'Request.Item[' $x2: 'eval('"],
  ['MAL_Demo_Loader', 90, 'Demo loader DLL', '-', "$s1: 'StartW' $s2: 'UpdSvc'"],
  ['PUA_AdFind', 50, 'AdFind recon tool', 'https://www.joeware.net/freetools/tools/adfind/', "$s1: 'objectcategory=computer'"],
  ['SUSP_Renamed_PsExec', 65, 'Renamed PsExec service binary', '-', "$s1: 'PSEXESVC'"],
];
export const DIRS = ['C:\\Users\\jdoe\\Downloads', 'C:\\ProgramData\\UpdSvc', 'C:\\Windows\\Temp', 'C:\\Program Files (x86)\\WinSCP\\PuTTY', 'C:\\Users\\Administrator\\tools', 'C:\\inetpub\\wwwroot\\aspnet_client', 'D:\\Shares\\Finance\\Q3', 'C:\\Users\\j.meier\\AppData\\Local\\Temp'];
export const NAMES = ['fx1.exe', 'pwer.cs', 'core.dll', 'pageant.exe', 'settings.db', 'update.ps1', 'shell.aspx', 'report2.txt', 'adfind.exe', 'svc.exe', 'Uninstall.exe', 'notes.docm'];
const PROCS = ['svchost.exe', 'OneDrive.exe', 'msedge.exe', 'explorer.exe', 'rundll32.exe', 'lsass.exe', 'chrome.exe', 'Teams.exe'];
export const TYPES = ['EXE', 'UNKNOWN', 'DLL', 'WER', 'ZIP'];

function lokiInitLines(ts, host, r) {
  return [
    `${ts},${host},NOTICE,Init,Starting Loki Scan VERSION: 0.44.2 SYSTEM: ${host} TIME: ${ts} PLATFORM: 10 10.0.14393 SP0 Multiprocessor Free PROC: Intel64 Family 6 Model 85 Stepping 4, GenuineIntel ARCH: 32bit WindowsPE`,
    `${ts},${host},NOTICE,PESieve,PE-Sieve successfully initialized BINARY: \\\\share\\loki\\tools\\pe-sieve64.exe SOURCE: https://github.com/hasherezade/pe-sieve`,
    `${ts},${host},INFO,Init,File Name Characteristics initialized with 3199 regex patterns`,
    `${ts},${host},INFO,Init,C2 server indicators initialized with 1590 elements`,
    `${ts},${host},INFO,Init,Malicious MD5 Hashes initialized with 19181 hashes`,
    `${ts},${host},INFO,Init,Malicious SHA1 Hashes initialized with 7204 hashes`,
    `${ts},${host},INFO,Init,Malicious SHA256 Hashes initialized with 23152 hashes`,
    `${ts},${host},INFO,Init,False Positive Hashes initialized with 30 hashes`,
    `${ts},${host},INFO,Init,Processing YARA rules folder \\\\share\\loki\\signature-base\\yara`,
    `${ts},${host},INFO,Init,Initializing all YARA rules at once (composed string of all rule files)`,
    `${ts},${host},INFO,Init,Initialized 780 Yara rules`,
    `${ts},${host},INFO,Init,Current user has admin rights - very good`,
    `${ts},${host},INFO,Init,Setting LOKI process with PID: ${1000 + ((r() * 9000) | 0)} to priority IDLE`,
    `${ts},${host},INFO,FileScan,Scanning Path C:\\ ...  `,
  ];
}
export function reasonText(r, rule, n) {
  const [name, sub, desc, ref, matches] = rule;
  return `REASON_${n}: Yara Rule MATCH: ${name} SUBSCORE: ${sub} DESCRIPTION: ${desc} REF: ${ref} AUTHOR: Florian Roth MATCHES: ${matches}`;
}
/** Share of Loki file findings on a fleet-wide path (the rest have a path of their own). */
export const LOKI_SHARED_PATHS = 0.4;
/**
 * Version of the Loki data's shape, kept in the folder's `.complete` marker: a folder made by an
 * older generator is made again. 2: 60 % of the file findings have a path of their own (1: every
 * path was one of the 96 of DIRS × NAMES). 3: the `Results:` trailer counts the alerts, warnings and notices of
 * the file (2 counted every finding as an alert: since 2026-12-02 the parser does not take a trailer whose counts
 * do not fit as the scan's end, and warns).
 */
export const LOKI_SHAPE = 3;
/** A file of one endpoint's own: its user's temp folder with a random subfolder. */
export function hostPath(r, host) {
  return `C:\\Users\\${host.toLowerCase()}\\AppData\\Local\\Temp\\${hex(r, 8)}.tmp\\${pick(r, NAMES)}`;
}
function lokiFinding(ts, host, r) {
  const rule1 = pick(r, RULES);
  const two = r() < 0.3;
  const rule2 = two ? pick(r, RULES) : undefined;
  const score = rule1[1] + (rule2 ? rule2[1] : 0);
  const level = score >= 100 ? 'ALERT' : score >= 60 ? 'WARNING' : 'NOTICE';
  // 40 % of the findings are on files the whole fleet shares (DIRS × NAMES: the same tool or false
  // positive on many endpoints), 60 % on a file of this endpoint's own, as in real scans (the real
  // logs in shared/data/loki: 18 distinct paths for 19 file findings).
  const file = r() < LOKI_SHARED_PATHS ? `${pick(r, DIRS)}\\${pick(r, NAMES)}` : hostPath(r, host);
  let m = `FILE: ${file} SCORE: ${score} TYPE: ${pick(r, TYPES)} SIZE: ${(r() * 2_000_000) | 0} FIRST_BYTES: 4d5a90000300000004000000ffff0000b8000000 / <filter object at 0x${hex(r, 8).toUpperCase()}> MD5: ${hex(r, 32)} SHA1: ${hex(r, 40)} SHA256: ${hex(r, 64)} CREATED: ${ctime(r)} MODIFIED: ${ctime(r)} ACCESSED: ${ctime(r)} `;
  m += reasonText(r, rule1, 1);
  if (rule2) m += reasonText(r, rule2, 2); // REASON_2 is glued to the previous reason (loki-format.md §2.2)
  return `${ts},${host},${level},FileScan,${m}`;
}
function lokiProcess(ts, host, r) {
  const p = pick(r, PROCS);
  return `${ts},${host},INFO,ProcessScan,Scanning Process PID: ${(r() * 20000) | 0} NAME: ${p} OWNER: CORP\\j.meier CMD: "C:\\Windows\\System32\\${p}" -k netsvcs -p PATH: C:\\Windows\\System32\\${p}`;
}
function lokiScanning(ts, host, r) {
  return `${ts},${host},INFO,FileScan,Scanning memory dump file ${pick(r, PROCS)}.${1628074968 + ((r() * 1e6) | 0)}.dmp`;
}

/** One endpoint's Loki CSV text (CRLF), `lines` lines long. */
export function lokiFile(index, lines) {
  const r = rng(0x10c1 + index * 7919);
  const host = `WS-${String(index).padStart(4, '0')}`;
  let t = Date.UTC(2022, 0, 10, 8, 0, 0) + index * 3_600_000;
  const out = lokiInitLines(lokiTs(t), host, r);
  const body = lines - out.length - 5;
  const counts = { ALERT: 0, WARNING: 0, NOTICE: 0 };
  for (let i = 0; i < body; i++) {
    t += (r() * 2000) | 0;
    const ts = lokiTs(t);
    const x = r();
    if (x < 0.3) {
      const line = lokiFinding(ts, host, r);
      out.push(line);
      counts[line.split(',', 3)[2]]++;
    } else if (x < 0.65) out.push(lokiProcess(ts, host, r));
    else out.push(lokiScanning(ts, host, r));
  }
  const ts = lokiTs(t + 1000);
  // Loki's own counts, as the parser checks them against what it read (a trailer that does not fit is not the scan's end)
  out.push(`${ts},${host},NOTICE,Results,Results: ${counts.ALERT} alerts, ${counts.WARNING} warnings, ${counts.NOTICE} notices`);
  out.push(`${ts},${host},RESULT,Results,Indicators detected!`);
  out.push(`${ts},${host},RESULT,Results,Loki recommends checking the elements on virustotal.com or Google and triage with a professional tool like THOR https://nextron-systems.com/thor in corporate networks.`);
  out.push(`${ts},${host},INFO,Results,Please report false positives via https://github.com/Neo23x0/signature-base`);
  out.push(`${ts},${host},NOTICE,Results,Finished LOKI Scan SYSTEM: ${host} TIME: ${ts}`);
  return out.join('\r\n') + '\r\n';
}

function genLoki(dir, scale) {
  const files = Math.round((FULL.lokiFiles * scale) / 8);
  const per = FULL.lokiLines / FULL.lokiFiles;
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const text = lokiFile(i, per);
    writeFileSync(join(dir, `loki_${String(i).padStart(4, '0')}.csv`), text);
    bytes += Buffer.byteLength(text);
  }
  return { files, lines: files * per, bytes };
}

// ---------------------------------------------------------------------------------------- QRadar
const DESCS = [
  'Excessive Firewall Denies From Single Source\n containing Firewall Deny\n',
  'Multiple Login Failures for the Same User\n containing Failure Audit: An account failed to log on\n',
  'Potential Port Scan Detected\n preceded by Firewall Deny\n',
  'Malware Detected on Host\n containing Virus Detected\n',
  'Suspicious PowerShell Execution\n containing Process Create\n',
  'Outbound Connection to Known Malicious IP\n',
  'Brute Force Attack Detected\n containing SSH Login Failed\n',
  'Data Exfiltration Suspected\n containing Large Outbound Transfer\n',
];
const CATS = ['Firewall Deny', 'Access Denied', 'Failure Audit', 'Virus Detected', 'Process Create', 'Misc Exploit', 'Recon'];
const SOURCES = ['CheckPoint @ fw-edge-01.corp.example', 'WindowsAuthServer @ dc01.corp.example', 'Sysmon @ ws-0142.corp.example', 'Palo Alto @ pa-dc-02.corp.example'];

function offense(r, id, t0) {
  const start = t0 + Math.floor(r() * 365 * 86400_000);
  const closed = r() < 0.8;
  const upd = start + ((r() * 3 * 86400_000) | 0);
  const close = closed ? upd + ((r() * 7 * 86400_000) | 0) : null;
  const desc = pick(r, DESCS);
  const ip = `${10 + ((r() * 200) | 0)}.${(r() * 255) | 0}.${(r() * 255) | 0}.${(r() * 255) | 0}`;
  const ls = pick(r, SOURCES);
  const rule = 100000 + ((r() * 400) | 0);
  return {
    id,
    description: desc,
    status: closed ? 'CLOSED' : 'OPEN',
    offense_type: r() < 0.7 ? 0 : pick(r, [1, 2, 3, 12]),
    offense_source: ip,
    magnitude: 1 + ((r() * 10) | 0),
    severity: 1 + ((r() * 10) | 0),
    credibility: 1 + ((r() * 10) | 0),
    relevance: 1 + ((r() * 10) | 0),
    event_count: (r() * 50000) | 0,
    flow_count: 0,
    assigned_to: r() < 0.5 ? pick(r, ['admin', 'analyst1', 'analyst2', 'j.meier']) : null,
    follow_up: false,
    protected: false,
    inactive: closed,
    start_time: start,
    last_updated_time: upd,
    first_persisted_time: start + 2000,
    last_persisted_time: upd + 40000,
    close_time: close,
    closing_user: closed ? pick(r, ['admin', 'analyst1', 'analyst2']) : null,
    closing_reason_id: closed ? pick(r, [1, 2, 3, 54]) : null,
    categories: [pick(r, CATS), pick(r, CATS)],
    category_count: 2,
    policy_category_count: 0,
    security_category_count: 2,
    source_network: pick(r, ['other', 'Net-10-172-192.Net_10_0_0_0', 'DMZ']),
    destination_networks: ['Net-10-172-192.Net_10_0_0_0'],
    source_address_ids: [(r() * 5000) | 0],
    local_destination_address_ids: [(r() * 500) | 0, (r() * 500) | 0, (r() * 500) | 0],
    source_count: 1,
    local_destination_count: 3,
    remote_destination_count: 0,
    device_count: 1,
    username_count: (r() * 3) | 0,
    domain_id: 0,
    rules: [{ id: rule, type: 'CRE_RULE' }],
    log_sources: [{ id: 70 + ((r() * 30) | 0), name: ls, type_id: 36, type_name: ls.split(' @ ')[0] }],
  };
}

function genQRadar(dir, scale) {
  const n = Math.round((FULL.qradarOffenses * scale) / 8);
  const r = rng(0x9ad4);
  const t0 = Date.UTC(2025, 0, 1);
  const fd = openSync(join(dir, 'offenses.json'), 'w');
  let bytes = 0;
  const w = (s) => {
    writeSync(fd, s);
    bytes += Buffer.byteLength(s);
  };
  w('[\n');
  const CHUNK = 2000;
  for (let i = 0; i < n; i += CHUNK) {
    const parts = [];
    for (let j = i; j < Math.min(n, i + CHUNK); j++) parts.push('  ' + JSON.stringify(offense(r, 1000 + j, t0)));
    w((i > 0 ? ',\n' : '') + parts.join(',\n'));
  }
  w('\n]\n');
  closeSync(fd);
  const reasons = [
    { id: 1, text: 'False-Positive, Tuned', is_deleted: false, is_reserved: true },
    { id: 2, text: 'Non-Issue', is_deleted: false, is_reserved: true },
    { id: 3, text: 'Policy Violation', is_deleted: false, is_reserved: true },
    { id: 54, text: 'Escalated to IR ticket', is_deleted: false, is_reserved: false },
  ];
  writeFileSync(join(dir, 'offense_closing_reasons.json'), JSON.stringify(reasons, null, 2));
  return { files: 2, records: n, bytes };
}

// ------------------------------------------------------------------------------------------ Zeek
const ZEEK_HEADER = (open) =>
  [
    '#separator \\x09',
    '#set_separator\t,',
    '#empty_field\t(empty)',
    '#unset_field\t-',
    '#path\tconn',
    `#open\t${open}`,
    '#fields\t_node_name\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents',
    '#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]',
  ].join('\n') + '\n';
const UIDC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Pairs: `beacons` pairs connect every `period` seconds with jitter and near-constant sizes; the rest
 * of the records are random noise pairs (a few connections each), giving ~1.4 M pairs at full size.
 */
function zeekHour(scale, hour) {
  const total = Math.round((FULL.zeekRecords * scale) / 8);
  const perHour = Math.floor(total / 24) + (hour < total % 24 ? 1 : 0);
  const r = rng(0x2ee4 + hour * 104729);
  const nBeacons = Math.max(10, Math.round((2000 * scale) / 8));
  const base = Date.UTC(2024, 3, 19, hour) / 1000;
  const lines = [];
  let count = 0;
  // beacon pairs: deterministic per pair (same rng seed per pair, independent of hour)
  for (let b = 0; b < nBeacons && count < perHour; b++) {
    const pr = rng(0xbeac + b);
    const period = [60, 300, 600, 900][b % 4];
    const src = `10.${1 + (b >> 16)}.${(b >> 8) & 255}.${b & 255}`;
    const dst = `198.51.${(b >> 8) & 255}.${(b & 255) ^ 0x5a}`;
    const size = 200 + ((pr() * 3000) | 0);
    for (let t = 0; t < 3600 && count < perHour; t += period) {
      const ts = base + t + r() * 2;
      lines.push(zeekLine(r, ts, src, dst, 443, size + ((r() * 4) | 0), 0.05 + r() * 0.01));
      count++;
    }
  }
  // noise: ~1.4 M distinct pairs at scale 8 (≈ 6–7 connections per pair over the day)
  const noisePairs = Math.round((1_400_000 * scale) / 8);
  while (count < perHour) {
    const p = (r() * noisePairs) | 0;
    const src = `10.${100 + (p % 50)}.${(p >> 6) & 255}.${(p >> 3) & 255}`;
    const dst = `${20 + (p % 180)}.${(p >> 4) & 255}.${(p >> 9) & 255}.${(p * 7) & 255}`;
    lines.push(zeekLine(r, base + r() * 3600, src, dst, pick(r, [80, 443, 53, 8080]), (r() * 50000) | 0, r() * 30));
    count++;
  }
  lines.sort((a, b) => (a.ts < b.ts ? -1 : 1));
  const open = `2024-04-19-${pad2(hour)}-00-01`;
  return ZEEK_HEADER(open) + lines.map((l) => l.s).join('\n') + `\n#close\t2024-04-19-${pad2((hour + 1) % 24)}-00-00\n`;
}
function zeekLine(r, ts, src, dst, port, bytes, dur) {
  let uid = 'C';
  for (let i = 0; i < 17; i++) uid += UIDC[(r() * 62) | 0];
  const resp = (r() * 5000) | 0;
  return {
    ts,
    s: `worker-eth0-1\t${ts.toFixed(6)}\t${uid}\t${src}\t${49152 + ((r() * 16000) | 0)}\t${dst}\t${port}\ttcp\tssl\t${dur.toFixed(6)}\t${bytes}\t${resp}\tSF\tT\tF\t0\tShADadFf\t12\t${bytes + 500}\t14\t${resp + 600}\t-`,
  };
}

function genZeek(dir, scale, plain, hours) {
  let bytes = 0;
  let records = 0;
  for (const h of hours) {
    const text = zeekHour(scale, h);
    const name = `conn.${pad2(h)}:00:00-${pad2((h + 1) % 24)}:00:00.log`;
    const buf = Buffer.from(text);
    bytes += buf.length;
    records += (text.match(/\n(?!#)/g)?.length ?? 0) - 0;
    if (plain) writeFileSync(join(dir, name), buf);
    else writeFileSync(join(dir, name + '.gz'), gzipSync(buf, { level: 1 }));
  }
  return { files: hours.length, bytes, records };
}

// ------------------------------------------------------------------------------------------- CLI
export function datasetDir(out, kind, scale, plain = false) {
  return join(out, `${kind}${plain ? '-plain' : ''}-${scale}x`);
}

async function main(argv) {
  const kind = argv[0];
  const opt = (name, d) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : d;
  };
  const scale = Number(opt('--scale', '1'));
  const out = opt('--out', '/tmp/soc-bench');
  const plain = argv.includes('--plain');
  if (!['loki', 'qradar', 'zeek'].includes(kind) || !(scale > 0)) {
    process.stderr.write('usage: node bench/gen.mjs <loki|qradar|zeek> --scale N [--out DIR] [--plain]\n');
    process.exit(2);
  }
  const dir = datasetDir(out, kind, scale, plain);
  const marker = join(dir, '.complete');
  if (existsSync(marker) && (kind !== 'loki' || JSON.parse(readFileSync(marker, 'utf8')).shape === LOKI_SHAPE)) {
    process.stdout.write(dir + '\n');
    return;
  }
  // worker mode for zeek hours (spread the gzip over the cores): --hours 0,2,4
  const hoursArg = opt('--hours');
  if (kind === 'zeek' && hoursArg) {
    mkdirSync(dir, { recursive: true });
    const info = genZeek(dir, scale, plain, hoursArg.split(',').map(Number));
    process.stdout.write(JSON.stringify(info) + '\n');
    return;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let info;
  if (kind === 'loki') info = genLoki(dir, scale);
  else if (kind === 'qradar') info = genQRadar(dir, scale);
  else {
    const { execFileSync, spawn } = await import('node:child_process');
    void execFileSync;
    const cores = 2;
    const parts = Array.from({ length: cores }, (_, c) => [...Array(24).keys()].filter((h) => h % cores === c));
    const results = await Promise.all(
      parts.map(
        (hs) =>
          new Promise((res, rej) => {
            const args = [new URL(import.meta.url).pathname, 'zeek', '--scale', String(scale), '--out', out, '--hours', hs.join(',')];
            if (plain) args.push('--plain');
            const p = spawn(process.execPath, ['--max-old-space-size=8192', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
            let s = '';
            p.stdout.on('data', (d) => (s += d));
            p.on('exit', (code) => (code === 0 ? res(JSON.parse(s)) : rej(new Error(`zeek generator exited ${code}`))));
          }),
      ),
    );
    info = results.reduce((a, b) => ({ files: a.files + b.files, bytes: a.bytes + b.bytes, records: a.records + b.records }), { files: 0, bytes: 0, records: 0 });
  }
  writeFileSync(marker, JSON.stringify({ kind, scale, plain, ...(kind === 'loki' ? { shape: LOKI_SHAPE } : {}), ...info }) + '\n');
  process.stdout.write(dir + '\n');
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  });
}
