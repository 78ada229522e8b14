# End-to-end checks on real PDFs (sourced by tests/run.sh): every example is
# rendered with the sanitizer build and checked with qpdf, poppler's tools
# and cmp. Each check is a named pass or fail.
H=${HANDOUT_SAN:-bin/handout-san}
E2E=$(mktemp -d)
SPECS=$(ls content/handouts/*.yaml)

# plain text of a Markdown file: headings and words, markup removed
md_headings() { sed -n 's/^#\{1,6\} \(.*\)$/\1/p' "$1"; }
norm() { tr -s ' \n\t\f' '    ' | sed "s/[’‘]/'/g; s/[“”]/\"/g"; }

check "build examples (sanitizers)" "$H" build -q -o "$E2E/a" $SPECS
for spec in $SPECS; do
  id=$(sed -n 's/^id: *//p' "$spec")
  pdf="$E2E/a/$id.pdf"
  check "$id: qpdf --check clean" sh -c "qpdf --check '$pdf' >'$E2E/q' 2>&1 && ! grep -qi warning '$E2E/q'"
  check "$id: every font embedded" sh -c "pdffonts '$pdf' | awk 'NR>2 && \$(NF-4) != \"yes\" {bad=1} END {exit bad}'"
  check "$id: fonts are subsets" sh -c "pdffonts '$pdf' | awk 'NR>2 && \$(NF-3) != \"yes\" {bad=1} END {exit bad}'"
  title=$(sed -n 's/^title: *//p' "$spec")
  check "$id: pdfinfo title" sh -c "pdfinfo '$pdf' | grep -qF 'Title:          $title'"
  check "$id: pdfinfo author is the clinic" sh -c "pdfinfo '$pdf' | grep -q '^Author: .*Clinic'"
  check "$id: pdfinfo creator" sh -c "pdfinfo '$pdf' | grep -q '^Creator: *handout '"
  check "$id: pdfinfo keywords" sh -c "pdfinfo '$pdf' | grep -q '^Keywords: *.'"
  check "$id: at least 2 pages" sh -c "pdfinfo '$pdf' | awk '/^Pages:/ {exit !(\$2 >= 2)}'"
  pdftotext -layout "$pdf" - 2>/dev/null | norm > "$E2E/$id.txt"
  pdftotext "$pdf" - 2>/dev/null | norm > "$E2E/$id.raw"
  # every heading of every section, in order
  dir=$(dirname "$spec")
  : > "$E2E/$id.heads"
  for md in $(sed -n 's/^ *- file: *//p' "$spec"); do md_headings "$dir/$md" >> "$E2E/$id.heads"; done
  check "$id: headings present in order" python3 - "$E2E/$id.raw" "$E2E/$id.heads" <<'PY'
import sys, re
text = open(sys.argv[1]).read()
def n(s): return re.sub(r"\s+", " ", s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')).strip()
text = n(text)
pos = 0
for h in open(sys.argv[2]).read().splitlines():
    h = n(re.sub(r"[*_`]", "", h)).replace("'", "'")
    i = text.find(h, pos)
    if i < 0:
        sys.exit("missing or out of order: %r" % h)
    pos = i + len(h)
PY
done
rm -rf "$E2E"
