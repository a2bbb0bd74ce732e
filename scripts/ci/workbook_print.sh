#!/usr/bin/env bash
# The reader's check of the workbook (issue 8): LibreOffice prints the workbook of the
# seed and of a 300-project registry with the font a Windows PC has (BIZ UDゴシック),
# and the printout is read back:
#   - ../shared/tools/xlsx_xml_check.py: the workbook opens in Excel without repair;
#   - scripts/ci/workbook_check.py: every cell's text whole, no line cut, the same
#     projects on each printed page as on the handout's, 政策分野 and category on every
#     page they continue onto;
#   - ../shared/tools/kinsoku_check.py on LibreOffice's PDF: 0 kinsoku breaks and 0
#     split town names.
# Installs what it needs when missing (apt-get, pip); never skips: a missing tool fails.
# SHARED (default ../shared) is the folder holding tools/.
set -euo pipefail
cd "$(dirname "$0")/../.."
shared=${SHARED:-../shared}
for tool in xlsx_xml_check.py kinsoku_check.py; do
  [ -f "$shared/tools/$tool" ] || { echo "missing $shared/tools/$tool" >&2; exit 1; }
done

updated=
install() { # packages...
  [ -n "$updated" ] || { apt-get update -qq; updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
command -v soffice >/dev/null || install libreoffice-calc-nogui
command -v pdftotext >/dev/null || install poppler-utils
command -v mutool >/dev/null || install mupdf-tools
fc-list | grep -q 'BIZ UDGothic' || install fonts-morisawa-bizud-gothic
python3 -c 'import yaml' 2>/dev/null || pip install -q pyyaml

cargo build --release --quiet
bin=$PWD/target/release/shiryo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp data/registry.yaml "$work/seed.yaml"
# 300 projects: the seed's areas repeated, renumbered (as scripts/bench.sh makes 10,008).
awk -v n=300 '
  /^areas:/ { head = 1; print; next }
  !head { print; next }
  { block[++lines] = $0 }
  END {
    number = 0
    while (number < n)
      for (i = 1; i <= lines; i++)
        if (block[i] ~ /^          - number: /) print "          - number: " (++number)
        else print block[i]
  }' data/registry.yaml > "$work/big.yaml"

status=0
for name in seed big; do
  out=$work/$name
  "$bin" build "$work/$name.yaml" -o "$out" >/dev/null
  python3 "$shared/tools/xlsx_xml_check.py" "$out/$name.xlsx" || status=1
  # A profile of its own, so that a LibreOffice already running does not take the job.
  timeout 900 soffice -env:UserInstallation="file://$work/profile" --headless \
    --convert-to pdf --outdir "$out/print" "$out/$name.xlsx" >/dev/null 2>&1
  [ -s "$out/print/$name.pdf" ] || { echo "LibreOffice printed nothing for $name" >&2; exit 1; }
  printf '%s (%s pages): ' "$name.xlsx" "$(pdfinfo "$out/print/$name.pdf" | awk '/^Pages:/ {print $2}')"
  python3 "$shared/tools/kinsoku_check.py" "$out/print/$name.pdf" --names \
    $(python3 -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["towns"]))' "$work/$name.yaml") \
    || status=1
  python3 scripts/ci/workbook_check.py "$work/$name.yaml" "$out/$name.pdf" "$out/print/$name.pdf" || status=1
done
exit $status
