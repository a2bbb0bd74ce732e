#!/usr/bin/env python3
"""Reads a handout back with poppler's `pdftotext` (no options: its default reading
order, which sorts text blocks by their position on the page, not by the content
stream) and checks that the table reads row by row: for every project row its cells
come in the template's column order, and each row after the row above it. The
expected rows are the registry's projects in print order (only those of TOWN, for a
town handout); the expected cell texts are worked out here from the registry, as the
handout prints them (project: number and name; towns: the member towns in the
registry's order, joined by 、; lead: the town's name; kpi: per KPI its indicator
（unit）, then 基準値：v（令和n年度） …; budget: the 年度's total with thousands
separators), independently of shiryo's code. An empty cell is skipped; a long cell is
looked for by its start (12 characters), since a row taller than a page is split.

    reading_order.py REGISTRY.yaml HANDOUT.pdf [--template NAME|FILE] [--town TOWN]
                     [--labels | --labels-report]

--template is the template the handout was made with (shiryo2 when left out): a
bundled name (templates/NAME.yaml) or a template file; a file without `columns` (or
`pdf.western_year`) has the default template's.

--labels also requires each 政策分野 and category label to be read, in its column's
place, in the first row it heads (the handouts put a label merged over several rows
again, unseen, on its later rows, so that poppler's table detection takes it in: see
the README); --labels-report only counts them.

Prints how many cells and rows were read in order. Exit status 1, and a line per
misplaced cell, when the order is wrong.
"""
import argparse
import os
import re
import subprocess
import sys
from decimal import Decimal

import yaml

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
LABELS = ("area", "category")
# Cells compared by their start only: several lines, maybe split by a page break.
PREFIX = 12


def squeeze(text):
    """pdftotext puts line breaks and word spaces where the page has them."""
    return re.sub(r"\s+", "", text)


def load_template(which):
    """The template's column keys and whether years get their Western year."""
    default = yaml.safe_load(open(os.path.join(ROOT, "templates", "shiryo2.yaml"), encoding="utf-8"))
    path = which if os.path.isfile(which) else os.path.join(ROOT, "templates", f"{which}.yaml")
    tpl = yaml.safe_load(open(path, encoding="utf-8")) or {}
    columns = tpl.get("columns") or default["columns"]
    pdf = {**default.get("pdf", {}), **(tpl.get("pdf") or {})}
    return [c["key"] for c in columns], bool(pdf.get("western_year", False))


ERAS = [(2019, "令和"), (1989, "平成"), (1926, "昭和"), (1912, "大正"), (1868, "明治")]


def fiscal_year(year, western):
    """令和7年度, 令和元年度; 令和7年度（2025年度） with the Western year."""
    for first, era in ERAS:
        if year >= first:
            n = year - first + 1
            text = f"{era}{'元' if n == 1 else n}年度"
            return f"{text}（{year}年度）" if western else text
    return ""


def number(value):
    """A KPI value as the handout prints it: numbers without a trailing .0 (a number
    may be written 1,200), words as they are."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    text = str(value).strip()
    if re.fullmatch(r"-?[\d,]+(\.\d+)?", text):
        return number(float(text.replace(",", "")))
    return text


def kpi_text(kpis, western):
    lines = []
    for k in kpis or []:
        unit = k.get("unit") or ""
        lines.append(f"{k['indicator']}（{unit}）" if unit else k["indicator"])
        values = []
        for name, key in [("基準値", "baseline"), ("目標値", "target"), ("実績値", "actual")]:
            point = k.get(key)
            if point:
                values.append(f"{name}：{number(point['value'])}（{fiscal_year(int(point['year']), western)}）")
        if values:
            lines.append("　".join(values))
    return "\n".join(lines)


def grouped(amount):
    """12,500 and 1,234.5: thousands separators, no trailing zeros."""
    plain = format(amount.normalize(), "f") if amount else "0"
    whole, _, frac = plain.partition(".")
    out = f"{int(whole):,}"
    return f"{out}.{frac}" if frac else out


def budget_year(registry):
    if registry.get("fiscal_year"):
        return int(registry["fiscal_year"])
    years = [int(y) for area in registry["areas"] for cat in area["categories"]
             for p in cat["projects"] for y in (p.get("budget") or {})]
    return max(years) if years else None


def budget_text(p, year):
    for y, towns in (p.get("budget") or {}).items():
        if year is not None and int(y) == year:
            return grouped(sum((Decimal(str(a)) for a in (towns or {}).values()), Decimal(0)))
    return ""


def cell_texts(registry, p, western, year):
    """What each data column prints for project `p`."""
    towns = registry["towns"]
    ptowns = p.get("towns") or []
    return {
        "project": f"{p['number']} {p['name']}",
        "status": p.get("status") or "",
        "summary": p.get("summary") or "",
        "towns": "、".join(t for t in towns if t in ptowns),
        "lead": p.get("lead") or "",
        "department": p.get("department") or "",
        "grade": str(p.get("grade") or ""),
        "direction": p.get("direction") or "",
        "kpi": kpi_text(p.get("kpis"), western),
        "budget": budget_text(p, year),
    }


def rows(registry, town, columns, western, labels):
    """The project rows in print order: each a list of (column, text) in the
    template's order, empty cells left out, labels only on the first row they head
    (and only with `labels`)."""
    year = budget_year(registry)
    out = []
    for area in registry["areas"]:
        area_first = True
        for cat in area["categories"]:
            cat_first = True
            for p in cat["projects"]:
                if town and town not in (p.get("towns") or []):
                    continue
                texts = cell_texts(registry, p, western, year)
                texts["area"] = area["name"] if area_first and labels else ""
                texts["category"] = cat["name"] if cat_first and labels else ""
                cells = [(key, texts[key]) for key in columns if squeeze(texts[key])]
                out.append((p["number"], cells))
                area_first = cat_first = False
    return out


def cell_order(s, expected):
    """Finds each cell after the one before it: a cell read too early is then found
    nowhere after, or pushes the next row's cells behind it. A label (put again,
    unseen, on the later rows it spans) must be found before the next data cell.
    Returns the errors, the cells checked and the rows read wholly in order."""
    flat = [(n, key, text) for n, cells in expected for key, text in cells]
    at = 0
    errors, bad_rows = [], set()
    for i, (n, key, text) in enumerate(flat):
        want = squeeze(text)[:PREFIX]
        end = len(s)
        if key in LABELS:
            nxt = next((t for _, k, t in flat[i + 1:] if k not in LABELS), None)
            if nxt is not None:
                found = s.find(squeeze(nxt)[:PREFIX], at)
                end = found if found >= 0 else end
        found = s.find(want, at, end)
        if found < 0:
            if s.find(want) < 0:
                how = "missing"
            elif key in LABELS:
                how = "not read between the cell before it and the row's next cell"
            else:
                how = "read before the cells it should follow"
            errors.append((key, f"project {n}: {key} 「{squeeze(text)[:20]}」 {how} (after …{s[max(0, at - 20):at]})"))
            bad_rows.add(n)
            continue
        at = found + len(want)
    return errors, len(flat), len(expected) - len(bad_rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("registry")
    ap.add_argument("pdf")
    ap.add_argument("--template", default="shiryo2")
    ap.add_argument("--town")
    labels = ap.add_mutually_exclusive_group()
    labels.add_argument("--labels", action="store_true")
    labels.add_argument("--labels-report", action="store_true")
    args = ap.parse_args()
    registry = yaml.safe_load(open(args.registry, encoding="utf-8"))
    columns, western = load_template(args.template)
    text = subprocess.run(
        ["pdftotext", args.pdf, "-"], check=True, capture_output=True, text=True
    ).stdout
    s = squeeze(text)
    with_labels = args.labels or args.labels_report
    expected = rows(registry, args.town, columns, western, with_labels)
    if not expected:
        print(f"{args.pdf}: no project rows expected", file=sys.stderr)
        return 1
    errors, cells, rows_ok = cell_order(s, expected)
    summary = (
        f"{cells - len(errors)} of {cells} cells and {rows_ok} of {len(expected)} rows "
        f"read in order ({', '.join(columns)}{'' if with_labels else '; labels not checked'})"
    )
    for _, e in errors[:20]:
        print(f"{args.pdf}: {e}")
    if len(errors) > 20:
        print(f"{args.pdf}: … {len(errors) - 20} more")
    print(f"{args.pdf}: {summary}")
    if args.labels_report:
        # Labels counted, not required.
        return int(any(key not in LABELS for key, _ in errors))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
