"""A large registry for the reader's checks: the seed's areas repeated to 300
projects, renumbered, project 1's summary 80 forced lines (taller than a page, so
it is split between pages).

    python3 scripts/ci/large_registry.py SEED.yaml OUT.yaml
"""
import sys

import yaml

seed, out = sys.argv[1], sys.argv[2]
r = yaml.safe_load(open(seed, encoding="utf-8"))
areas, n = [], 0
while n < 300:
    for a in yaml.safe_load(open(seed, encoding="utf-8"))["areas"]:
        for c in a["categories"]:
            for p in c["projects"]:
                n += 1
                p["number"] = n
        areas.append(a)
areas[0]["categories"][0]["projects"][0]["summary"] = "\n".join(
    f"{i + 1}行目：圏域内の連携事業の取組内容を記載する。" for i in range(80))
r["areas"] = areas
yaml.safe_dump(r, open(out, "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
