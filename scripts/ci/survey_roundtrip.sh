#!/usr/bin/env bash
# The survey round trip through LibreOffice (issue 11): for the seed and the richer
# kamikawa registry, survey → answers typed into every town's workbook (openpyxl) →
# each workbook opened and saved again by LibreOffice, as a town would → the hidden
# digest, keys, protection and drop-downs survived → collect → the registry changed in
# exactly the answered values (read back through a second survey) and only on their
# lines → check and build accept it.
# Installs LibreOffice Calc and openpyxl when missing; fails, never skips.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v soffice >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui >/dev/null
fi
python3 -c 'import openpyxl' 2>/dev/null ||
  pip install --quiet openpyxl 2>/dev/null ||
  pip install --quiet --break-system-packages openpyxl
cargo build --release --quiet
root=$PWD
bin=$root/target/release/shiryo
py=$root/scripts/ci/survey_roundtrip.py
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# LibreOffice keeps its profile here, not in the CI user's home.
export HOME=$work/home

for source in data/registry.yaml data/kamikawa-2025.yaml; do
  name=$(basename "$source" .yaml)
  dir=$work/$name
  mkdir -p "$dir"
  cp "$source" "$dir/registry.yaml"
  cd "$dir"
  echo "== $name"
  "$bin" survey registry.yaml -o before >/dev/null
  python3 "$py" fill before filled answers.json
  soffice --headless --norestore --convert-to xlsx --outdir saved filled/*.xlsx >/dev/null 2>&1
  python3 "$py" survived filled saved
  "$bin" collect registry.yaml saved/*.xlsx > collect.txt
  tail -n 1 collect.txt
  grep -q "values changed" collect.txt || { echo "collect changed nothing" >&2; exit 1; }
  cmp -s "$root/$source" registry.yaml.bak ||
    { echo "registry.yaml.bak is not the registry as it was" >&2; exit 1; }
  python3 "$py" textdiff registry.yaml.bak registry.yaml answers.json
  "$bin" survey registry.yaml -o after >/dev/null
  python3 "$py" verify before after answers.json
  "$bin" check registry.yaml
  "$bin" build registry.yaml -o out >/dev/null
  # Collecting the same answers again changes nothing.
  "$bin" collect registry.yaml saved/*.xlsx | tail -n 1 | grep -q "no value changed" ||
    { echo "a second collect of the same answers changed the registry" >&2; exit 1; }
  cd "$root"
done
echo "survey round trip through LibreOffice: ok"
