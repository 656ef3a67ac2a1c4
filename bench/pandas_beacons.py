#!/usr/bin/python3
"""pandas/numpy baseline for the beacon benchmark (bench/run.mjs): the RITA v5 beacon score.

Reads Zeek conn.log TSV files (gzipped or plain) with `pd.read_csv`, keeps internal → external
records (RFC 1918 sources, as RITA's default filter), truncates `ts` to seconds, groups by
(source, destination) and scores every pair with ≥ 4 distinct timestamps and < 86,400 connections
using the RITA v5 formulas of shared/docs/rita-beacons.md §5.3–§5.7 (Bowley skew + MAD of the
intervals and of orig_ip_bytes, 24-bin histogram CV / bimodal fit, duration coverage/consistency,
0.25 weights, round half away from zero). One window over the whole input (`--single-window`).

Usage: python3 bench/pandas_beacons.py <folder>   -> prints one JSON line with counts
"""
import json, math, os, sys
import numpy as np
import pandas as pd

FIELDS = ['_node_name', 'ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'proto', 'service', 'duration',
          'orig_bytes', 'resp_bytes', 'conn_state', 'local_orig', 'local_resp', 'missed_bytes', 'history', 'orig_pkts',
          'orig_ip_bytes', 'resp_pkts', 'resp_ip_bytes', 'tunnel_parents']
INTERNAL = r'^(?:10\.|192\.168\.|172\.(?:1[6-9]|2\d|3[01])\.)'

def round3(x):
    y = x * 1000.0
    t = math.trunc(y)
    return (t + (1 if y > 0 else -1) if abs(y - t) >= 0.5 else t) / 1000.0

def ceil3(x):
    return math.ceil(x * 1000.0) / 1000.0

def quartiles(s):
    n = len(s)
    c1 = n // 2
    c2 = n // 2 if n % 2 == 0 else c1 + 1
    med = lambda a: float('nan') if len(a) == 0 else (a[len(a) // 2] if len(a) % 2 else (a[len(a) // 2 - 1] + a[len(a) // 2]) / 2)
    return med(s[:c1]), med(s), med(s[c2:])

def stat_score(sorted_vals, default_mad):
    q1, q2, q3 = quartiles(sorted_vals)
    skew = (q1 + q3 - 2 * q2) / (q3 - q1) if (q3 - q1) >= 10 and q2 != q1 and q2 != q3 else 0.0
    m = q2
    mad = float(np.median(np.abs(sorted_vals - m)))
    score = default_mad
    if m >= 1:
        score = (m - mad) / m
    if score < 0 or score != score:
        score = 0.0
    return round3(((1 - abs(skew)) + score) / 2)

def score_pair(t, b, min_ts, max_ts):
    d = np.diff(t)
    nz = d[d > 0]
    if len(nz) < 3:
        return None
    ts_score = stat_score(np.sort(nz), 1.0)
    ds_score = stat_score(np.sort(b), 0.0)
    edges = np.linspace(min_ts, max_ts, 25)
    idx = np.clip(np.searchsorted(edges, t, side='right') - 1, 0, 23)
    hist = np.bincount(idx, minlength=24)
    nzbars = hist > 0
    total_bars = int(nzbars.sum())
    bucket = math.ceil(hist.max() * 0.05)
    keys = (hist[nzbars] // bucket) * bucket
    _, counts = np.unique(keys, return_counts=True)
    counts = np.sort(counts)[::-1]
    run = longest = 0
    for i in range(48):
        if hist[i % 24] > 0:
            run += 1
        else:
            longest = max(longest, run)
            run = 0
    longest = min(max(longest, run), 24)
    mean = hist.sum() / 24
    cv = hist.std() / mean
    cv_score = 0.0 if cv > 1 else min(1.0, round3(1 - cv))
    bimodal = 0.0
    if total_bars >= 11:
        top = counts[0] + (counts[1] if len(counts) > 1 else 0)
        bimodal = min(1.0, round3(top / max(total_bars - 1, 1)))
    hist_score = max(cv_score, bimodal)
    dur = 0.0
    if total_bars >= 6:
        dur = max(min(1.0, ceil3((t[-1] - t[0]) / (max_ts - min_ts))), min(1.0, ceil3(longest / 12)))
    return round3(ts_score * 0.25 + ds_score * 0.25 + dur * 0.25 + hist_score * 0.25)

def main(folder):
    frames = []
    for name in sorted(os.listdir(folder)):
        if not name.startswith('conn'):
            continue
        df = pd.read_csv(os.path.join(folder, name), sep='\t', comment='#', header=None, names=FIELDS,
                         usecols=['ts', 'id.orig_h', 'id.resp_h', 'orig_ip_bytes'], compression='infer')
        frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    records = len(df)
    keep = df['id.orig_h'].str.match(INTERNAL) & ~df['id.resp_h'].str.match(INTERNAL)
    df = df[keep]
    df = df.assign(ts=np.floor(df['ts']).astype(np.int64))
    min_ts, max_ts = int(df['ts'].min()), int(df['ts'].max())
    df = df.sort_values(['id.orig_h', 'id.resp_h', 'ts'], kind='stable')
    ts = df['ts'].to_numpy(dtype=np.float64)
    by = df['orig_ip_bytes'].to_numpy(dtype=np.float64)
    codes = df.groupby(['id.orig_h', 'id.resp_h'], sort=False).ngroup().to_numpy()
    bounds = np.flatnonzero(np.diff(codes)) + 1
    starts = np.concatenate(([0], bounds))
    ends = np.concatenate((bounds, [len(codes)]))
    pairs = scored = high = 0
    total = 0.0
    for s, e in zip(starts, ends):
        pairs += 1
        n = e - s
        if n < 4 or n >= 86400:
            continue
        t = ts[s:e]
        if len(np.unique(t)) < 4:
            continue
        sc = score_pair(t, by[s:e], min_ts, max_ts)
        if sc is None:
            continue
        scored += 1
        total += sc
        if sc >= 0.9:
            high += 1
    print(json.dumps({'records': records, 'kept': int(keep.sum()), 'pairsSeen': pairs, 'pairs': scored, 'scoreAtLeast0.9': high, 'scoreSum': round(total, 3)}))

if __name__ == '__main__':
    main(sys.argv[1])
