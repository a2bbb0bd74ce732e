#!/usr/bin/env bash
# Whole-process time and peak memory of the release binary, against the targets of
# the issues, on the seed (18 projects) and on 10,008 projects (the seed's areas
# repeated 556 times, renumbered). Per-stage timings: `cargo bench`.
# Needs GNU time (/usr/bin/time); uses hyperfine for the means when it is installed.
#
#   scripts/bench.sh [BASELINE]   BASELINE: another shiryo binary (e.g. the previous
#                                 commit's), timed in the same run beside this one;
#                                 each line then adds the ratios this / baseline.
#   BENCH_ONLY=REGEX              run only the jobs whose name matches (e.g. workbook).
set -euo pipefail
base=${1:+$(realpath "$1")}
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/shiryo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The big registries: header up to `areas:`, then the areas block repeated, renumbered.
repeat() { # source registry → 10,000+ projects on stdout
  awk -v n=10000 '
    /^areas:/ { head = 1; print; next }
    !head { print; next }
    { block[++lines] = $0 }
    END {
      number = 0
      while (number < n)
        for (i = 1; i <= lines; i++)
          if (block[i] ~ /^          - number: /) print "          - number: " (++number)
          else print block[i]
    }' "$1"
}
repeat data/registry.yaml > "$work/big.yaml"
# With two KPIs, three budget years, grades, notes per project (the seika example).
repeat tests/layout/registries/seika.yaml > "$work/bigkpi.yaml"
# Every field beyond the seed on every project (id, lead, department, grade, direction,
# 2 KPIs, budgets over three fiscal years): the generator tests/support/big_registry.rs.
cargo run --release --quiet --example big_registry -- sphere 10000 > "$work/sphere.yaml"

# The same registry a year later: 1,000 projects changed (every tenth: its summary
# extended; every twentieth also its status; every thirtieth also a town left).
awk '
  /^          - number: / { n = $3 + 0 }
  n > 0 && n % 10 == 0 && /^            summary: / { $0 = $0 "（令和7年度拡充）" }
  n > 0 && n % 20 == 0 && /^            status: / { $0 = "            status: 準備中" }
  n > 0 && n % 30 == 0 && /^            towns: / { sub(/, 東川町\]/, "]") }
  { print }' "$work/big.yaml" > "$work/big_new.yaml"

run() { # name, target seconds, target MB, command... (the binary first)
  local name=$1 t=$2 mb=$3; shift 3
  [[ $name =~ ${BENCH_ONLY:-.} ]] || return 0
  "$@" >/dev/null 2>&1 # warm the page cache
  local out=${*: -1}
  # The baseline: the same command with the other binary, writing beside it.
  local -a other=()
  if [ -n "$base" ]; then
    other=("$base" "${@:2:$#-2}" "$out.base")
    "${other[@]}" >/dev/null 2>&1 || other=()
  fi
  local secs bsecs=
  if command -v hyperfine >/dev/null; then
    local -a cmds=("$*")
    [ ${#other[@]} -eq 0 ] || cmds+=("${other[*]}")
    hyperfine -N --runs 10 --warmup 2 --export-json "$work/h.json" "${cmds[@]}" >/dev/null 2>&1
    secs=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][0]['mean'])")
    [ ${#other[@]} -eq 0 ] ||
      bsecs=$(python3 -c "import json;print(json.load(open('$work/h.json'))['results'][1]['mean'])")
  else
    /usr/bin/time -o "$work/secs" -f "%e" "$@" >/dev/null 2>&1
    secs=$(cat "$work/secs")
    if [ ${#other[@]} -gt 0 ]; then
      /usr/bin/time -o "$work/secs" -f "%e" "${other[@]}" >/dev/null 2>&1
      bsecs=$(cat "$work/secs")
    fi
  fi
  local kb bkb=
  /usr/bin/time -o "$work/mem" -f "%M" "$@" >/dev/null 2>&1
  kb=$(cat "$work/mem")
  if [ ${#other[@]} -gt 0 ]; then
    /usr/bin/time -o "$work/mem" -f "%M" "${other[@]}" >/dev/null 2>&1
    bkb=$(cat "$work/mem")
  fi
  awk -v n="$name" -v s="$secs" -v t="$t" -v k="$kb" -v m="$mb" -v f="$(stat -c %s "$out" 2>/dev/null || echo 0)" 'BEGIN {
    printf "%-22s %8.3f s (target %5.3f, ratio %.2f)  %6.1f MB (target %d, ratio %.2f)  %9d bytes\n",
      n, s, t, s / t, k / 1024, m, k / 1024 / m, f }'
  if [ -n "$bsecs" ]; then
    awk -v s="$secs" -v b="$bsecs" -v k="$kb" -v bk="$bkb" -v f="$(stat -c %s "$out.base" 2>/dev/null || echo 0)" 'BEGIN {
      printf "  %-20s %8.3f s (this / baseline %.2f)          %6.1f MB (this / baseline %.2f)   %9d bytes\n",
        "baseline", b, s / b, bk / 1024, k / bk, f }'
  elif [ -n "$base" ]; then
    echo "  baseline             cannot run this job"
  fi
}

run "seed handout"     0.020 200 $bin pdf  data/registry.yaml -o "$work/seed.pdf"
run "seed workbook"    0.020 150 $bin xlsx data/registry.yaml -o "$work/seed.xlsx"
run "10k handout"      1.0   200 $bin pdf  "$work/big.yaml"   -o "$work/big.pdf"
run "10k workbook"     0.5   150 $bin xlsx "$work/big.yaml"   -o "$work/big.xlsx"
run "10k KPI handout"  1.5   300 $bin pdf  "$work/bigkpi.yaml" -o "$work/bigkpi.pdf"
run "10k KPI seika"    1.5   300 $bin --template seika pdf "$work/bigkpi.yaml" -o "$work/bigkpi-seika.pdf"
run "10k sphere handout" 1.5  300 $bin pdf  "$work/sphere.yaml" -o "$work/sphere.pdf"
run "10k sphere workbook" 1.5 200 $bin xlsx "$work/sphere.yaml" -o "$work/sphere.xlsx"
run "seed build (10 files)" 0.2 200 $bin build data/registry.yaml -o "$work/out"
run "10k diff, 1,000 changes" 2.0 300 $bin diff "$work/big.yaml" "$work/big_new.yaml" -o "$work/diff"
# Issue 11: a 10,008-project workbook back into a registry (shiryo's own workbook, read
# from its データ sheet; "10k import 資料2" without that sheet, from the printed table),
# and the 照会 workbooks of the seed's 8 towns.
[[ "10k import" =~ ${BENCH_ONLY:-.} ]] && $bin xlsx "$work/big.yaml" -o "$work/import.xlsx"
run "10k import" 1.0 300 $bin import "$work/import.xlsx" -o "$work/imported.yaml"
if [[ "10k import 資料2" =~ ${BENCH_ONLY:-.} ]]; then
  python3 - "$work/import.xlsx" "$work/import-table.xlsx" <<'PY'
import sys, zipfile, re
# The same workbook without its データ sheet: drop the sheet from workbook.xml (and its
# relationship), so import reads the printed 資料2 table.
src, dst = sys.argv[1:]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as out:
    for item in z.infolist():
        data = z.read(item.filename)
        if item.filename == "xl/workbook.xml":
            data = re.sub(rb'<sheet name="\xe3\x83\x87\xe3\x83\xbc\xe3\x82\xbf"[^>]*/>', b"", data)
        out.writestr(item, data)
PY
fi
run "10k import 資料2" 1.0 300 $bin import "$work/import-table.xlsx" -o "$work/imported-table.yaml"
run "seed survey (8 towns)" 0.1 100 $bin survey data/registry.yaml -o "$work/survey"
