#!/usr/bin/python3
"""pandas baseline for the Loki benchmark (bench/run.mjs).

What an analyst would write in a notebook: read every endpoint's Loki `--csv` file, split the five
columns (time, host, level, module, message; the message may contain commas, so split at most 4
times), then `str.extract` the file path, total score and first rule from finding messages.
This is less than our parser does (it keeps every key and every reason).

Usage: python3 bench/pandas_loki.py <folder>   -> prints one JSON line with counts
"""
import json, os, sys
import pandas as pd

def main(folder):
    frames = []
    for name in sorted(os.listdir(folder)):
        if not name.endswith(('.csv', '.log')):
            continue
        with open(os.path.join(folder, name), encoding='utf-8', errors='replace', newline='') as f:
            lines = f.read().split('\r\n')
        if lines and lines[-1] == '':
            lines.pop()
        s = pd.Series(lines, dtype=object)
        cols = s.str.split(',', n=4, expand=True)
        cols.columns = ['time', 'host', 'level', 'module', 'message']
        cols['file'] = name
        frames.append(cols)
    df = pd.concat(frames, ignore_index=True)
    findings = df[df['message'].str.startswith('FILE: ', na=False)].copy()
    ext = findings['message'].str.extract(r'^FILE: (?P<path>.*?) SCORE: (?P<score>\d+) .*?REASON_1: .*?MATCH: (?P<rule>\S+)')
    findings = pd.concat([findings[['time', 'host', 'level']], ext], axis=1)
    findings['score'] = pd.to_numeric(findings['score'], errors='coerce')
    print(json.dumps({
        'lines': int(len(df)),
        'findings': int(len(findings)),
        'alerts': int((findings['level'] == 'ALERT').sum()),
        'warnings': int((findings['level'] == 'WARNING').sum()),
        'scoreSum': int(findings['score'].sum()),
        'rules': int(findings['rule'].nunique()),
    }))

if __name__ == '__main__':
    main(sys.argv[1])
