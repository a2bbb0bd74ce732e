#!/usr/bin/env bash
# Reading order (issue 9), run by .ci/run: every handout read back with poppler's
# `pdftotext` in its default mode (which orders text by position, not by the content
# stream) must give each project row's cells in order: its 政策分野 and category
# labels (where the merged cell is printed, over the first row it heads), number and
# name, status, summary, towns, and the rows in order (scripts/ci/reading_order.py
# --labels). Installs poppler-utils and PyYAML when missing and fails, never skips,
# when it cannot.
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

# The seed repeated to 300 projects, project 1's summary taller than a page.
python3 scripts/ci/large_registry.py data/registry.yaml "$work/large.yaml"
# The seed with labels of three to five lines, which reach into the rows under their
# first (those rows get no unseen copy of the label).
sed -e 's/name: 生活機能の強化$/name: 生活機能の強化に関する連携事業と医療福祉教育産業振興その他/' \
  -e 's/name: イ、福祉$/name: イ、福祉と子育ての支援及び障害者の相談に係る連携/' \
  -e 's/name: オ、その他$/name: オ、その他の生活機能の強化に関する連携事業と取組/' \
  data/registry.yaml >"$work/long-labels.yaml"
cmp -s data/registry.yaml "$work/long-labels.yaml" && { echo "long labels: seed unchanged" >&2; exit 1; }

fail=0
for registry in data/registry.yaml data/kamikawa-2025.yaml "$work/large.yaml" "$work/long-labels.yaml"; do
  stem=$(basename "$registry" .yaml)
  $bin build "$registry" -o "$work/$stem" >/dev/null
  python3 $here/reading_order.py --labels "$registry" "$work/$stem/$stem.pdf" || fail=1
  for pdf in "$work/$stem"/towns/*.pdf; do
    python3 $here/reading_order.py --labels "$registry" "$pdf" --town "$(basename "$pdf" .pdf)" || fail=1
  done
done
[ "$fail" = 0 ] && echo "reading order: all handouts read row by row" || {
  echo "reading order: FAILED" >&2
  exit 1
}
