#!/usr/bin/env python3
"""The printed workbook read as a reader reads it, against the handout.

Usage: workbook_check.py REGISTRY.yaml HANDOUT.pdf WORKBOOK.pdf

WORKBOOK.pdf is what LibreOffice prints of shiryo's workbook (every sheet);
HANDOUT.pdf is shiryo's handout of the same registry. Both are read with
`mutool trace`: every glyph with its position and size, every ruled line. A cell is
the box the rules draw around a glyph. The check finds:

- no line cut: every glyph of every printed page inside the rules of its cell (text
  that LibreOffice clips at a cell's edge is still in the trace, outside the box);
- on the pages of the table sheet (those with a 関係市町 header cell): each project's
  number and name, status, summary and towns each whole in one cell;
- the same projects on each printed page as on the handout's page, in order;
- on every page, the 政策分野 and category of each of its projects, in cells of
  their own (a merged cell continued onto a page repeats its text).

Prints the problems, then one summary line; exits 0 only when there are none.
"""
import html
import re
import subprocess
import sys

import yaml

ASCENT, DESCENT = 1802 / 2048, 246 / 2048  # BIZ UDGothic (hhea)
TOLERANCE = 0.75  # points: half a rule's width and rounding


def squeeze(text):
    return re.sub(r"\s+", "", text)


def transform(m, x, y):
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def trace(pdf):
    """Pages of (glyphs, horizontal rules, vertical rules), in points, y downwards."""
    out = subprocess.run(
        ["mutool", "trace", pdf], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    path = None
    matrix = None
    size = 0.0
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("<page "):
            pages.append({"glyphs": [], "h": [], "v": []})
        elif line.startswith("<stroke_path"):
            matrix = [float(v) for v in re.search(r'transform="([^"]+)"', line).group(1).split()]
            path = []
        elif line.startswith("</stroke_path>"):
            page = pages[-1]
            for (x1, y1), (x2, y2) in zip(path, path[1:]):
                if abs(y1 - y2) < 0.5 and abs(x1 - x2) >= 0.5:
                    page["h"].append((y1, min(x1, x2), max(x1, x2)))
                elif abs(x1 - x2) < 0.5 and abs(y1 - y2) >= 0.5:
                    page["v"].append((x1, min(y1, y2), max(y1, y2)))
            path = None
        elif path is not None and (line.startswith("<moveto") or line.startswith("<lineto")):
            x = float(re.search(r'x="([-\d.]+)"', line).group(1))
            y = float(re.search(r'y="([-\d.]+)"', line).group(1))
            path.append(transform(matrix, x, y))
        elif path is not None and line.startswith("<closepath"):
            if path:
                path.append(path[0])
        elif line.startswith("<fill_text") or line.startswith("<clip_text"):
            matrix = [float(v) for v in re.search(r'transform="([^"]+)"', line).group(1).split()]
        elif line.startswith("<span "):
            trm = [float(v) for v in re.search(r'trm="([^"]+)"', line).group(1).split()]
            size = abs(trm[3]) * abs(matrix[3])
        elif line.startswith("<g "):
            ch = html.unescape(re.search(r'unicode="([^"]*)"', line).group(1))
            x = float(re.search(r' x="([-\d.]+)"', line).group(1))
            y = float(re.search(r' y="([-\d.]+)"', line).group(1))
            adv = float(re.search(r'adv="([-\d.]+)"', line).group(1))
            dx, dy = transform(matrix, x, y)
            if ch.strip():
                pages[-1]["glyphs"].append((ch, dx, dy, size, adv * size))
    return pages


def cells_of(page):
    """{cell box: [(baseline, x, char)]} and the glyphs cut by their cell's rules."""
    cells, cut = {}, []
    for ch, x, base, size, width in page["glyphs"]:
        xc = x + width / 2
        lefts = [vx for vx, y1, y2 in page["v"] if vx <= xc and y1 - 1 <= base <= y2 + 1]
        rights = [vx for vx, y1, y2 in page["v"] if vx >= xc and y1 - 1 <= base <= y2 + 1]
        tops = [hy for hy, x1, x2 in page["h"] if x1 - 1 <= xc <= x2 + 1 and hy <= base]
        bottoms = [hy for hy, x1, x2 in page["h"] if x1 - 1 <= xc <= x2 + 1 and hy >= base]
        if not (lefts and rights and tops and bottoms):
            continue  # free text: title, label, page number
        box = (round(max(lefts), 1), round(max(tops), 1), round(min(rights), 1), round(min(bottoms), 1))
        top, bottom = base - ASCENT * size, base + DESCENT * size
        if top < box[1] - TOLERANCE or bottom > box[3] + TOLERANCE or x < box[0] - TOLERANCE or x + width > box[2] + TOLERANCE:
            cut.append(f"{ch!r} at ({x:.1f}, {base:.1f}) outside its cell {box}")
        cells.setdefault(box, []).append((base, x, ch))
    return cells, cut


def cell_texts(cells):
    """The text of each cell, lines top to bottom, squeezed."""
    out = []
    for glyphs in cells.values():
        glyphs.sort(key=lambda g: (round(g[0]), g[1]))
        out.append(squeeze("".join(g[2] for g in glyphs)))
    return out


def main():
    registry_path, handout_pdf, workbook_pdf = sys.argv[1:4]
    registry = yaml.safe_load(open(registry_path, encoding="utf-8-sig"))
    towns = registry["towns"]
    projects = {}  # number → (area, category, label, status, summary, towns)
    by_label = {}
    for area in registry["areas"]:
        for cat in area["categories"]:
            for p in cat["projects"]:
                label = squeeze(f"{p['number']} {p['name']}")
                listed = "、".join(t for t in towns if t in p["towns"])
                projects[p["number"]] = (
                    squeeze(area["name"]), squeeze(cat["name"]), label,
                    squeeze(p["status"]), squeeze(p.get("summary") or ""), squeeze(listed),
                )
                by_label[label] = p["number"]

    def projects_on(texts):
        return [by_label[t] for t in texts if t in by_label]

    problems = []
    handout_pages = []
    for page in trace(handout_pdf):
        cells, _ = cells_of(page)
        handout_pages.append(projects_on(cell_texts(cells)))

    cut_total = 0
    table_pages = []
    for n, page in enumerate(trace(workbook_pdf), 1):
        cells, cut = cells_of(page)
        cut_total += len(cut)
        problems += [f"page {n}: {c}" for c in cut[:3]]
        texts = cell_texts(cells)
        if "関係市町" not in texts:
            continue
        table_pages.append(n)
        present = set(texts)
        on_page = projects_on(texts)
        for number in on_page:
            area, cat, label, status, summary, listed = projects[number]
            for what, value in [("status", status), ("summary", summary), ("towns", listed)]:
                if value and value not in present:
                    problems.append(f"page {n}: project {number}: {what} not whole in one cell")
            for what, value in [("政策分野", area), ("category", cat)]:
                if value not in present:
                    problems.append(f"page {n}: project {number}: its {what} {value} is not on the page")
        expected = handout_pages[len(table_pages) - 1] if len(table_pages) <= len(handout_pages) else None
        if on_page != expected:
            problems.append(f"page {n}: projects {on_page}, the handout's page {len(table_pages)}: {expected}")

    if len(table_pages) != len(handout_pages):
        problems.append(f"{len(table_pages)} printed table pages, the handout has {len(handout_pages)}")
    all_seen = sorted({p for page in handout_pages for p in page})
    if all_seen != sorted(projects):
        problems.append("the handout's pages do not list every project")
    for p in problems[:30]:
        print(p)
    print(
        f"workbook print: {len(table_pages)} table pages, {len(projects)} projects, "
        f"{cut_total} glyphs cut, {len(problems)} problems"
    )
    sys.exit(1 if problems else 0)


main()
