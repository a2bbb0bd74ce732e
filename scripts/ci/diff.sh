#!/usr/bin/env bash
# The 新旧対照表 and the 見え消し handout read back by the shared tools: the seed against
# a copy with every kind of change and one more new project at the top (the table runs
# over two pages). Fails on any kinsoku violation,
# split town name, or workbook XML Excel would repair. Installs poppler when missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
tools=${SHIRYO_TOOLS:-../shared/tools}  # the shared tools beside the checkout
for t in kinsoku_check.py xlsx_xml_check.py; do
  [ -f "$tools/$t" ] || { echo "missing $tools/$t" >&2; exit 1; }
done
command -v pdftotext >/dev/null || {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
}
cargo build --quiet --release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cp data/registry.yaml "$out/old.yaml"
# The same edits as tests/support/seed_pairs.rs (all at once), plus an insertion.
python3 - "$out/old.yaml" "$out/new.yaml" <<'EOF'
import re, sys
y = open(sys.argv[1], encoding="utf-8").read()
def block(y, n):
    m = re.search(rf"^          - number: {n}\n(?:            .*\n)*", y, re.M)
    return m.start(), m.end()
def edit(y, n, old, new):
    a, b = block(y, n)
    assert old in y[a:b], (n, old)
    return y[:a] + y[a:b].replace(old, new, 1) + y[b:]
y = edit(y, 1, ", 愛別町, 上川町", ", 上川町")
y = edit(y, 2, "公的医療機関に対し", "公的医療機関等に対し")
y = edit(y, 4, "[旭川市, 鷹栖町, 東神楽町, 比布町", "[旭川市, 鷹栖町, 東神楽町, 当麻町, 比布町")
y = edit(y, 5, "name: 消費生活相談事業", "name: 消費生活相談・啓発事業")
y = edit(y, 6, "status: 一部実施中", "status: 実施中")
a, b = block(y, 7); y = y[:a] + y[b:]
y = y.replace("      - name: エ、産業振興\n", "      - name: エ、産業振興・観光\n")
a, b = block(y, 17)
y = y[:b] + """          - number: 19
            name: 地域公共交通の連携
            status: 準備中
            summary: 圏域内の路線バスの維持に向けて、運行経費の一部を共同で負担する。
            towns: [旭川市, 鷹栖町, 当麻町]
""" + y[b:]
y = y.replace("          - number: 18\n", "          - number: 20\n")
a, b = block(y, 1)
y = y[:a] + """          - number: 21
            name: 救急医療情報の共有
            status: 準備中
            summary: 圏域の救急医療機関の受入情報を共有する仕組みを検討する。
            towns: [旭川市, 東神楽町, 東川町]
""" + y[a:]
open(sys.argv[2], "w", encoding="utf-8").write(y)
EOF
names=(旭川市 鷹栖町 東神楽町 当麻町 比布町 愛別町 上川町 東川町)
target/release/shiryo diff "$out/old.yaml" "$out/new.yaml" -o "$out/diff"
printf 'new.diff.pdf (%s pages): ' "$(pdfinfo "$out/diff/new.diff.pdf" | awk '/^Pages:/ {print $2}')"
python3 "$tools/kinsoku_check.py" "$out/diff/new.diff.pdf" --names "${names[@]}" | tail -n 1
printf 'new.diff.xlsx: '
python3 "$tools/xlsx_xml_check.py" "$out/diff/new.diff.xlsx" | tail -n 1
# Nothing changed: both files still written.
target/release/shiryo diff "$out/old.yaml" "$out/old.yaml" -o "$out/same" >/dev/null
python3 "$tools/kinsoku_check.py" "$out/same/old.diff.pdf" --names "${names[@]}" | tail -n 1
python3 "$tools/xlsx_xml_check.py" "$out/same/old.diff.xlsx" | tail -n 1
# 見え消し.
target/release/shiryo build "$out/new.yaml" --since "$out/old.yaml" -o "$out/since" >/dev/null
printf 'new.pdf in 見え消し: '
python3 "$tools/kinsoku_check.py" "$out/since/new.pdf" --names "${names[@]}" | tail -n 1
