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
expected = [["番号", "政策分野", "分類", "連携事業名", "取組状況", "取組内容・事業概要", "関係市町"]]
for area in registry["areas"]:
    for cat in area["categories"]:
        for p in cat["projects"]:
            mine = [t for t in towns if t in p["towns"]]
            expected.append([str(p["number"]), area["name"], cat["name"], p["name"],
                             p["status"], p.get("summary") or "", "、".join(mine)])
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
