"""The reader's-eye checks of the web page and the CSV (run by publish.sh):
REGISTRY.yaml PAGE.html TABLE.csv

- the page passes a strict HTML5 parse (html5lib, strict=True: any parse error fails);
- the CSV, read by Python's csv module, equals the registry field for field, after
  undoing the documented formula protection (one leading ' before ' * [=+-@\\t\\r]),
  and no field would run as a formula in a spreadsheet.
Exit 0 only when everything holds."""
import csv
import io
import re
import sys

import html5lib
import yaml

registry_path, page_path, csv_path = sys.argv[1:4]
registry = yaml.safe_load(open(registry_path, encoding="utf-8-sig"))
towns = registry["towns"]

with open(page_path, "rb") as f:
    html5lib.HTMLParser(strict=True).parse(f.read())
print(f"{page_path}: strict HTML5 parse ok")

raw = open(csv_path, "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no byte order mark"
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
projects = [(a, c, p) for a in registry["areas"] for c in a["categories"] for p in c["projects"]]


def plain(v):
    """A number as the CSV writes it (1430, 12.5), a word as it is."""
    if isinstance(v, str):
        return v
    v = float(str(v).replace(",", ""))
    return str(int(v)) if v == int(v) else repr(v)


# The fields beyond the seed, each a column when some project has it (README, CSV).
own = [(key, label) for key, label in [("id", "ID"), ("lead", "主担当"), ("department", "担当課"),
                                       ("grade", "評価"), ("direction", "今後の方向性")]
       if any(key in p for _, _, p in projects)]
most_kpis = max((len(p.get("kpis") or []) for _, _, p in projects), default=0)
years = sorted({int(y) for _, _, p in projects for y in (p.get("budget") or {})})
unit = registry.get("unit", "千円")
header = ["番号", "政策分野", "分類", "連携事業名", "取組状況", "取組内容・事業概要", "関係市町"]
header += [label for _, label in own]
kpi_fields = ["成果指標", "単位", "基準値", "基準年度", "目標値", "目標年度", "実績値", "実績年度"]
header += [f"{name}{n + 1}" for n in range(most_kpis) for name in kpi_fields]
header += [f"事業費{y}年度（{unit}）" for y in years]
expected = [header]
for area, cat, p in projects:
    mine = [t for t in towns if t in p["towns"]]
    row = [str(p["number"]), area["name"], cat["name"], p["name"],
           p["status"], p.get("summary") or "", "、".join(mine)]
    row += [str(p.get(key) or "") for key, _ in own]
    kpis = p.get("kpis") or []
    for n in range(most_kpis):
        if n >= len(kpis):
            row += [""] * len(kpi_fields)
            continue
        k = kpis[n]
        row += [k["indicator"], k.get("unit") or ""]
        for point in ("baseline", "target", "actual"):
            pt = k.get(point)
            row += [plain(pt["value"]), str(pt["year"])] if pt else ["", ""]
    budget = {int(y): v for y, v in (p.get("budget") or {}).items()}
    row += [plain(sum(float(str(a).replace(",", "")) for a in budget[y].values()))
            if y in budget else "" for y in years]
    expected.append(row)
formula = re.compile(r"^[=+\-@\t\r]")
protected = re.compile(r"^'+[=+\-@\t\r]")
problems = 0
for i, (got, want) in enumerate(zip(rows, expected)):
    for field in got:
        if formula.match(field):
            print(f"row {i}: {field!r} would run as a formula")
            problems += 1
    got = [f[1:] if protected.match(f) else f for f in got]
    if got != want:
        print(f"row {i}: {got} != {want}")
        problems += 1
if len(rows) != len(expected):
    print(f"{len(rows)} rows, expected {len(expected)}")
    problems += 1
print(f"{csv_path}: {len(rows) - 1} projects, {problems} problems")
sys.exit(1 if problems else 0)
