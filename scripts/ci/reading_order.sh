#!/usr/bin/env bash
# Reading order (issue 9), run by .ci/run: every handout read back with poppler's
# `pdftotext` in its default mode (which orders text by position, not by the content
# stream) must give each project row's cells in order: number and name, status,
# summary, towns, and the rows in order (scripts/ci/reading_order.py). Installs
# poppler-utils and PyYAML when missing and fails, never skips, when it cannot.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/ci
command -v pdftotext >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
}
python3 -c "import yaml" 2>/dev/null || python3 -m pip install -q pyyaml

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/shiryo

# A large registry: the seed's areas repeated (300 projects), project 1's summary
# taller than a page (split between pages).
python3 - data/registry.yaml "$work/large.yaml" <<'PY'
import sys, yaml
r = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
areas, n = [], 0
while n < 300:
    for a in yaml.safe_load(open(sys.argv[1], encoding="utf-8"))["areas"]:
        for c in a["categories"]:
            for p in c["projects"]:
                n += 1
                p["number"] = n
        areas.append(a)
areas[0]["categories"][0]["projects"][0]["summary"] = "\n".join(
    f"{i + 1}行目：圏域内の連携事業の取組内容を記載する。" for i in range(80))
r["areas"] = areas
yaml.safe_dump(r, open(sys.argv[2], "w", encoding="utf-8"), allow_unicode=True, sort_keys=False)
PY

fail=0
for registry in data/registry.yaml data/kamikawa-2025.yaml "$work/large.yaml"; do
  stem=$(basename "$registry" .yaml)
  $bin build "$registry" -o "$work/$stem" >/dev/null
  python3 $here/reading_order.py "$registry" "$work/$stem/$stem.pdf" || fail=1
  for pdf in "$work/$stem"/towns/*.pdf; do
    python3 $here/reading_order.py "$registry" "$pdf" --town "$(basename "$pdf" .pdf)" || fail=1
  done
done
# The merged 政策分野 and category labels: reported, not required (see the README).
python3 $here/reading_order.py --labels-report data/registry.yaml "$work/registry/registry.pdf"
[ "$fail" = 0 ] && echo "reading order: all handouts read row by row" || {
  echo "reading order: FAILED" >&2
  exit 1
}
