#!/usr/bin/env bash
# Publication checks (issue 9), run by .ci/run: the handouts against PDF/A and PDF/UA
# with the independent `page` checker, the web page with a strict HTML5 parser and
# axe-core in headless Chromium, the CSV read back by Python's csv module. Installs
# what it needs when missing (pip, apt-get, npm) and fails, never skips, when it
# cannot.
set -euo pipefail
cd "$(dirname "$0")/../.."
here=scripts/ci
# ../shared is beside the clone in CI; SHARED overrides it (e.g. from a worktree).
standards=${SHARED:-../shared}/tools/pdf_standards.py
[ -f "$standards" ] || { echo "publish.sh: $standards is missing" >&2; exit 1; }

apt_updated=
need_apt() { # command, package
  command -v "$1" >/dev/null && return
  [ -n "$apt_updated" ] || { apt-get update -qq; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}
need_pip() { # module, package
  python3 -c "import $1" 2>/dev/null || python3 -m pip install -q "$2"
}
need_pip page page-validation
need_pip html5lib html5lib
need_pip yaml pyyaml
need_apt pdftotext poppler-utils
need_apt chromium chromium
need_apt npm npm

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet
bin=target/release/shiryo

# The seed repeated to 300 projects, project 1's summary taller than a page.
python3 scripts/ci/large_registry.py data/registry.yaml "$work/large.yaml"
$bin build data/registry.yaml -o "$work/seed" >/dev/null
$bin build "$work/large.yaml" -o "$work/large" >/dev/null
# A registry with every field beyond the seed: the CSV's extra columns.
$bin build data/kamikawa-2025.yaml -o "$work/kamikawa" >/dev/null
# The web page follows the template: the 成果指標 table's page.
$bin --template seika build data/kamikawa-2025.yaml -o "$work/kamikawa-seika" >/dev/null
# The other tables through the same writer: the 成果指標 template, the 新旧対照表.
$bin --template seika pdf data/kamikawa-2025.yaml -o "$work/seika.pdf" >/dev/null
# Every handout of the seika example in its own template, town handouts too (one of
# them once had an object stream ending in CR: /Length one byte long to PDF/A).
$bin --template seika build tests/layout/registries/seika.yaml -o "$work/seika-example" >/dev/null
$bin diff data/registry.yaml data/kamikawa-2025.yaml -o "$work/diff" >/dev/null

fail=0
echo "== PDF/A and PDF/UA (page $(python3 -c 'import importlib.metadata as m; print(m.version("page-validation"))'))"
for pdf in "$work"/seed/registry.pdf "$work"/seed/towns/*.pdf "$work"/large/large.pdf \
  "$work"/seika.pdf "$work"/seika-example/seika.pdf "$work"/seika-example/towns/*.pdf \
  "$work"/diff/*.pdf; do
  printf '%s: ' "${pdf#"$work"/}"
  if ! python3 "$standards" "$pdf" 2a ua1 | tr '\n' ' '; then fail=1; fi
  echo
done

echo "== web page and CSV"
python3 $here/check_web.py data/registry.yaml "$work/seed/registry.html" "$work/seed/registry.csv" || fail=1
python3 $here/check_web.py "$work/large.yaml" "$work/large/large.html" "$work/large/large.csv" || fail=1
python3 $here/check_web.py data/kamikawa-2025.yaml "$work/kamikawa/kamikawa-2025.html" "$work/kamikawa/kamikawa-2025.csv" || fail=1
python3 $here/check_web.py data/kamikawa-2025.yaml "$work/kamikawa-seika/kamikawa-2025.html" "$work/kamikawa-seika/kamikawa-2025.csv" || fail=1

echo "== axe-core in headless Chromium"
npm_dir="$work/npm"
mkdir -p "$npm_dir"
(cd "$npm_dir" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund axe-core playwright-core >/dev/null)
NODE_PATH="$npm_dir/node_modules" CHROMIUM="$(command -v chromium)" \
  node $here/axe_check.js "$work/seed/registry.html" "$work/large/large.html" \
  "$work/kamikawa-seika/kamikawa-2025.html" || fail=1

[ "$fail" = 0 ] && echo "publish: all checks passed" || { echo "publish: FAILED" >&2; exit 1; }
