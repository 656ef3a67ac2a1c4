/**
 * ICMP in the Ports of a beacon pair. Zeek logs ICMP "connections" with ports that are not ports
 * (Zeek's conn.log reference, base/protocols/conn/main.zeek: "ICMP 'ports' are to be interpreted as
 * the source port meaning the ICMP message type and the destination port being the ICMP message
 * code"). Zeek's ICMP analyzer (ICMP4_counterpart / ICMP6_counterpart) writes the code as
 * `id.resp_p` only for one-way messages (destination unreachable, time exceeded…); for a request or
 * reply it writes the type of its counterpart (echo request 8 → 0, the echo reply; ICMPv6 router
 * solicitation 133 → 134), the code being 0 there (RFC 792). Zeek's `proto` is `icmp` for ICMPv6 too:
 * the address family tells them apart. So `id.resp_p` 3 is no port 3 (the old "3/icmp"): with
 * `id.orig_p` 3 it is "destination unreachable, port unreachable". Pure; no vscode.
 */

/** ICMP (v4) message types (IANA "ICMP Type Numbers"). */
const V4_TYPES: Record<number, string> = {
  0: 'echo reply',
  3: 'destination unreachable',
  4: 'source quench',
  5: 'redirect',
  8: 'echo request',
  9: 'router advertisement',
  10: 'router solicitation',
  11: 'time exceeded',
  12: 'parameter problem',
  13: 'timestamp',
  14: 'timestamp reply',
  15: 'information request',
  16: 'information reply',
  17: 'address mask request',
  18: 'address mask reply',
};

/** ICMP (v4) codes of the one-way types (IANA), by type. */
const V4_CODES: Record<number, Record<number, string>> = {
  3: {
    0: 'net unreachable',
    1: 'host unreachable',
    2: 'protocol unreachable',
    3: 'port unreachable',
    4: 'fragmentation needed',
    5: 'source route failed',
    6: 'destination network unknown',
    7: 'destination host unknown',
    8: 'source host isolated',
    9: 'network administratively prohibited',
    10: 'host administratively prohibited',
    11: 'network unreachable for TOS',
    12: 'host unreachable for TOS',
    13: 'communication administratively prohibited',
    14: 'host precedence violation',
    15: 'precedence cutoff in effect',
  },
  5: { 0: 'redirect for network', 1: 'redirect for host', 2: 'redirect for TOS and network', 3: 'redirect for TOS and host' },
  11: { 0: 'TTL exceeded in transit', 1: 'fragment reassembly time exceeded' },
  12: { 0: 'pointer indicates the error', 1: 'missing a required option', 2: 'bad length' },
};

/** ICMPv6 message types (IANA "ICMPv6 Parameters"). */
const V6_TYPES: Record<number, string> = {
  1: 'destination unreachable',
  2: 'packet too big',
  3: 'time exceeded',
  4: 'parameter problem',
  128: 'echo request',
  129: 'echo reply',
  130: 'multicast listener query',
  131: 'multicast listener report',
  132: 'multicast listener done',
  133: 'router solicitation',
  134: 'router advertisement',
  135: 'neighbor solicitation',
  136: 'neighbor advertisement',
  137: 'redirect',
  139: 'node information query',
  140: 'node information response',
  143: 'multicast listener report v2',
  144: 'home agent address discovery request',
  145: 'home agent address discovery reply',
};

/** ICMPv6 codes of the one-way types (IANA), by type. */
const V6_CODES: Record<number, Record<number, string>> = {
  1: {
    0: 'no route to destination',
    1: 'administratively prohibited',
    2: 'beyond scope of source address',
    3: 'address unreachable',
    4: 'port unreachable',
    5: 'source address failed policy',
    6: 'reject route',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: { 0: 'erroneous header field', 1: 'unrecognized next header', 2: 'unrecognized IPv6 option' },
};

/** The type Zeek writes as `id.resp_p` for a request or reply (its counterpart), as Zeek's ICMP4_counterpart. */
const V4_COUNTERPART: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
/** As Zeek's ICMP6_counterpart. */
const V6_COUNTERPART: Record<number, number> = { 128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 139: 140, 140: 139, 144: 145, 145: 144 };

/**
 * The Ports text of an ICMP record of a Zeek conn log: `icmp type 8 (echo request)` for a request or
 * reply (Zeek's `id.resp_p` is then the counterpart's type, not a code, and is not shown),
 * `icmp type 3 code 3 (port unreachable)` for a one-way message (the name of the code when known, else of the
 * type: `icmp type 3 code 99 (destination unreachable)`; no name for an unknown type); `icmpv6 …` when `v6`.
 * `type`: `id.orig_p`, `respP`: `id.resp_p` (integers 0–65535; NaN when unset: `icmp type 8` / `icmp code 3`,
 * and the caller's usual label when both are unset).
 */
export function icmpLabel(type: number, respP: number, v6: boolean): string {
  const proto = v6 ? 'icmpv6' : 'icmp';
  const hasType = Number.isInteger(type) && type >= 0;
  const hasCode = Number.isInteger(respP) && respP >= 0;
  if (!hasType) return hasCode ? `${proto} code ${respP}` : proto;
  const typeName = (v6 ? V6_TYPES : V4_TYPES)[type];
  const counterpart = (v6 ? V6_COUNTERPART : V4_COUNTERPART)[type];
  if (!hasCode || (counterpart !== undefined && respP === counterpart)) return `${proto} type ${type}${typeName ? ` (${typeName})` : ''}`;
  const name = (v6 ? V6_CODES : V4_CODES)[type]?.[respP] ?? typeName;
  return `${proto} type ${type} code ${respP}${name ? ` (${name})` : ''}`;
}

/** ICMP error message types: v4 destination unreachable, source quench, redirect, time exceeded, parameter problem (RFC 792); v6 1–4 (RFC 4443). */
const ERROR_LABEL = /^(?:icmp type (?:3|4|5|11|12)|icmpv6 type [1-4])\b/;

/**
 * True when a pair's Ports text (labels joined by `, `, see {@link icmpLabel}; at most `maxLabels` distinct
 * labels are kept) holds ICMP error messages only — `icmp type 3 code 3 (port unreachable)`, time exceeded…:
 * the source answers packets the destination sent it (a scanner's probes of closed ports), so its rhythm is the
 * prober's, not a beacon of the source. RITA scores such pairs like any other; this only flags them. False when
 * the list may have been cut (`maxLabels` labels shown).
 */
export function icmpErrorsOnly(ports: string, maxLabels: number): boolean {
  // every label must be an ICMP one, so the first must start with `icmp` (most pairs end here, without a split: the
  // beacon dashboard asks this of each of 1.2 million listed pairs at 10 million connections)
  if (!ports || !ports.startsWith('icmp')) return false;
  const labels = ports.split(', ');
  return labels.length < maxLabels && labels.every((l) => ERROR_LABEL.test(l));
}
