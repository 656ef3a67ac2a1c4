#!/usr/bin/python3
"""pandas baseline for the QRadar benchmark (bench/run.mjs).

The notebook way (alwashali/qradar-offenses-notebook style): `json.load` the API offense array,
`pd.json_normalize`, join closing reasons, then the dashboard's group-bys: offenses per
description (first line), per status, per closing reason, per day (UTC), per rule and per log source
(exploded lists), per assignee, mean magnitude and time-to-close per description.

Usage: python3 bench/pandas_qradar.py <folder>   -> prints one JSON line with counts
"""
import json, os, sys
import pandas as pd

def main(folder):
    with open(os.path.join(folder, 'offenses.json'), encoding='utf-8') as f:
        offenses = json.load(f)
    with open(os.path.join(folder, 'offense_closing_reasons.json'), encoding='utf-8') as f:
        reasons = pd.DataFrame(json.load(f))[['id', 'text']].rename(columns={'id': 'closing_reason_id', 'text': 'closing_reason'})
    df = pd.json_normalize(offenses)
    del offenses
    df['label'] = df['description'].str.split('\n', n=1).str[0].str.strip()
    df = df.merge(reasons, on='closing_reason_id', how='left')
    df['start'] = pd.to_datetime(df['start_time'], unit='ms', utc=True)
    df['close'] = pd.to_datetime(df['close_time'], unit='ms', utc=True)
    df['hours_to_close'] = (df['close'] - df['start']).dt.total_seconds() / 3600
    by_desc = df.groupby('label').agg(n=('id', 'size'), magnitude=('magnitude', 'mean'), ttc=('hours_to_close', 'median'))
    by_status = df.groupby('status').size()
    by_reason = df.groupby('closing_reason').size()
    by_day = df.groupby(df['start'].dt.floor('D')).size()
    by_assignee = df.groupby('assigned_to', dropna=False).size()
    by_source = df.groupby(['label', 'offense_source']).size().nlargest(20)
    rules = df[['id', 'rules']].explode('rules')
    rules['rule_id'] = rules['rules'].str.get('id')
    by_rule = rules.groupby('rule_id').size()
    ls = df[['id', 'log_sources']].explode('log_sources')
    ls['ls_name'] = ls['log_sources'].str.get('name')
    by_ls = ls.groupby('ls_name').size()
    print(json.dumps({
        'offenses': int(len(df)),
        'descriptions': int(len(by_desc)),
        'statuses': int(len(by_status)),
        'reasons': int(len(by_reason)),
        'days': int(len(by_day)),
        'assignees': int(len(by_assignee)),
        'rules': int(len(by_rule)),
        'logSources': int(len(by_ls)),
        'topPairs': int(len(by_source)),
    }))

if __name__ == '__main__':
    main(sys.argv[1])
