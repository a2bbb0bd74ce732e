#!/usr/bin/env python3
"""Reads a handout back with poppler's `pdftotext` (no options: its default reading
order, which sorts text blocks by their position on the page, not by the content
stream) and checks that the table reads row by row: for every project row its cells
come in the order

    number and name, status, summary (its start), towns (their start)

and each row after the row above it. The expected rows are the registry's projects in
print order (only those of TOWN, for a town handout).

    reading_order.py REGISTRY.yaml HANDOUT.pdf [--town TOWN] [--labels | --labels-report]

--labels also requires each 政策分野 and category label to be read between the row
above and the first row it heads (the handouts put a label merged over several rows
again, unseen, on its later rows, so that poppler's table detection takes it in: see
the README); --labels-report only counts them.

Exit status 1, and a line per misplaced cell, when the order is wrong.
"""
import argparse
import re
import subprocess
import sys

import yaml

CELLS = ["name", "status", "summary", "towns"]


def squeeze(text):
    """pdftotext puts line breaks and word spaces where the page has them."""
    return re.sub(r"\s+", "", text)


def rows(registry, town):
    """The project rows in print order, each with the labels printed on it."""
    towns = registry["towns"]
    out = []
    for area in registry["areas"]:
        area_first = True
        for cat in area["categories"]:
            cat_first = True
            for p in cat["projects"]:
                ptowns = p.get("towns") or []
                if town and town not in ptowns:
                    continue
                listed = "、".join(t for t in towns if t in ptowns)
                out.append(
                    {
                        "number": p["number"],
                        "area": area["name"] if area_first else "",
                        "category": cat["name"] if cat_first else "",
                        "name": f"{p['number']} {p['name']}",
                        "status": p.get("status") or "",
                        "summary": squeeze(p.get("summary") or "")[:12],
                        "towns": listed[:12],
                    }
                )
                area_first = cat_first = False
    return out


def cell_order(s, expected):
    """Finds each row's cells, each after the one before it: a cell read too early is
    then found nowhere after, or pushes the next row's name behind it. Returns the
    errors and, per row, where the text between the row above and its name lies."""
    at = 0
    errors, windows = [], []
    for row in expected:
        start, name_at = at, at
        for key in CELLS:
            want = squeeze(row[key])
            if not want:
                continue
            found = s.find(want, at)
            if found < 0:
                how = "missing" if s.find(want) < 0 else "read before the cells it should follow"
                errors.append(
                    f"project {row['number']}: {key} 「{row[key]}」 {how} "
                    f"(after …{s[max(0, at - 20):at]})"
                )
                continue
            if key == "name":
                name_at = found
            at = found + len(want)
        windows.append((start, name_at))
    return errors, windows


def label_order(s, expected, windows):
    """The labels of each row, area first, between the row above and the row's name."""
    errors, labels = [], 0
    for row, (start, name_at) in zip(expected, windows):
        k = start
        for key in ["area", "category"]:
            want = squeeze(row[key])
            if not want:
                continue
            labels += 1
            found = s.find(want, k, name_at)
            if found < 0:
                errors.append(
                    f"project {row['number']}: {key} 「{row[key]}」 not read between the "
                    "row above and the row's name"
                )
            else:
                k = found + len(want)
    return errors, labels


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("registry")
    ap.add_argument("pdf")
    ap.add_argument("--town")
    labels = ap.add_mutually_exclusive_group()
    labels.add_argument("--labels", action="store_true")
    labels.add_argument("--labels-report", action="store_true")
    args = ap.parse_args()
    registry = yaml.safe_load(open(args.registry, encoding="utf-8"))
    text = subprocess.run(
        ["pdftotext", args.pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    s = squeeze(text)
    expected = rows(registry, args.town)
    if not expected:
        print(f"{args.pdf}: no project rows expected", file=sys.stderr)
        return 1
    errors, windows = cell_order(s, expected)
    if args.labels or args.labels_report:
        if errors:
            print(f"{args.pdf}: labels not checked: the cells are out of order")
        else:
            label_errors, count = label_order(s, expected, windows)
            if args.labels_report:
                print(
                    f"{args.pdf}: {count - len(label_errors)} of {count} 政策分野 and "
                    "category labels read just before the first row they head"
                )
                for e in label_errors:
                    print(f"  {e}")
            else:
                errors += label_errors
    if errors:
        for e in errors[:20]:
            print(f"{args.pdf}: {e}")
        if len(errors) > 20:
            print(f"{args.pdf}: … {len(errors) - 20} more")
        print(f"{args.pdf}: {len(errors)} cells out of order in {len(expected)} rows")
        return 1
    checked = (["area", "category"] if args.labels else []) + CELLS
    print(f"{args.pdf}: {len(expected)} rows read in order ({', '.join(checked)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
