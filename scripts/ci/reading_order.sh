#!/usr/bin/env bash
# Reading order (issue 9), run by .ci/run: every handout read back with poppler's
# `pdftotext` in its default mode (which orders text by position, not by the content
# stream) must give each project row's cells in the template's column order: its
# 政策分野 and category labels (where the merged cell is printed, over the first row
# it heads), number and name, status, summary, towns, lead, department, grade,
# direction, KPIs, budget (those the template has, empty cells skipped), and the rows
# in order (scripts/ci/reading_order.py --labels --template). Handouts of the default
# template, of seika (KPIs, grades, directions) and of a template with all 12 columns
# (tests/fixtures/templates/all-columns.yaml), with their town handouts. Installs
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
# check TEMPLATE REGISTRY...: each registry's handout and town handouts.
check() {
  local template=$1 registry stem dir pdf
  shift
  for registry in "$@"; do
    stem=$(basename "$registry" .yaml)
    dir="$work/$(basename "$template" .yaml)/$stem"
    $bin --template "$template" build "$registry" -o "$dir" >/dev/null
    python3 $here/reading_order.py --labels --template "$template" "$registry" "$dir/$stem.pdf" || fail=1
    for pdf in "$dir"/towns/*.pdf; do
      python3 $here/reading_order.py --labels --template "$template" "$registry" "$pdf" \
        --town "$(basename "$pdf" .pdf)" || fail=1
    done
  done
}
check shiryo2 data/registry.yaml data/kamikawa-2025.yaml "$work/large.yaml" "$work/long-labels.yaml"
# 成果指標: KPI lines with values side by side, empty grades, the seed without KPIs.
check seika data/kamikawa-2025.yaml tests/layout/registries/seika.yaml data/registry.yaml \
  "$work/long-labels.yaml"
# Every column on A3: budgets right-aligned in the last column, many empty cells.
check tests/fixtures/templates/all-columns.yaml data/kamikawa-2025.yaml \
  tests/layout/registries/seika.yaml data/registry.yaml "$work/large.yaml"
[ "$fail" = 0 ] && echo "reading order: all handouts read row by row" || {
  echo "reading order: FAILED" >&2
  exit 1
}
