/**
 * Turns a BeaconAnalysis into what the dashboard shows: cards, charts, small tables, the ranked
 * pairs table and a row detail with the pair's interval histogram, its connections per hour of
 * the window and its bytes distribution. Pure (no vscode).
 *
 * Times are epoch ms UTC in the data and are shown as `yyyy-MM-dd HH:mm:ss` in the display zone.
 */
import { drainSteps } from '../../slices';
import type { ActionDone, Card, ChartSeries, ColumnDef, DashboardModel, RowDetail, SmallTable } from '../../../shared/protocol';
import { cellText, groupedInt, type StoreColumn } from '../../table/store';
import { formatTime, isoUtc, zoneOffsetMinutes } from '../../time';
import { filesReadColumns, msOrNull, num, toColumnDefs, txt } from '../dashboard-kit';
import { isBackscatter, isIcmpErrorPair, neverCarriedData, type BeaconAnalysis, type BeaconRow } from './analyze';
import { fullPair } from './chart-pack';
import { FILTER_REASON_LABEL, isSafelisted, parseSafelist, safelistEntryFor, type FilterReason } from './filter';
import { LEGACY_SEVERITY_TEXT } from './score';
import { count, grouped, noun } from '../dashboard-kit';
import { problemWhere } from '../../model/common';

const SEVERITY_RANK: Record<string, number> = { high: 3, medium: 2, low: 1, none: 0 };

/**
 * A pair's severity as the dashboards, the Results tree, the CLI text report and the Markdown summary show it:
 * capitalised (`High`, `Medium`, `Low`, `None`), as the severity cards are; `--json` keeps the value (`high`).
 * Anything else is shown as it is.
 */
export function severityLabel(severity: string): string {
  return Object.hasOwn(SEVERITY_RANK, severity) ? `${severity.charAt(0).toUpperCase()}${severity.slice(1)}` : severity;
}

/**
 * The Results-tree row of a scored pair, for the default ~300 px side bar (a new user's trial read
 * `64.225.56.201 → 95.214.53.13…` and nothing of the score or count): what an analyst scans for first — the score and
 * the destination (`0.912 · 95.214.53.13`, the FQDN of an SNI pair) — then the connections, the severity and the source
 * (mostly the same internal host), `412 conns · High · from 64.225.56.201`; the tooltip has all of it, the sub-scores and
 * bytes. `facets`: the pairs table's columns that name the pair (source and destination, or FQDN), for the dashboard
 * the row opens (as filter chips).
 */
export function beaconPairTreeText(p: Pick<BeaconRow, 'src' | 'dst' | 'fqdn' | 'score' | 'severity' | 'count' | 'bytes' | 'tsScore' | 'dsScore' | 'durScore' | 'histScore'>): {
  label: string;
  description: string;
  tooltip: string;
  facets: Record<string, string>;
} {
  const severity = p.severity === 'n/a' ? 'legacy score' : severityLabel(p.severity);
  const target = pairTarget(p as BeaconRow);
  return {
    label: `${f3(p.score)} · ${target}`,
    description: `${grouped(p.count)} ${noun(p.count, 'conn')} · ${severity} · from ${p.src}`,
    tooltip:
      `${p.src} → ${target}${p.fqdn ? ` (${p.dst})` : ''}\n` +
      `score ${p.score} (${severity}; ts ${p.tsScore}, ds ${p.dsScore}, dur ${p.durScore}, hist ${p.histScore})\n` +
      `${count(p.count, 'connection')}, ${count(p.bytes, 'byte')}`,
    facets: p.fqdn ? { src: p.src, fqdn: p.fqdn } : { src: p.src, dst: p.dst },
  };
}

export const ERRORS_TABLE_LIMIT = 1000;
const PROBLEMS_SAMPLE = 20;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '');

/** Destination shown for a pair: the FQDN of SNI beacons, else the address. */
export function pairTarget(p: BeaconRow): string {
  return p.fqdn || p.dst;
}

/** Title of a pair's total bytes: orig + resp IP bytes (RITA's total_bytes), unlike the data-size score's orig bytes. */
export const BYTES_BOTH_WAYS = 'Bytes (both ways)';

/**
 * What each score and the bytes column of the pairs table mean (the header tooltips, `<title>: <this>`, so a text does
 * not repeat its column's title; rita-beacons.md §5):
 * every sub-score is 0–1, 1 the most beacon-like; the beacon score is their weighted mean (0.25 each).
 */
export const BEACON_COLUMN_HELP = {
  score: 'beacon score 0–1, the mean of the timing, data-size, duration and histogram scores (0.25 each, RITA); 1 = most beacon-like',
  tsScore: '0–1: how regular the intervals between connections are (Bowley skew and MAD of the intervals); 1 = a fixed interval',
  dsScore: '0–1: how alike the bytes the source sent per connection are (orig_ip_bytes; skew and MAD of the sizes); 1 = the same size every time',
  durScore: '0–1: the share of the observation window between the first and last connection, or the longest run of consecutive 1/24 bins with connections out of 12, whichever is higher; 1 = the whole window or 12 bins in a row',
  histScore: '0–1: how even the connections are over the 24 bins of the observation window (coefficient of variation) or how well two levels fit them (bimodal fit), whichever is higher; 1 = flat',
  bytes: 'IP bytes in both directions (orig_ip_bytes + resp_ip_bytes, RITA’s total_bytes) over all the pair’s connections; the data-size score uses only the bytes the source sent (orig_ip_bytes)',
} as const;

/**
 * Well-known services by destination port and protocol (IANA service names registry), for triage: `periodic` marks
 * infrastructure that polls on a timer by design (time sync, name resolution, address leases, discovery, directory,
 * monitoring), whose steady rhythm scores as a beacon although it usually is not one.
 */
const WELL_KNOWN: Record<string, { name: string; periodic: boolean }> = {
  '53/udp': { name: 'DNS', periodic: true },
  '53/tcp': { name: 'DNS', periodic: true },
  '853/tcp': { name: 'DNS over TLS', periodic: true },
  '123/udp': { name: 'NTP', periodic: true },
  '67/udp': { name: 'DHCP', periodic: true },
  '68/udp': { name: 'DHCP', periodic: true },
  '547/udp': { name: 'DHCPv6', periodic: true },
  '137/udp': { name: 'NetBIOS name service', periodic: true },
  '138/udp': { name: 'NetBIOS datagram', periodic: true },
  '161/udp': { name: 'SNMP', periodic: true },
  '162/udp': { name: 'SNMP trap', periodic: true },
  '514/udp': { name: 'syslog', periodic: true },
  '88/udp': { name: 'Kerberos', periodic: true },
  '88/tcp': { name: 'Kerberos', periodic: true },
  '389/udp': { name: 'LDAP (CLDAP)', periodic: true },
  '389/tcp': { name: 'LDAP', periodic: true },
  '5353/udp': { name: 'mDNS', periodic: true },
  '5355/udp': { name: 'LLMNR', periodic: true },
  '1900/udp': { name: 'SSDP', periodic: true },
  '3702/udp': { name: 'WS-Discovery', periodic: true },
  '443/tcp': { name: 'HTTPS', periodic: false },
  '443/udp': { name: 'QUIC (HTTPS)', periodic: false },
  '80/tcp': { name: 'HTTP', periodic: false },
  '8080/tcp': { name: 'HTTP (alternate)', periodic: false },
  '22/tcp': { name: 'SSH', periodic: false },
  '445/tcp': { name: 'SMB', periodic: false },
  '3389/tcp': { name: 'RDP', periodic: false },
  '25/tcp': { name: 'SMTP', periodic: false },
  '587/tcp': { name: 'SMTP submission', periodic: false },
  '993/tcp': { name: 'IMAPS', periodic: false },
};

/**
 * The well-known service of a pair's main destination port (the first of `ports`, its most frequent, e.g. `123/udp`
 * of `123/udp, 53/udp`): `{ name: 'NTP', port: '123/udp', periodic: true }`, or undefined for another port, ICMP or no
 * port. A name by port only (not a protocol check): a beacon may use a well-known port to look ordinary.
 */
export function pairService(ports: string): { name: string; port: string; periodic: boolean } | undefined {
  const first = ports.split(',')[0]?.trim().toLowerCase() ?? '';
  const hit = Object.hasOwn(WELL_KNOWN, first) ? WELL_KNOWN[first] : undefined; // (own keys only: log text picks the key)
  return hit ? { ...hit, port: first } : undefined;
}

/** The Service column's text: `NTP (timer by design)`, `HTTPS`, or `''`. */
export function pairServiceText(ports: string): string {
  const s = pairService(ports);
  return s ? (s.periodic ? `${s.name} (timer by design)` : s.name) : '';
}

/**
 * Columns of the pairs table: `severity` (sorts by band), `score`, `src`, `dst`, `fqdn`, `type`,
 * `count`, `bytes` (both ways), `tsScore` (timing), `dsScore` (data size), `durScore`, `histScore`,
 * `firstSeen`, `lastSeen` (display zone, named in the title), `ports`, `service` (after `fqdn`: the well-known
 * service of the main port, {@link pairServiceText}), `traffic` (after `service`: {@link pairTraffic}, {@link TRAFFIC_LABEL}; sorts the scan
 * artefacts last; the facet {@link TRAFFIC_HIDE_ARTEFACTS} keeps every other pair), and hidden `uniqueTs`, `tsMode`,
 * `dsMode`, `origBytes`, `noData` ({@link neverCarriedData}: yes, no, '' unknown), `threat`. The scores carry a description ({@link BEACON_COLUMN_HELP}).
 */
/**
 * The Service cell of a pair in the Markdown summary (the CLI's text report has a TRAFFIC column instead):
 * {@link pairServiceText}, with ` · backscatter` (or `backscatter` alone) for backscatter ({@link isBackscatter}), ` · no data`
 * (or `no data` alone) when the pair otherwise never carried data ({@link neverCarriedData}: its own attempts, refused or
 * unanswered); `ICMP errors only` for a pair of ICMP error messages only (no service).
 */
export function serviceCell(p: Pick<BeaconRow, 'ports' | 'exchange'>): string {
  if (isIcmpErrorPair(p)) return TRAFFIC_LABEL['icmp-errors'];
  const s = pairServiceText(p.ports);
  const tag = isBackscatter(p) === true ? 'backscatter' : neverCarriedData(p) === true ? 'no data' : '';
  return tag ? (s ? `${s} · ${tag}` : tag) : s;
}

/**
 * What kind of traffic a pair is, from what the analysis already tells apart (a label, not a score: RITA v5 scores
 * every pair alike, rita-beacons.md §5; this neither changes nor re-weighs it):
 * - `icmp-errors`: {@link isIcmpErrorPair} — ICMP error messages only (port unreachable, time exceeded…), usually the
 *   source answering a scanner's probes of closed ports: the rhythm is the prober's;
 * - `backscatter`: {@link isBackscatter} true — Zeek conn logs: no connection had a payload byte or was an open
 *   session, and Zeek flipped the direction of every one (`^` in history, e.g. `RSTO ^hR`, `OTH ^aR`): the source only
 *   answered (resets of SYN-ACKs it never asked for: scans spoofing its address);
 * - `no-data`: {@link neverCarriedData} true but not backscatter — the source's own attempts, refused or unanswered
 *   (`S0 S`, `REJ Sr`, no `^`): what a beacon to a C2 server that is down or sinkholed looks like, so not an artefact;
 * - `data`: a connection carried payload or was an open session (SNI pairs always);
 * - `unknown`: the input cannot say (generic CSV/JSON exports without conn_state/history, lone ICMP messages that are
 *   no errors, echo requests say).
 * `icmp-errors` wins over the others (a lone ICMP message has no conn_state history, so it is never `no-data`).
 */
export type PairTraffic = 'icmp-errors' | 'backscatter' | 'no-data' | 'data' | 'unknown';

/** The Traffic column's text of each {@link PairTraffic} (`unknown`: empty; each fits the column's 190 px). */
export const TRAFFIC_LABEL: Record<PairTraffic, string> = {
  'icmp-errors': 'ICMP errors only',
  backscatter: 'Backscatter',
  'no-data': 'No data exchanged',
  data: 'Data exchanged',
  unknown: '',
};

/**
 * The kinds that are usually scan artefacts (not a beacon of the source): what the Traffic facet
 * {@link TRAFFIC_HIDE_ARTEFACTS} hides. Not `no-data`: the source's own attempts without data (refused, unanswered)
 * are what a beacon to a C2 server that is down looks like.
 */
export const SCAN_ARTEFACT_KINDS: readonly PairTraffic[] = ['icmp-errors', 'backscatter'];

/**
 * The Traffic facet value that keeps every pair but the scan artefacts ({@link SCAN_ARTEFACT_KINDS}): the card
 * "Pairs without scan artefacts" sets it; the chip names it {@link TRAFFIC_HIDE_ARTEFACTS_LABEL}.
 */
export const TRAFFIC_HIDE_ARTEFACTS = 'not a scan artefact';
/** The filter chip's text of {@link TRAFFIC_HIDE_ARTEFACTS}. */
export const TRAFFIC_HIDE_ARTEFACTS_LABEL = 'scan artefacts hidden';

/** The {@link PairTraffic} of a pair (see there). */
export function pairTraffic(p: Pick<BeaconRow, 'ports' | 'exchange'>): PairTraffic {
  if (isIcmpErrorPair(p)) return 'icmp-errors';
  const quiet = neverCarriedData(p);
  return quiet === true ? (isBackscatter(p) === true ? 'backscatter' : 'no-data') : quiet === false ? 'data' : 'unknown';
}

/** Whether a pair is usually a scan artefact ({@link SCAN_ARTEFACT_KINDS}): ICMP errors only, or backscatter. */
export function isScanArtefact(p: Pick<BeaconRow, 'ports' | 'exchange'>): boolean {
  return SCAN_ARTEFACT_KINDS.includes(pairTraffic(p));
}

/** Sort rank of the Traffic column (ascending: pairs that exchanged data first, attempts without data, scan artefacts last; ties keep the score order). */
const TRAFFIC_RANK: Record<PairTraffic, number> = { data: 0, unknown: 1, 'no-data': 2, backscatter: 3, 'icmp-errors': 4 };

/** The Traffic column's header tooltip. */
export const TRAFFIC_HELP =
  'What the pair\'s connections were, a label beside RITA\'s score (the score is unchanged). "ICMP errors only": port unreachable, time exceeded… — usually the source answering a scanner\'s probes; ' +
  '"Backscatter": Zeek conn logs, no connection carried a payload byte or was an open session, and Zeek flipped the direction of each (^ in history, e.g. RSTO ^hR, OTH ^aR) — the source only answered packets it never asked for (scans spoofing its address); ' +
  '"No data exchanged": the source\'s own attempts without data, refused or unanswered (conn_state S0, REJ…, no ^) — what a beacon to a C2 server that is down or sinkholed looks like; ' +
  '"Data exchanged": a connection carried payload or was an open session; empty: the input cannot say. Click the header to sort the scan artefacts last; the card "Pairs without scan artefacts" hides ICMP errors only and backscatter.';

/** `yes` / `no` / '' (unknown). */
const yesNo = (v: boolean | undefined): string => (v === undefined ? '' : v ? 'yes' : 'no');

export function beaconColumns(zone: string): StoreColumn<BeaconRow>[] {
  return [
    // shown `High` like the cards and the chart; a facet matches either spelling (`High` from a card, `high`, the value)
    // beside the detail (its title repeats the severity, which the Score gives) the pair and its score stay whole in the
    // table (new-user trial: at 1042 px the detail, 58 % for its charts, cut the Destination)
    { id: 'severity', title: 'Severity', type: 'text', width: 80, besideDetail: 'hide', get: (p) => severityLabel(p.severity), sortKey: (p) => SEVERITY_RANK[p.severity] ?? 0, firstSort: 'desc', matches: (p, v) => p.severity === v.toLowerCase() },
    { id: 'score', title: 'Score', description: BEACON_COLUMN_HELP.score, type: 'number', width: 70, besideDetail: 'keep', get: (p) => p.score, format: (p) => f3(p.score) },
    { id: 'src', title: 'Source', type: 'text', width: 130, besideDetail: 'keep', get: (p) => p.src },
    { id: 'dst', title: 'Destination', type: 'text', width: 150, besideDetail: 'keep', get: (p) => p.dst },
    { id: 'fqdn', title: 'FQDN', type: 'text', width: 200, get: (p) => p.fqdn },
    { id: 'service', title: 'Service (by port)', description: 'The well-known service of the main destination port (IANA names). "timer by design": infrastructure that polls on a schedule (NTP, DNS, DHCP, discovery) — a steady rhythm is expected; check the destination is your own server. By port only: a beacon may hide on a well-known port.', type: 'text', width: 150, get: (p) => pairServiceText(p.ports) },
    // a label, not a score (RITA scores every pair alike): scan artefacts told apart in the table (beside Service: in view
    // at 1400 px with Connections), sorted last by a
    // header click, hidden by the card "Pairs without scan artefacts" (analyst trial: 12 of 22 scored pairs were the
    // sensor's port-unreachable replies to scanners, 4 backscatter, with no column or filter for them)
    {
      id: 'traffic',
      title: 'Traffic',
      description: TRAFFIC_HELP,
      type: 'text',
      width: 190,
      get: (p) => TRAFFIC_LABEL[pairTraffic(p)],
      sortKey: (p) => TRAFFIC_RANK[pairTraffic(p)],
      matches: (p, v) => (v === TRAFFIC_HIDE_ARTEFACTS ? !isScanArtefact(p) : TRAFFIC_LABEL[pairTraffic(p)].toLowerCase() === v.toLowerCase()),
    },
    { id: 'type', title: 'Type', type: 'text', width: 50, get: (p) => p.type },
    { id: 'count', title: 'Connections', type: 'number', width: 90, get: (p) => p.count, format: (p) => groupedInt(p.count), exportRaw: true },
    { id: 'bytes', title: BYTES_BOTH_WAYS, description: BEACON_COLUMN_HELP.bytes, type: 'number', width: 110, get: (p) => p.bytes, format: (p) => groupedInt(p.bytes), exportRaw: true },
    { id: 'tsScore', title: 'Timing score', description: BEACON_COLUMN_HELP.tsScore, type: 'number', width: 70, get: (p) => p.tsScore, format: (p) => f3(p.tsScore) },
    { id: 'dsScore', title: 'Data-size score', description: BEACON_COLUMN_HELP.dsScore, type: 'number', width: 70, get: (p) => p.dsScore, format: (p) => f3(p.dsScore) },
    { id: 'durScore', title: 'Duration score', description: BEACON_COLUMN_HELP.durScore, type: 'number', width: 70, get: (p) => p.durScore, format: (p) => f3(p.durScore) },
    { id: 'histScore', title: 'Histogram score', description: BEACON_COLUMN_HELP.histScore, type: 'number', width: 75, get: (p) => p.histScore, format: (p) => f3(p.histScore) },
    { id: 'firstSeen', title: `First seen (${zone})`, type: 'time', width: 168, get: (p) => p.firstSeenMs, format: (p) => formatTime(p.firstSeenMs, zone) },
    { id: 'lastSeen', title: `Last seen (${zone})`, type: 'time', width: 168, get: (p) => p.lastSeenMs, format: (p) => formatTime(p.lastSeenMs, zone) },
    { id: 'ports', title: 'Ports', type: 'text', width: 200, get: (p) => p.ports }, // ("icmp type 3 code 3 (port unreachable)": its type and code whole)
    { id: 'uniqueTs', title: 'Distinct timestamps', type: 'number', width: 90, hidden: true, get: (p) => p.uniqueTs, format: (p) => groupedInt(p.uniqueTs), exportRaw: true },
    { id: 'tsMode', title: 'Interval mode (s)', type: 'number', width: 90, hidden: true, get: (p) => p.tsMode, format: (p) => groupedInt(p.tsMode), exportRaw: true },
    { id: 'dsMode', title: 'Size mode (bytes)', type: 'number', width: 90, hidden: true, get: (p) => p.dsMode, format: (p) => groupedInt(p.dsMode), exportRaw: true },
    { id: 'origBytes', title: 'Bytes sent by source', description: 'IP bytes the source sent (orig_ip_bytes) over all the pair’s connections: what the data-size score reads', type: 'number', width: 100, hidden: true, get: (p) => p.origBytes, format: (p) => groupedInt(p.origBytes), exportRaw: true },
    { id: 'noData', title: 'No data', description: 'Zeek conn logs: yes when no connection of the pair had a payload byte or was an open session (conn_state REJ, RSTO, S0, OTH…, no payload letter D/d/T/t/G/g in history) — backscatter (Traffic "Backscatter") or the source\'s own attempts, refused or unanswered ("No data exchanged"); no when one did; empty when the input cannot say (generic CSVs, lone ICMP messages). Not part of the score.', type: 'text', width: 65, hidden: true, get: (p) => yesNo(neverCarriedData(p)) }, // (Traffic says it: in the chooser)
    { id: 'threat', title: 'Threat score', type: 'number', width: 80, hidden: true, get: (p) => p.threat, format: (p) => (p.severity === 'n/a' ? '' : f3(p.threat)) },
  ];
}

/**
 * The analysis as the safelist `entries` (socAnalytics.beacons.safelist, which may have grown since
 * the run) shows it: the listed pairs it matches now are left out, and the scored, listed and
 * severity counts are those of the pairs left (what a re-run would count), with a note.
 * `safelisted` is the number of pairs left out; 0 returns `a` itself. In one go: see
 * {@link withSafelistSteps} for the same in pieces.
 */
export function withSafelist<P extends BeaconRow>(a: BeaconAnalysis<P>, entries: readonly string[] | undefined): { view: BeaconAnalysis<P>; safelisted: number } {
  return drainSteps(withSafelistSteps(a, entries));
}

/** Pairs tested between two pauses of {@link withSafelistSteps}. */
export const SAFELIST_STEP = 4_096;

/**
 * {@link withSafelist} as steps: the generator pauses after every {@link SAFELIST_STEP} listed pairs tested and returns
 * the same view. Run it with `runInSlices` (src/core/slices.ts) on the extension host: a safelist changed since the run
 * is tested against every listed pair, 0.45–0.9 s in one piece for the 1.2 million pairs of 10 million connections.
 */
export function* withSafelistSteps<P extends BeaconRow>(a: BeaconAnalysis<P>, entries: readonly string[] | undefined): Generator<void, { view: BeaconAnalysis<P>; safelisted: number }> {
  const list = parseSafelist(entries);
  if (!list.rules.length) return { view: a, safelisted: 0 };
  const off = { high: 0, medium: 0, low: 0 };
  const pairs: P[] = [];
  const all = a.pairs;
  for (let i = 0; i < all.length; i++) {
    if ((i & (SAFELIST_STEP - 1)) === SAFELIST_STEP - 1) yield;
    const p = all[i];
    const hide = isSafelisted(list, p.src, p.type === 'sni' ? '' : p.dst, p.fqdn || undefined);
    if (!hide) pairs.push(p);
    else if (p.severity !== 'none' && p.severity !== 'n/a') off[p.severity]++;
  }
  const safelisted = all.length - pairs.length;
  if (safelisted === 0) return { view: a, safelisted: 0 };
  return {
    view: {
      ...a,
      pairs,
      pairStats: undefined, // the worker's counts are of every listed pair
      safelistChecked: undefined,
      // the bands count every scored pair (also those below the minimum score): less the safelisted ones
      summary: { ...a.summary, pairs: Math.max(0, a.summary.pairs - safelisted), listed: pairs.length, ...bandsLess(a.summary, off) },
      notes: [`${count(safelisted, 'pair')} safelisted since the run: left out of this dashboard (a re-run leaves their connections out)`, ...a.notes],
    },
    safelisted,
  };
}

/** The severity bands of `s` less `off` (never below 0). */
function bandsLess(s: { high: number; medium: number; low: number }, off: { high: number; medium: number; low: number }): { high: number; medium: number; low: number } {
  return { high: Math.max(0, s.high - off.high), medium: Math.max(0, s.medium - off.medium), low: Math.max(0, s.low - off.low) };
}

/**
 * The card that hides the scan artefacts (pairs of ICMP errors only or backscatter, {@link isScanArtefact}; not the
 * source's own attempts without data) in one click: `Pairs without scan artefacts` = the listed pairs less those, its facet {@link TRAFFIC_HIDE_ARTEFACTS} on
 * the Traffic column, its tooltip how many of each. None when no listed pair is one (the card would hide nothing).
 */
function artefactCards(a: BeaconAnalysis<BeaconRow>, stats: BeaconPairStats): Card[] {
  const { icmp, flipped, attempts } = stats.traffic;
  const off = icmp + flipped;
  if (off === 0) return [];
  const parts = [icmp ? `${grouped(icmp)} ICMP errors only` : '', flipped ? `${grouped(flipped)} backscatter (no data, direction flipped by Zeek: the source only answered)` : ''].filter(Boolean).join(', ');
  const kept = attempts ? ` The ${grouped(attempts)} pair${attempts === 1 ? '' : 's'} "No data exchanged" (the source's own attempts, refused or unanswered — a beacon to a C2 server that is down looks so) stay${attempts === 1 ? 's' : ''}.` : ' Pairs "No data exchanged" (the source\'s own attempts, refused or unanswered) are never hidden.';
  return [
    {
      id: 'noArtefacts',
      label: 'Pairs without scan artefacts',
      value: a.pairs.length - off,
      tone: 'info',
      facet: { traffic: TRAFFIC_HIDE_ARTEFACTS },
      hint: `Hides the ${grouped(off)} of the ${grouped(a.pairs.length)} listed pairs that are usually scan artefacts rather than beacons of their source: ${parts} (Traffic column).${kept} RITA scores them like any pair; this only hides them — look at a pair before you set it aside.`,
    },
  ];
}

/**
 * `defs` (the webview's columns of `cols`, same order) with every shown text column that is empty in each of `rows`
 * hidden (`hidden: true`: out of the default view, still in the Columns chooser), e.g. FQDN when no ssl/http log was
 * read. Nothing changes when `rows` is empty. Stops reading a column at its first non-empty cell.
 */
export function hideEmptyColumns<T>(defs: ColumnDef[], cols: StoreColumn<T>[], rows: readonly T[]): ColumnDef[] {
  if (rows.length === 0) return defs;
  return defs.map((d, i) => {
    const c = cols[i];
    if (d.hidden || d.type !== 'text' || !c || c.id !== d.id) return d;
    for (const r of rows) if (cellText(c, r) !== '') return d;
    return { ...d, hidden: true };
  });
}

/**
 * The tooltip of the *Pairs seen* card: how many pairs were neither scored nor strobes, and why (the CLI's
 * `Not scored:` line); nothing when every pair seen was scored.
 */
function unscoredHint(a: BeaconAnalysis<BeaconRow>): Pick<Card, 'hint'> {
  const s = a.summary;
  const unscored = s.pairsSeen - s.pairs - s.strobes;
  if (unscored <= 0) return {};
  const why = a.algorithm === 'rita-legacy' ? 'the legacy score needs more than 23 connections at 4 or more distinct times' : 'RITA scores a pair from 4 distinct connection times';
  return { hint: `${unscored.toLocaleString('en-US')} pair${unscored === 1 ? '' : 's'} not scored: too few connections (${why})` };
}

/** Sources in the *Sources with most beacons* chart. */
const TOP_SOURCES_CHARTED = 15;

/**
 * What the beacon dashboard counts over every listed pair, in one pass ({@link beaconPairStats}): the analysis worker
 * makes it with the result (`BeaconAnalysis.pairStats`), so that the extension host does not walk 1.2 million pairs
 * (10 million connections) several times on its main thread when the dashboard opens (~1.1 s there).
 */
export interface BeaconPairStats {
  /** Listed pairs by {@link pairTraffic}: ICMP errors only, backscatter, the source's own attempts without data. */
  traffic: { icmp: number; flipped: number; attempts: number };
  /** Listed pairs per tenth of the score: `bins[i]` counts scores in [i/10, (i+1)/10), the last bin includes 1. */
  bins: number[];
  /**
   * The {@link TOP_SOURCES_CHARTED} sources with the most pairs of a severity other than none (ties: by address), each
   * with how many of those pairs are usually scan artefacts ({@link isScanArtefact}).
   */
  topSources: { src: string; pairs: number; artefacts: number }[];
  /** Ids of the text columns of {@link beaconColumns} empty in every listed pair (they start hidden). */
  emptyColumns: string[];
}

/**
 * {@link BeaconPairStats} of `pairs` (one pass, plus one per text column until its first non-empty cell). Never throws.
 */
export function beaconPairStats(pairs: readonly BeaconRow[]): BeaconPairStats {
  let icmp = 0;
  let flipped = 0;
  let attempts = 0;
  const bins = new Array<number>(10).fill(0);
  const bySrc = new Map<string, number>();
  // per source, its charted pairs that are usually scan artefacts (new-user trial: the chart counted 9 pairs for the
  // sensor, most of them ICMP errors and backscatter, while the card said 6 pairs were free of them)
  const artefactsBySrc = new Map<string, number>();
  for (const p of pairs) {
    bins[Math.min(9, Math.floor(p.score * 10))]++;
    const t = pairTraffic(p);
    if (t === 'icmp-errors') icmp++;
    else if (t === 'backscatter') flipped++;
    else if (t === 'no-data') attempts++;
    if (p.severity === 'none') continue;
    bySrc.set(p.src, (bySrc.get(p.src) ?? 0) + 1);
    if (SCAN_ARTEFACT_KINDS.includes(t)) artefactsBySrc.set(p.src, (artefactsBySrc.get(p.src) ?? 0) + 1);
  }
  const topSources = [...bySrc.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .slice(0, TOP_SOURCES_CHARTED)
    .map(([src, n]) => ({ src, pairs: n, artefacts: artefactsBySrc.get(src) ?? 0 }));
  // a column empty in every pair (FQDN without ssl/http logs: ~200 px of nothing); the zone names time columns only
  const columns = beaconColumns('UTC');
  const shown = hideEmptyColumns(toColumnDefs(columns), columns, pairs);
  const emptyColumns = shown.filter((d, i) => d.hidden && !columns[i].hidden).map((d) => d.id);
  return { traffic: { icmp, flipped, attempts }, bins, topSources, emptyColumns };
}

/**
 * A connection input's format in the *Files read* tab, in words (`zeek-tsv` → `Zeek TSV`; new-user trial: the codes
 * read as internal names). Formats of ../../parse/zeek.ts `InputFormat`.
 */
export const INPUT_FORMAT_LABEL: Readonly<Record<string, string>> = {
  'zeek-tsv': 'Zeek TSV',
  'zeek-json': 'Zeek JSON',
  csv: 'CSV',
  json: 'JSON',
  empty: 'empty',
  binary: 'binary',
  unknown: 'unknown',
};

/** What a file was read for, in the *Files read* tab (`conn` → `connections`; ./run.ts roles). */
export const INPUT_ROLE_LABEL: Readonly<Record<string, string>> = {
  conn: 'connections',
  host: 'host names (SNI/Host)',
  generic: 'connections (columns mapped)',
};

/**
 * Builds the dashboard model (everything but the pair rows). `safelisted`: pairs the current
 * safelist hid since the run ({@link withSafelist}), shown as a card and in the subtitle.
 */
export function buildBeaconDashboard(a: BeaconAnalysis<BeaconRow>, title: string, zone: string, safelisted = 0): DashboardModel {
  const s = a.summary;
  // the analysis worker's (one pass over its columnar pairs); made here for a result without it (a safelist view)
  const stats = a.pairStats ?? beaconPairStats(a.pairs);
  const none = Math.max(0, s.pairs - s.high - s.medium - s.low);
  // the legacy score has no severity bands (rita-beacons.md §2, §4; the bands are RITA v5's, §5.7): no band cards or chart
  const banded = a.algorithm !== 'rita-legacy';
  // scored pairs below the minimum score (socAnalytics.beacons.minScore): counted in the cards, not listed in the table
  // or the score chart (a trial: 153,773 scored against 121,520 rows, and empty bins below 0.3, said nothing)
  const unlisted = Math.max(0, s.pairs - s.listed);
  const belowMin = `${grouped(s.listed)} of them are listed in the table and the score chart (score ≥ the minimum score ${a.options.minScore}, setting socAnalytics.beacons.minScore); the other ${grouped(unlisted)} scored below it: counted here and in the severity cards, not listed`;
  const cards: Card[] = [
    { id: 'files', label: noun(s.files, 'File'), value: s.files, tone: 'info' },
    { id: 'records', label: `${noun(s.records, 'Connection')} read`, value: s.records, tone: 'info' }, // before the filters: 'Records left out' says how many were not scored
    // the pairs kept after the filters, scored or not: without it 22 scored read as if only 22 pairs existed (trial)
    { id: 'pairsSeen', label: `${noun(s.pairsSeen, 'Pair')} seen`, value: s.pairsSeen, tone: 'info', ...unscoredHint(a) },
    { id: 'pairs', label: `${noun(s.pairs, 'Pair')} scored`, value: s.pairs, tone: 'info', ...(unlisted ? { hint: belowMin } : {}) },
    ...(safelisted > 0 ? [{ id: 'safelisted', label: 'Safelisted since the run (hidden)', value: safelisted, tone: 'info' as const }] : []),
    ...(banded
      ? ([
          { id: 'high', label: 'High', value: s.high, tone: s.high > 0 ? 'alert' : 'ok', facet: { severity: 'High' } },
          { id: 'medium', label: 'Medium', value: s.medium, tone: s.medium > 0 ? 'warning' : 'ok', facet: { severity: 'Medium' } },
          { id: 'low', label: 'Low', value: s.low, tone: 'notice', facet: { severity: 'Low' } },
          // the scored pairs below the low band: with them the severity cards add up to "Pairs scored"
          { id: 'none', label: 'None (below low)', value: none, tone: 'muted', facet: { severity: 'None' } },
        ] satisfies Card[])
      : []),
    ...artefactCards(a, stats),
    { id: 'strobes', label: noun(s.strobes, 'Strobe'), value: s.strobes, tone: s.strobes > 0 ? 'warning' : 'ok' },
    // the records not scored (inbound, never-included, external ↔ external, …); the card opens their reasons
    { id: 'filtered', label: `${noun(s.filteredRecords, 'Record')} left out`, value: s.filteredRecords, tone: 'info', tab: 'filtered' },
    { id: 'unparsed', label: noun(s.unparsedLines, 'Unreadable line'), value: s.unparsedLines, tone: s.unparsedLines > 0 ? 'warning' : 'ok' },
  ];
  const bins = stats.bins;
  const topSrc = stats.topSources.map((x): [string, number] => [x.src, x.pairs]);
  const topArtefacts = stats.topSources.map((x) => x.artefacts);
  const chartedPairs = topSrc.reduce((n, x) => n + x[1], 0);
  const chartedArtefacts = topArtefacts.reduce((n, x) => n + x, 0);
  const sourceBars = {
    tooltips: topSrc.map(([src, n], i) => `${src}: ${grouped(n)} ${n === 1 ? 'pair' : 'pairs'}${topArtefacts[i] ? `, ${grouped(topArtefacts[i])} of them usually scan artefacts (ICMP errors only, backscatter)` : ''}`),
    ...(chartedArtefacts
      ? { note: `${grouped(chartedArtefacts)} of these ${grouped(chartedPairs)} pairs are usually scan artefacts (ICMP errors only, backscatter; Traffic column): the card “Pairs without scan artefacts” hides them` }
      : {}),
  };
  const charts = ([
    { id: 'severity', title: 'Pairs by severity', labels: ['High', 'Medium', 'Low', 'None'], values: [s.high, s.medium, s.low, none], colorKeys: ['ALERT', 'WARNING', 'NOTICE', 'NONE'], facetColumn: 'severity', axes: { label: 'Severity', value: 'Pairs' } },
    { id: 'score-distribution', title: 'Score distribution', labels: bins.map((_, i) => `${(i / 10).toFixed(1)}–${((i + 1) / 10).toFixed(1)}`), values: bins, orientation: 'vertical', axes: { label: 'Beacon score (0–1)', value: 'Pairs' }, ...(unlisted ? { note: `Listed pairs only: the ${grouped(unlisted)} scored below the minimum score ${a.options.minScore} (socAnalytics.beacons.minScore) are not in the table or this chart` } : {}) },
    banded
      ? { id: 'top-sources', title: 'Sources with most beacons (≥ low)', labels: topSrc.map((x) => x[0]), values: topSrc.map((x) => x[1]), facetColumn: 'src', axes: { label: 'Source', value: 'Pairs (severity ≥ low)' }, ...sourceBars }
      : { id: 'top-sources', title: 'Sources with most listed pairs (score ≥ the minimum)', labels: topSrc.map((x) => x[0]), values: topSrc.map((x) => x[1]), facetColumn: 'src', axes: { label: 'Source', value: 'Listed pairs' }, ...sourceBars },
  ] satisfies ChartSeries[] as ChartSeries[]).filter((c) => banded || c.id !== 'severity');
  const inputCols = filesReadColumns(a.files.map((f) => f.file));
  const tables: SmallTable[] = [
    {
      id: 'strobes',
      title: 'Strobes',
      description: 'Pairs with too many connections to score (RITA strobes): listed here, not scored as beacons.',
      columns: [txt('src', 'Source', 140), txt('dst', 'Destination', 160), txt('fqdn', 'FQDN', 200), num('count', 'Connections'), num('bytes', BYTES_BOTH_WAYS), { id: 'first', title: `First seen (${zone})`, type: 'time', width: 168 }, { id: 'last', title: `Last seen (${zone})`, type: 'time', width: 168 }],
      rows: a.strobes.map((x) => [x.src, x.dst, x.fqdn || null, x.count, x.bytes, formatTime(x.firstSeenMs, zone) || null, formatTime(x.lastSeenMs, zone) || null]),
      exportTimes: { first: a.strobes.map((x) => msOrNull(x.firstSeenMs)), last: a.strobes.map((x) => msOrNull(x.lastSeenMs)) },
    },
    {
      id: 'inputs',
      title: 'Files read',
      // the file's name in view (its path below the folder the files share), its folder last (filesReadColumns)
      columns: [inputCols.file, txt('format', 'Format', 110), txt('log', 'Log', 70), txt('role', 'Used as', 150), num('lines', 'Lines'), num('records', 'Records'), num('unparsed', 'Unreadable'), txt('closed', 'Closed', 60), inputCols.folder],
      rows: a.files.map((f, i) => [inputCols.names[i], INPUT_FORMAT_LABEL[f.format] ?? f.format, f.logPath || null, INPUT_ROLE_LABEL[f.role] ?? f.role, f.lines, f.records, f.unparsedLines, f.closed === undefined ? null : f.closed ? 'yes' : 'no', inputCols.folders[i]]),
      cellTitles: { file: inputCols.titles },
    },
    {
      id: 'filtered',
      title: 'Records left out',
      columns: [txt('reason', 'Reason', 200), num('count', 'Records')],
      rows: (Object.entries(a.filtered) as [FilterReason, number | undefined][]).map(([k, v]) => [FILTER_REASON_LABEL[k] ?? k, v ?? 0]),
    },
    {
      id: 'notes',
      title: 'Notes',
      columns: [txt('note', 'Note', 900)],
      rows: [...a.notes, ...a.skipped.slice(0, 200).map((x) => `skipped ${x.file}: ${x.reason}`)].map((n) => [n]),
    },
    {
      id: 'errors',
      title: a.errors.length > ERRORS_TABLE_LIMIT ? `Errors (first ${grouped(ERRORS_TABLE_LIMIT)} of ${grouped(a.errors.length)})` : 'Errors',
      columns: [txt('file', 'File', 400), num('line', 'Line'), txt('message', 'Message', 400)],
      rows: a.errors.slice(0, ERRORS_TABLE_LIMIT).map((e) => [e.file, e.line > 0 ? e.line : null, e.message]),
    },
  ];
  const algo = a.algorithm === 'rita-legacy' ? 'RITA legacy (v4.8) score' : 'RITA v5 score';
  const older = s.outsideWindow ?? 0;
  const win = Number.isFinite(s.windowStart)
    ? `window ${formatTime(s.windowStart, zone)} – ${formatTime(s.windowEnd, zone)}${older > 0 ? ` (${count(older, 'older record')} outside, see Notes)` : ''}`
    : `no observation window${s.keptFirst !== undefined && Number.isFinite(s.keptFirst) ? ' (every kept record in one second, see Notes)' : ''}`;
  return {
    kind: 'beacons',
    title,
    subtitle: `${algo} · ${count(s.records, 'connection')}, ${count(s.pairs, 'pair')} scored${safelisted ? ` (${grouped(safelisted)} safelisted since the run)` : ''}, ${banded ? `${grouped(s.high)} high, ${grouped(s.medium)} medium, ${grouped(s.low)} low, ${grouped(none)} none` : 'no severity bands (the legacy score has none)'}, ${count(s.strobes, 'strobe')} · ${win} — times in ${zone}`,
    cards,
    charts,
    tables,
    // a column empty in every pair (FQDN without ssl/http logs: ~200 px of nothing) starts hidden; the chooser keeps it
    columns: toColumnDefs(beaconColumns(zone)).map((d) => (stats.emptyColumns.includes(d.id) && !d.hidden ? { ...d, hidden: true } : d)),
    // the facet "every pair but the scan artefacts" (the card's) is named in its chip
    facetLabels: { traffic: { [TRAFFIC_HIDE_ARTEFACTS]: TRAFFIC_HIDE_ARTEFACTS_LABEL } },
    totalRows: a.pairs.length,
    rowNoun: 'connection pairs',
    tableTitle: 'Beacons',
    // the pairs' own order (analyze.ts: score desc, then connections, source, destination), shown as the sort it is
    // (UI review: the table opened in score order with no arrow saying so); ties keep that order (a stable sort)
    defaultSort: { column: 'score', dir: 'desc' },
    displayZone: zone,
    problems: {
      count: a.errors.length,
      sample: a.errors.slice(0, PROBLEMS_SAMPLE).map((e) => ({ file: e.file, line: e.line, message: e.message })),
    },
  };
}

/**
 * Human-readable duration of an interval in whole seconds (`90 s`, `34 min 8 s`, `1 h 5 min`): seconds below 2 min,
 * minutes (and seconds) below 2 h, then hours and minutes — the unit names of the KPI durations (`formatDuration`).
 */
export function intervalLabel(sec: number): string {
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${Math.floor(sec / 60)} min${sec % 60 ? ` ${sec % 60} s` : ''}`;
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  return `${h} h${m ? ` ${m} min` : ''}`;
}

/** Distinct interval lengths up to which the detail draws one bar per length (more are binned into ranges). */
export const INTERVAL_EXACT_MAX = 8;
/** At most this many ranges when the interval lengths are binned (a bar slot of ~20 px in the detail's ~170 px plot). */
export const INTERVAL_BINS_MAX = 8;
/** Range widths (s) the bins of an interval histogram are chosen from: whole seconds, minutes, hours. */
const INTERVAL_BIN_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/**
 * The bars of a pair's "Intervals between connections" chart, from its interval table (`values`: distinct interval
 * lengths in whole seconds, ascending; `counts`: how many intervals had each). Up to {@link INTERVAL_EXACT_MAX}
 * distinct lengths: one bar per length, labelled with it in seconds (`2,048`; the axis says `s`). More: a histogram
 * of at most {@link INTERVAL_BINS_MAX} ranges of one width (the smallest of 1 s … 1 day that gives so few; empty ranges
 * between kept), each half-open [lo, hi) and labelled with its start in the width's `unit` (`15` for 15–30 min; the
 * axis title names the unit and the width — labels short enough to stand under every bar); its tooltip gives
 * the exact range and the lengths in it (`15 min – 29 min 59 s: 3 intervals — 15 min 27 s, 18 min 54 s, 19 min 21 s`,
 * at most 6 named). Lengths (not counts) are what was distinct: a new-user trial found 32 bars of height 1 under one
 * label. `width` is the range width in seconds (0: one bar per length).
 */
export function intervalBars(values: readonly number[], counts: readonly number[]): { labels: string[]; values: number[]; tooltips: string[]; width: number; unit: 's' | 'min' | 'h' } {
  const times = (n: number) => `${groupedInt(n)} interval${n === 1 ? '' : 's'}`;
  if (values.length <= INTERVAL_EXACT_MAX) {
    return { labels: values.map((v) => groupedInt(v)), values: [...counts], tooltips: values.map((v, i) => `${intervalLabel(v)} (${groupedInt(v)} s): ${times(counts[i])}`), width: 0, unit: 's' };
  }
  const lo = values[0];
  const hi = values[values.length - 1];
  const width = INTERVAL_BIN_STEPS.find((w) => Math.floor(hi / w) - Math.floor(lo / w) + 1 <= INTERVAL_BINS_MAX) ?? Math.ceil((hi + 1) / INTERVAL_BINS_MAX);
  const first = Math.floor(lo / width);
  const n = Math.floor(hi / width) - first + 1;
  const sums = new Array<number>(n).fill(0);
  const members: number[][] = Array.from({ length: n }, () => []);
  values.forEach((v, i) => {
    const b = Math.floor(v / width) - first;
    sums[b] += counts[i];
    members[b].push(v);
  });
  const unit = width % 3600 === 0 && width >= 7200 ? 3600 : width % 60 === 0 && width >= 120 ? 60 : 1;
  const name: 's' | 'min' | 'h' = unit === 3600 ? 'h' : unit === 60 ? 'min' : 's';
  const labels: string[] = [];
  const tooltips: string[] = [];
  for (let b = 0; b < n; b++) {
    const start = (first + b) * width;
    const end = start + width;
    labels.push(groupedInt(start / unit));
    const m = members[b];
    const named = m.slice(0, 6).map(intervalLabel).join(', ') + (m.length > 6 ? `, … (${m.length - 6} more)` : '');
    tooltips.push(`${intervalLabel(start)} – ${intervalLabel(end - 1)}: ${times(sums[b])}${m.length ? ` — ${named}` : ''}`);
  }
  return { labels, values: sums, tooltips, width, unit: name };
}

/** Steps a bin start is rounded to for its label (ms): the largest not over a tenth of the bin, at most 15 min (every zone offset is a multiple of 15 min). */
const ROUND_STEPS_MS = [1, 5, 10, 15, 30, 60, 300, 600, 900].map((s) => s * 1000);

/** `59 min 39 s`, `1 h`, `2 h 30 min`, `45 s`: a bin width of `ms` (whole seconds; the KPI durations' unit names). */
function binWidthLabel(ms: number): string {
  const sec = Math.round(ms / 1000);
  if (sec < 60) return `${sec} s`;
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s && !h ? `${s} s` : ''].filter(Boolean).join(' ');
}

/**
 * Labels of the 24 bins of a pair's histogram (RITA: 24 equal bins of the observation window, `edges` the 25 bin
 * edges in epoch ms, rita-beacons.md §5.5): each bin's start in `zone`, rounded to a readable step (`rounded`, e.g.
 * `5 min`, the largest of 1 s … 15 min not over a tenth of the bin, so neighbouring labels never merge) — a bin of
 * 59 min 39 s starting 01:59:18 reads `02:00`, not `01:59` —, with the date (`04-19 02:00`) when the window spans
 * two local dates; `tooltips` the bin's exact range (`2024-04-19 01:59:18 – 02:58:57`); `width` the bin width
 * (`59 min 39 s`). The labels only name the bins: the counts are RITA's, unchanged.
 */
export function histogramBinLabels(edges: readonly number[], zone: string): { labels: string[]; tooltips: string[]; width: string; rounded: string } {
  const n = Math.max(0, edges.length - 1);
  if (n === 0) return { labels: [], tooltips: [], width: '', rounded: '' };
  const binMs = (edges[n] - edges[0]) / n;
  const step = [...ROUND_STEPS_MS].reverse().find((s) => s <= binMs / 10) ?? 1000;
  const round = (ms: number) => {
    const off = (zoneOffsetMinutes(ms, zone) ?? 0) * 60_000;
    return Math.round((ms + off) / step) * step - off;
  };
  const first = formatTime(edges[0], zone);
  const last = formatTime(edges[n] - 1, zone);
  const multiDay = edges[n] - edges[0] > 86_400_000 || first.slice(0, 10) !== last.slice(0, 10);
  const seconds = step < 60_000;
  const label = (ms: number) => {
    const t = formatTime(round(ms), zone);
    return multiDay ? t.slice(5, seconds ? 19 : 16) : t.slice(11, seconds ? 19 : 16);
  };
  const labels: string[] = [];
  const tooltips: string[] = [];
  for (let i = 0; i < n; i++) {
    labels.push(label(edges[i]));
    const a = formatTime(edges[i], zone);
    const b = formatTime(edges[i + 1], zone);
    tooltips.push(`${a} – ${b.slice(0, 10) === a.slice(0, 10) ? b.slice(11) : b} (${zone})`);
  }
  const rounded = step >= 60_000 ? `${step / 60_000} min` : `${step / 1000} s`;
  // a bin start already on the step (a whole-hour window of whole-hour bins) is not rounded
  const exact = edges.slice(0, n).every((e) => round(e) === e);
  return { labels, tooltips, width: binWidthLabel(binMs), rounded: exact ? '' : rounded };
}

/** RITA v5's threat-score range of each severity band (`calculateBucketedScore`, §5.7), as the detail pane says it. */
const THREAT_BANDS: Record<string, string> = {
  high: 'High: 0.6–0.8',
  medium: 'Medium: 0.4–0.6',
  low: 'Low: 0.2–0.4',
  none: 'None: 0, below the Low band',
};

/**
 * The detail of one pair: every field and sub-statistic, first/last seen in the display zone and
 * UTC, three charts (`intervals`: connections per interval length; `hourly`: connections per bin
 * of the observation window, labelled with the bin start in the zone; `sizes`: connections per
 * bytes-sent value) and the "Safelist this pair" / "Safelist destination" actions.
 */
export function beaconPairDetail(r: BeaconRow, row: number, zone: string): RowDetail {
  const p = fullPair(r); // on the extension host its detail stays packed until shown (chart-pack.ts)
  const fields: RowDetail['fields'] = [];
  // `prose`: a sentence (severity, the threat score's text, a note) in the pane's normal font; addresses, ports, times
  // and numbers stay in the editor's monospace font (analyst trial: every value was monospace, prose too)
  const add = (label: string, v: string | number | undefined, prose = false) => {
    if (v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) return;
    fields.push({ label, value: typeof v === 'number' && !Number.isInteger(v) ? f3(v) : String(v), ...(prose ? { prose: true } : {}) });
  };
  add('Beacon score', f3(p.score));
  // RITA v5 maps the beacon score onto a severity band and a beacon threat score of at most 0.8 (§5.7). UI trial: the
  // pane said "beacon score 1.000 (RITA beacon threat score 0.80)" beside a header and table of 1.000 — two scores,
  // neither explained. The severity names the score it comes from; the threat score has a line of its own that says
  // what it is (the beacon score on RITA's 0–0.8 scale, the band's range) and that it is not the table's Score.
  if (p.severity === 'n/a') add('Severity', `none given — ${LEGACY_SEVERITY_TEXT}`, true);
  else {
    add('Severity', `${severityLabel(p.severity)} — from the beacon score ${f3(p.score)}`, true);
    const band = THREAT_BANDS[p.severity];
    add(
      'RITA threat score (0–0.8)',
      `${p.threat.toFixed(2)} — the beacon score mapped onto RITA's threat scale, at most 0.8 (${band}); not the Score column`,
      true,
    );
  }
  add('Type', p.type === 'sni' ? 'SNI / Host (source → FQDN)' : 'IP (source → destination)', true);
  add('Source', p.src);
  add('Destination', p.dst);
  add('FQDN', p.fqdn);
  add('Ports', p.ports);
  const service = pairService(p.ports);
  if (service)
    add(
      'Service (by port)',
      service.periodic
        ? `${service.name} (${service.port}) — polls on a timer by design, so a steady rhythm is expected: check that ${p.fqdn || p.dst} is your own or your provider's ${service.name} server, not an unknown host; by port only, a beacon may hide on a well-known port`
        : `${service.name} (${service.port}), by port only`,
      true,
    );
  // the table's Traffic column (a label beside the score, not part of it)
  const traffic = pairTraffic(p);
  add('Traffic', TRAFFIC_LABEL[traffic], true);
  // the notes follow the label: a pair of ICMP errors only is answers (its note below), never "this source's own attempts"
  if (traffic === 'backscatter') add('Note', "Backscatter: no connection of this pair had a payload byte or was an open session in the Zeek conn log, and Zeek flipped the direction of each (^ in history, e.g. RSTO ^hR, OTH ^aR) — this source only answered packets it never asked for (resets of SYN-ACKs: scans spoofing its address), not a beacon: the rhythm is the sender's; RITA scores it like any pair", true);
  else if (traffic === 'no-data') add('Note', "Never carried data: no connection of this pair had a payload byte or was an open session in the Zeek conn log (conn_state S0, REJ…, no payload letter D/d/T/t/G/g in history), and they were this source's own attempts (no ^: not flipped), refused or unanswered — what a beacon to a C2 server that is down or sinkholed looks like; check the destination; RITA scores it like any pair", true);
  if (traffic === 'icmp-errors') add('Note', "ICMP error messages only: usually this source answering packets the destination sent it (a scanner's probes of closed ports, say) — the rhythm is then the prober's, not a beacon of this source; look for the destination's traffic to it before setting the pair aside (ICMP can carry a covert channel)", true);
  add('Connections', groupedInt(p.count));
  add('Distinct timestamps', groupedInt(p.uniqueTs));
  add(BYTES_BOTH_WAYS, groupedInt(p.bytes)); // the column's name (it said "Bytes (both directions)")
  add('Bytes sent by source', groupedInt(p.origBytes));
  add(`First seen (${zone})`, formatTime(p.firstSeenMs, zone));
  add(`Last seen (${zone})`, formatTime(p.lastSeenMs, zone));
  add('First seen (UTC, ISO 8601)', isoUtc(p.firstSeenMs));
  add('Last seen (UTC, ISO 8601)', isoUtc(p.lastSeenMs));
  const sections: RowDetail['sections'] = [];
  const sec = (title: string, entries: [string, string | number | undefined][]) => {
    const sf: { label: string; value: string }[] = [];
    for (const [l, v] of entries) {
      if (v === undefined || v === '' || (typeof v === 'number' && !Number.isFinite(v))) continue;
      sf.push({ label: l, value: typeof v === 'number' ? (Number.isInteger(v) ? groupedInt(v) : f3(v)) : String(v) });
    }
    sections.push({ title, fields: sf });
  };
  sec('Timestamp score', [
    ['Score', f3(p.tsScore)],
    ['Bowley skew of intervals', p.tsSkew],
    ['MAD of intervals (s)', p.tsMad],
    ['Most common interval (s)', p.tsMode],
    ['… seen', p.tsModeCount],
  ]);
  sec('Data-size score', [
    ['Score', f3(p.dsScore)],
    ['Bowley skew of sizes', p.dsSkew],
    ['MAD of sizes (bytes)', p.dsMad],
    ['Most common size (bytes)', p.dsMode],
    ['… seen', p.dsModeCount],
    ['Smallness (legacy)', p.dsSmallness],
  ]);
  sec('Duration score', [
    ['Score', f3(p.durScore)],
    ['Coverage of the window', p.coverage],
    ['Consistency (longest run / ideal hours)', p.consistency],
  ]);
  sec('Histogram score', [
    ['Score', f3(p.histScore)],
    ['Coefficient-of-variation score', p.cvScore],
    ['Bimodal fit score', p.bimodalScore],
    ['Hours with connections', p.totalBars],
    ['Longest run of hours', p.longestRun],
  ]);
  sec('Observation window', [
    [`Start (${zone})`, formatTime(p.windowStartMs, zone)],
    [`End (${zone})`, formatTime(p.windowEndMs, zone)],
  ]);

  const bins = histogramBinLabels(p.histEdgesMs, zone);
  const iv = intervalBars(p.intervals.values, p.intervals.counts); // many distinct lengths: binned into ranges
  const charts: ChartSeries[] = [
    { id: 'intervals', title: 'Intervals between connections', labels: iv.labels, values: iv.values, tooltips: iv.tooltips, orientation: 'vertical', axes: { label: iv.width ? `Interval from (${iv.unit}; ${binWidthLabel(iv.width * 1000)} ranges)` : 'Interval (whole seconds)', value: 'Intervals' } },
    {
      id: 'hourly',
      // a bin is 1/24 of the window (RITA); its exact range is the bar's tooltip. "per bin of 59 min 39 s", not "per 59 min
      // 39 s bin" (analyst trial: the width read as part of a count)
      // (the width's spaces no-break: "59 min 39 s" never split over two lines of the narrow chart's title)
      title: `Connections per bin of ${bins.width.replace(/ /g, '\u00a0')} (${zone})`,
      labels: bins.labels,
      values: p.hist,
      tooltips: bins.tooltips,
      orientation: 'vertical',
      axes: { label: bins.rounded ? `Bin start (to the nearest ${bins.rounded})` : 'Bin start', value: 'Connections' },
    },
    { id: 'sizes', title: 'Bytes sent per connection', labels: p.sizes.values.map((v) => `${groupedInt(v)} B`), values: p.sizes.counts, orientation: 'vertical', axes: { label: 'Bytes sent (orig_ip_bytes)', value: 'Connections' } },
  ];
  const target = pairTarget(p);
  return {
    row,
    title: `${severityLabel(p.severity)} · ${f3(p.score)} · ${p.src} → ${target}`,
    fields,
    sections,
    // a pair is aggregated from many connections and the analysis keeps no line of any: no reveal button at all
    // (UI review: a "Reveal in log" that was always disabled)
    canReveal: false,
    noReveal: true,
    charts,
    actions: [
      { id: 'safelist-pair', label: 'Safelist this pair', icon: 'pass', title: `Add "${safelistEntryFor(p.src, target)}" to socAnalytics.beacons.safelist` },
      { id: 'safelist-destination', label: 'Safelist destination', icon: 'globe', title: `Add "${target}" to socAnalytics.beacons.safelist` },
    ],
  };
}

/**
 * What the detail pane shows once `entry` is on the safelist (instead of the pair, which has left
 * the table): the entry, what it hides and how to undo it.
 */
export function safelistDone(p: BeaconRow, entry: string, action: string): ActionDone {
  const what = action === 'safelist-destination' ? `every pair to ${entry}` : `${p.src} → ${pairTarget(p)}`;
  return {
    title: `Safelisted: ${entry}`,
    lines: [
      `“${entry}” is on the beacon safelist (socAnalytics.beacons.safelist).`,
      `${what[0].toUpperCase()}${what.slice(1)} is left out of this dashboard and of every later beacon analysis of this workspace.`,
      'To undo: Undo in the notification; later, SOC: Remove Beacon Safelist Entries… (or remove the entry from the setting).',
    ],
  };
}

/** The safelist entry a detail action adds, or undefined for an unknown action. */
export function safelistEntryForAction(p: BeaconRow, action: string): string | undefined {
  if (action === 'safelist-pair') return safelistEntryFor(p.src, pairTarget(p));
  if (action === 'safelist-destination') {
    if (p.fqdn) return p.fqdn;
    return p.dst.includes(',') ? undefined : p.dst;
  }
  return undefined;
}

/**
 * The one short sentence of the notification after a beacon analysis whose notes ask the analyst to act
 * (`a.attention`: a setting to fix, connections left out of the scoring) and whose inputs had no problem (those say
 * {@link beaconProblemsHeadline}): `1 note needs your attention — a setting to fix or connections left out of the
 * scoring; see the dashboard's Notes tab.` The notes themselves are in the Notes tab and the log, not in the
 * notification. Undefined when none asks to act: routine notes (ICMP errors only, pairs that never carried data) get
 * no notification — every run of the sample day had a 600-character warning repeating the Notes tab (a new-user trial).
 */
export function beaconAttentionHeadline(a: Pick<BeaconAnalysis, 'attention'>): string | undefined {
  const n = a.attention?.length ?? 0;
  if (n === 0) return undefined;
  return `${n === 1 ? '1 beacon note needs' : `${n.toLocaleString('en-US')} beacon notes need`} your attention — a setting to fix or connections left out of the scoring; see the dashboard's Notes tab.`;
}

/**
 * The headline of the warning after a beacon analysis whose inputs had problems (`a.errors`: unreadable lines, a file
 * that could not be read or was cut short), worded as the other analyses' (QRadar: `2 problems in the QRadar inputs —
 * every readable record was kept. First: …`; the dashboards' banner: `N problems reading the input`):
 * `1 problem in the connection logs (3 unreadable lines) — everything readable was kept. First: conn.log:7 <message>`.
 * The unreadable lines are named only when there are some (a file not read is a problem of no line: it said
 * `0 unreadable lines (1 problem)`); the first problem's file is its base name (`problemWhere`: `file`, or
 * `file:line` for line ≥ 1). With no problem: `undefined` (the caller may show a note instead).
 */
export function beaconProblemsHeadline(a: Pick<BeaconAnalysis, 'errors'> & { summary: Pick<BeaconAnalysis['summary'], 'unparsedLines'> }): string | undefined {
  const first = a.errors[0];
  if (!first) return undefined;
  const base = first.file.split(/[\\/]/).pop() || first.file;
  const lines = a.summary.unparsedLines > 0 ? ` (${count(a.summary.unparsedLines, 'unreadable line')})` : '';
  return `${count(a.errors.length, 'problem')} in the connection logs${lines} — everything readable was kept. First: ${problemWhere(base, first.line)} ${first.message}`;
}
