#!/usr/bin/env python3
"""List the spans of 1985..END that no tenure covers, per (jurisdiction, role).

Reads the generated gazetteer/offices.tsv and office_holders.tsv (run build_people.py first).
A tenure covers start <= d < end, and an open or uncertain one only up to confirmed_until (the
resolution rule). Offices of one jurisdiction that share a role (or list it under also=) are
pooled, so a gap means that a bare title such as "the Turkish foreign minister" resolves to
nobody on those dates. Gaps where the office did not exist (Russian president before 1991,
Soviet offices after 1991, Palestinian prime minister before 2003 ...) are listed too: judge them.

Usage: python3 gazetteer/build/holder_gaps.py [--from 1985-01-01] [--to 2026-05-17] [JURISDICTION ...]
Output: jurisdiction, role, offices, uncovered days, spans (start..end, end exclusive).
"""
import argparse
import collections
import datetime as dt
import os

GAZ = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rows(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if not l.startswith("#") and l.strip()]
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]]


def first(s):
    p = [int(x) for x in s.split("-")]
    return dt.date(p[0], p[1] if len(p) > 1 else 1, p[2] if len(p) > 2 else 1)


def last(s):
    p = [int(x) for x in s.split("-")]
    if len(p) == 3:
        return dt.date(*p)
    if len(p) == 2:
        y, m = p
        return dt.date(y + (m == 12), 1 if m == 12 else m + 1, 1) - dt.timedelta(1)
    return dt.date(p[0], 12, 31)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="start", default="1985-01-01")
    ap.add_argument("--to", dest="end", default="2026-05-17")
    ap.add_argument("jurisdictions", nargs="*", help="e.g. place:turkey organization:nato")
    a = ap.parse_args()
    start, end = first(a.start), first(a.end)
    offices = rows(os.path.join(GAZ, "offices.tsv"))
    spans = collections.defaultdict(list)
    for h in rows(os.path.join(GAZ, "office_holders.tsv")):
        e = first(h["end"]) if h["end"] else dt.date(9999, 1, 1)
        if h["confirmed_until"]:
            e = min(e, last(h["confirmed_until"]) + dt.timedelta(1))
        spans[h["office"]].append((first(h["start"]), e))
    groups = collections.defaultdict(list)
    for o in offices:
        roles = [o["role"]]
        for kv in o["attributes"].split(";"):
            if kv.startswith("also="):
                roles += kv[5:].split("|")
        for r in roles:
            groups[(o["jurisdiction"], r)].append(o["id"])
    for (jur, role), oids in sorted(groups.items()):
        if a.jurisdictions and jur not in a.jurisdictions:
            continue
        gaps, cur = [], start
        for s, e in sorted(x for o in oids for x in spans[o]):
            if s > cur:
                gaps.append((cur, min(s, end)))
            cur = max(cur, e)
            if cur >= end:
                break
        if cur < end:
            gaps.append((cur, end))
        gaps = [(s, e) for s, e in gaps if s < e]
        if gaps:
            days = sum((e - s).days for s, e in gaps)
            print(f"{jur}\t{role}\t{','.join(oids)}\t{days}\t" + " ".join(f"{s}..{e}" for s, e in gaps))


if __name__ == "__main__":
    main()
