#!/usr/bin/env bash
# Kinsoku read back by the shared tool on every handout of the layout's examples, with
# both bundled templates (shiryo2 in BIZ UDゴシック, seika in BIZ UD明朝): the seed, the
# seika example (KPIs, notes, a meeting line) and the 61-character title. Fails on
# any violation or split town name. Installs poppler when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
check=../shared/tools/kinsoku_check.py
[ -f "$check" ] || { echo "missing $check" >&2; exit 1; }
command -v pdftotext >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
}
cargo build --quiet --release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for template in shiryo2 seika; do
  for registry in data/registry.yaml tests/layout/registries/seika.yaml tests/layout/registries/long-title.yaml; do
    dir="$out/$template/$(basename "$registry" .yaml)"
    target/release/shiryo --template "$template" build "$registry" -o "$dir" >/dev/null
    for pdf in "$dir"/*.pdf "$dir"/towns/*.pdf; do
      printf '%s: ' "${pdf#"$out"/}"
      python3 "$check" "$pdf" --names 旭川市 鷹栖町 東神楽町 当麻町 比布町 愛別町 上川町 東川町 | tail -n 1
    done
  done
done
