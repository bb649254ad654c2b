#!/usr/bin/env python3
"""Sums the statement timings sqlx logs (RUST_LOG=sqlx::query=debug) by statement.

Usage: python3 scripts/sql-statement-times.py SERVER-STDERR-LOG [TOP]

Each sqlx line carries `summary="…"` (the statement's start) and `elapsed_secs=…`; the table
gives per statement the count, total seconds, mean, p95, p99 and maximum in milliseconds, the
statements with the largest total first. On SQLite the `BEGIN IMMEDIATE` row is the time spent
waiting for the write lock (in the busy handler); on PostgreSQL a statement that waits for a row
lock (the audit head) shows the wait in its own time.
"""
import re
import sys
from collections import defaultdict

LINE = re.compile(r'summary="((?:[^"\\]|\\.)*)".*?elapsed_secs=([0-9.eE+-]+)')


def quantile(v, p):
    i = max(1, min(len(v), int(-(-len(v) * p // 1)))) - 1
    return v[i]


def main():
    times = defaultdict(list)
    with open(sys.argv[1], encoding="utf-8", errors="replace") as f:
        for line in f:
            # Terminal colours, when the log was written to one.
            m = LINE.search(re.sub(r"\x1b\[[0-9;]*m", "", line))
            if m:
                times[m.group(1)].append(float(m.group(2)) * 1000.0)
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    rows = sorted(times.items(), key=lambda kv: -sum(kv[1]))[:top]
    print("| statement | count | total s | mean ms | p95 ms | p99 ms | max ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for summary, v in rows:
        v.sort()
        print(
            f"| `{summary[:70]}` | {len(v)} | {sum(v) / 1000:.2f} | {sum(v) / len(v):.2f} "
            f"| {quantile(v, 0.95):.2f} | {quantile(v, 0.99):.2f} | {v[-1]:.2f} |"
        )


if __name__ == "__main__":
    main()
