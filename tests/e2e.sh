# End-to-end checks on real PDFs (sourced by tests/run.sh): every example is
# rendered with the sanitizer build and checked with qpdf, poppler's tools
# and cmp. Each check is a named pass or fail.
H=${HANDOUT_SAN:-bin/handout-san}
E2E=$(mktemp -d)
SPECS=$(ls content/handouts/*.yaml | tr '\n' ' ')

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
  clinic=$(sed -n 's/^clinic: *//p' "$spec")
  cname=$(sed -n 's/^name: *//p' "content/clinics/$clinic.yaml")
  check "$id: pdfinfo title" sh -c "pdfinfo '$pdf' | grep -qx 'Title: *$title'"
  check "$id: pdfinfo author is the clinic" sh -c "pdfinfo '$pdf' | grep -qx 'Author: *$cname'"
  check "$id: pdfinfo creator" sh -c "pdfinfo '$pdf' | grep -q '^Creator: *handout '"
  check "$id: pdfinfo keywords" sh -c "pdfinfo '$pdf' | grep -q '^Keywords: *.'"
  check "$id: at least 2 pages" sh -c "pdfinfo '$pdf' | awk '/^Pages:/ {exit !(\$2 >= 2)}'"
  # the words are really drawn, not only extractable: a body page rendered
  # in grey has ink (2-4% of the pixels darker than mid-grey here; a page
  # whose glyph outlines are missing has its rules and boxes only, < 1%)
  pdftoppm -gray -r 40 -f 2 -l 2 "$pdf" "$E2E/ink" 2>/dev/null
  check "$id: text is drawn (page 2 has ink)" python3 - "$E2E"/ink*.pgm <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
magic, size, maxval, px = data.split(b"\n", 3)
dark = sum(1 for b in px if b < 128) / len(px)
if dark < 0.015:
    sys.exit("only %.2f%% of page 2 is dark: are the glyphs missing?" % (100 * dark))
PY
  rm -f "$E2E"/ink*.pgm
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

# ---- required safety text (issue: defined once, on page 1, provable) ----
SAFE=$(mktemp -d)
check "safety: build with report" "$H" build -q -o "$SAFE" --report "$SAFE/report.json" content/handouts/ketamine-relief.yaml
check "report: its folder is made, like the output folder it is in" sh -c "'$H' build -q -o '$SAFE/new/out' --report '$SAFE/new/out/r.json' content/handouts/ketamine-relief.yaml && test -s '$SAFE/new/out/r.json' && test -s '$SAFE/new/out/ketamine-relief.pdf'"
pdftotext -f 1 -l 1 "$SAFE/ketamine-relief.pdf" "$SAFE/p1.txt" 2>/dev/null
pdftotext -f 2 "$SAFE/ketamine-relief.pdf" "$SAFE/rest.txt" 2>/dev/null
for sid in ketamine riverside-emergency; do
  check "safety: '$sid' word for word on page 1" python3 - "templates/safety/$sid.yaml" "$SAFE/p1.txt" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
m = re.search(r"^text: *\|[-+]?\n((?:(?: .*)?\n)*)", src, re.M)
text = m.group(1)
text = re.sub(r"\*\*|__|[*_`]", "", text)
text = re.sub(r"^\s*[-*+] ", "", text, flags=re.M)
def n(s):
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    s = s.replace("\u2022", " ")
    return re.sub(r"\s+", " ", s).strip()
page = n(open(sys.argv[2]).read())
want = n(text)
if want not in page:
    sys.exit("not on page 1: %r" % want[:200])
PY
done
check "safety: box heading on page 1" grep -q "Safety information" "$SAFE/p1.txt"
check "safety: report records id, version and SHA-256" python3 - "$SAFE/report.json" <<'PY'
import json, sys, hashlib, re
r = json.load(open(sys.argv[1]))
doc = r["documents"][0]
ids = [(s["id"], s["version"]) for s in doc["safety"]]
assert ids == [("ketamine", 1), ("riverside-emergency", 1)], ids
for s in doc["safety"]:
    src = open("templates/safety/%s.yaml" % s["id"]).read()
    assert re.fullmatch(r"[0-9a-f]{64}", s["sha256"]), s
assert doc["pages"] >= 2 and doc["bytes"] > 1000 and re.fullmatch(r"[0-9a-f]{64}", doc["sha256"])
assert hashlib.sha256(open(doc["path"], "rb").read()).hexdigest() == doc["sha256"]
PY
rm -rf "$SAFE"

# ---- batch builds for every clinic ----
B=$(mktemp -d)
check "matrix: --clinic all -j 1" "$H" build -q --clinic all -j 1 -o "$B/j1" $SPECS
check "matrix: --clinic all -j 4" "$H" build -q --clinic all -j 4 -o "$B/j4" --report "$B/r.json" $SPECS
check "matrix: one PDF per clinic and handout" sh -c "[ \$(find '$B/j1' -name '*.pdf' | wc -l) -eq \$(( $(ls content/clinics/*.yaml | wc -l) * $(echo $SPECS | wc -w) )) ]"
check "matrix: -j 1 and -j 4 byte-identical" diff -r "$B/j1" "$B/j4"
check "matrix: report lists every PDF" python3 -c "import json,sys; d=json.load(open('$B/r.json'))['documents']; assert len(d)==$(find "$B/j1" -name '*.pdf' | wc -l) and all(x['status']=='ok' for x in d)"
for k in 1 2 3; do "$H" build -q --clinic all --shard $k/3 -o "$B/shards" $SPECS; done
check "shards: the union of 3 shards equals the full build" diff -r "$B/j1" "$B/shards"
check "reproducible: a second build is byte-identical" sh -c "'$H' build -q --clinic all -o '$B/again' $SPECS && diff -r '$B/j1' '$B/again'"
# the same project in another folder (another checkout, a CI workspace) and
# the fonts behind another path: the same bytes
MV=$(mktemp -d)
mkdir -p "$MV/elsewhere/deeper" && cp -R content templates "$MV/elsewhere/deeper/" && cp -RL fonts "$MV/elsewhere/deeper/fonts"
HABS=$(cd "$(dirname "$H")" && pwd)/$(basename "$H")
check "reproducible: the project copied to another folder gives byte-identical PDFs" sh -c "cd '$MV/elsewhere/deeper' && '$HABS' build -q --clinic all -o '$MV/out' $SPECS && diff -r '$B/j1' '$MV/out'"
rm -rf "$MV"
check "reproducible: SOURCE_DATE_EPOCH sets the date" sh -c "SOURCE_DATE_EPOCH=1790000000 '$H' build -q -o '$B/date' content/handouts/ketamine-relief.yaml && pdfinfo '$B/date/ketamine-relief.pdf' | grep -q '^CreationDate:.*2026'"
check "reproducible: no date without SOURCE_DATE_EPOCH" sh -c "! pdfinfo '$B/j1/riverside/ketamine-relief.pdf' | grep -q '^CreationDate:'"

# a broken clinic profile fails alone; the others still build
R=$B/root
mkdir -p "$R/content"
cp -r content/handouts content/clinics "$R/content/"
printf 'id: broken\nname: [not, a, name]\n' > "$R/content/clinics/broken.yaml"
"$H" build -q --root "$R" --clinic all -o "$B/partial" $(cd "$R" && ls content/handouts/*.yaml | sed "s|^|$R/|") 2>"$B/partial.err"
code=$?
check "batch: exit 1 when one clinic profile is broken" test "$code" = 1
check "batch: the broken profile's error is reported" grep -q "broken.yaml:2:7: error:" "$B/partial.err"
check "batch: the other clinics still built" sh -c "[ \$(find '$B/partial' -name '*.pdf' | wc -l) -eq \$(( $(ls content/clinics/*.yaml | wc -l) * $(echo $SPECS | wc -w) )) ]"

# a build killed with SIGKILL leaves no partial PDF and keeps the good ones
K=$B/kill
"$H" build -q -o "$K" $SPECS
cp -r "$K" "$B/kill-before"
for delay in 0.02 0.05 0.1 0.2; do
  "$H" build -q -j 2 -o "$K" $SPECS & pid=$!
  sleep $delay; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
done
check "kill -9: every PDF left is complete" sh -c "for f in '$K'/*.pdf; do qpdf --check \"\$f\" >/dev/null 2>&1 || exit 1; done"
check "kill -9: the good PDFs are still there, unchanged" diff -r -x '.*' "$B/kill-before" "$K"

# ---- SIGINT / SIGTERM: finish the documents in hand, start no more, end by the signal ----
# first_pdf DIR: wait (up to 20 s) until a PDF is in DIR: the run is under way
first_pdf() { for _ in $(seq 400); do [ -n "$(find "$1" -name '*.pdf' 2>/dev/null | head -1)" ] && return 0; sleep 0.05; done; return 1; }
IN=$(mktemp -d)
python3 tests/bench/mkroot.py "$PWD" "$IN/gen" 10 30 --handouts ketamine-relief infusion-prep \
    --clinics harbour riverside summit >/dev/null
for sig in INT TERM; do
  # (a script's background job ignores SIGINT; as from a terminal, it must not)
  (trap - INT; exec "$H" build -q -j 2 --root "$IN/gen" --clinic all -o "$IN/$sig" --report "$IN/$sig.json" "$IN"/gen/content/handouts/*.yaml 2>"$IN/$sig.err") & pid=$!
  first_pdf "$IN/$sig"; kill -$sig $pid; wait $pid; code=$?
  want=$([ $sig = INT ] && echo 130 || echo 143)
  check "SIG$sig: exit $want and a message saying how many were built" sh -c "[ $code = $want ] && grep -q '^handout: stopped by SIG$sig: [0-9]* of 300 handouts built (0 failed), [0-9]* not started; every PDF written is complete' '$IN/$sig.err'"
  check "SIG$sig: no temporary files left" sh -c "[ -z \"\$(find '$IN/$sig' '$IN' -maxdepth 2 -name '.*tmp-*')\" ]"
  check "SIG$sig: every PDF written is complete, and the report lists exactly those" python3 - "$IN/$sig.json" "$IN/$sig" "$sig" <<'PY'
import json, os, subprocess, sys
rep, out, sig = json.load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
pdfs = sorted(os.path.join(d, f) for d, _, fs in os.walk(out) for f in fs if f.endswith(".pdf"))
assert rep.get("interrupted") == "SIG" + sig, rep.get("interrupted")
assert 0 < len(pdfs) < 300, len(pdfs)
assert sorted(os.path.realpath(d["path"]) for d in rep["documents"]) == [os.path.realpath(p) for p in pdfs]
for p in pdfs:
    subprocess.run(["qpdf", "--check", p], check=True, capture_output=True)
PY
done
# a signal ignored by the parent (nohup, a script's background job) stays ignored
(trap - INT; exec nohup "$H" build -q -j 2 --root "$IN/gen" --clinic all -o "$IN/nohup" "$IN"/gen/content/handouts/*.yaml >/dev/null 2>&1) & pid=$!
first_pdf "$IN/nohup"; kill -HUP $pid 2>/dev/null; wait $pid; code=$?
check "SIGHUP under nohup: ignored, the build completes" sh -c "[ $code = 0 ] && [ \$(find '$IN/nohup' -name '*.pdf' | wc -l) = 300 ]"
rm -rf "$IN"

# ---- syncing: each PDF reaches the disk before it is renamed, unless --no-sync ----
# (--no-cache: a cache entry written on the way is renamed into place too)
SY=$(mktemp -d)
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=fdatasync,rename -o "$SY/sync.log" "$H" build -q --no-cache -o "$SY/a" content/handouts/ketamine-relief.yaml
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=fdatasync,rename -o "$SY/nosync.log" "$H" build -q --no-cache --no-sync -o "$SY/b" content/handouts/ketamine-relief.yaml
check "sync: the PDF's data is synced, then it is renamed into place" sh -c "grep -E 'fdatasync|rename' '$SY/sync.log' | awk '{print \$2}' | cut -d'(' -f1 | tr '\n' ' ' | grep -qx 'fdatasync rename '"
check "sync: --no-sync renames without syncing" sh -c "! grep -q fdatasync '$SY/nosync.log' && grep -q rename '$SY/nosync.log'"
check "sync: --no-sync writes the same bytes" cmp "$SY/a/ketamine-relief.pdf" "$SY/b/ketamine-relief.pdf"
# with -MD the .d file is put in place first: a PDF that then fails to be
# written is rebuilt next time; a new PDF never goes without its .d
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=rename -o "$SY/deps.log" "$H" build -q -MD --no-sync -o "$SY/c" content/handouts/ketamine-relief.yaml
check "-MD: the .d file is renamed into place before the PDF" sh -c "grep -o 'ketamine-relief\.pdf[.d]*\"' '$SY/deps.log' | tr '\n' ' ' | grep -qx 'ketamine-relief.pdf.d\" ketamine-relief.pdf\" '"
rm -rf "$SY"

# ---- default -j: one worker per core, one more while PDFs are synced ----
J=$(mktemp -d)
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o "$J/sync.log" "$H" build -q --clinic all -o "$J/a" content/handouts/*.yaml
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=clone,clone3 -o "$J/nosync.log" "$H" build -q --clinic all --no-sync -o "$J/b" content/handouts/*.yaml
cores=$(nproc)
jobs=$(( $(ls content/handouts/*.yaml | wc -l) * $(ls content/clinics/*.yaml | wc -l) ))
want_sync=$((cores + 1 < jobs ? cores + 1 : jobs))
want_nosync=$((cores < jobs ? cores : jobs))
[ "$want_nosync" = 1 ] && want_nosync=0 # one worker: the main thread itself
check "default -j: cores + 1 workers when syncing, cores with --no-sync" sh -c "[ \$(grep -c 'clone' '$J/sync.log') = $want_sync ] && [ \$(grep -c 'clone' '$J/nosync.log') = $want_nosync ]"
rm -rf "$J"

# ---- every example builds for every clinic, in standard and in large print ----
A=$(mktemp -d)
check "all examples x all clinics, standard print" "$H" build -q --clinic all -o "$A/std" content/handouts/*.yaml
check "all examples x all clinics, large print" "$H" build -q --clinic all --large-print -o "$A/lp" content/handouts/*.yaml
rm -rf "$A"

# ---- no clinic's handout sends patients to another clinic's website ----
W=$(mktemp -d)
"$H" build -q --no-sync --clinic all -o "$W" content/handouts/*.yaml 2>/dev/null
check "every clinic's handouts name no other clinic's web address" python3 - "$W" <<'PY'
import glob, os, re, subprocess, sys
webs = {}
for prof in glob.glob("content/clinics/*.yaml"):
    m = re.search(r"^  web: *(\S+)", open(prof, encoding="utf-8").read(), re.M)
    if m: webs[os.path.basename(prof)[:-5]] = re.sub(r"^https?://", "", m.group(1)).rstrip("/")
assert len(webs) >= 2, webs
pdfs = glob.glob(os.path.join(sys.argv[1], "*", "*.pdf"))
assert len(pdfs) >= 9, pdfs
for pdf in pdfs:
    cid = os.path.basename(os.path.dirname(pdf))
    text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True).stdout
    for other, web in webs.items():
        if other != cid and web in text:
            sys.exit("%s names %s's web address %s" % (pdf, other, web))
PY
rm -rf "$W"

# ---- the footer: a clinic's footer text whole on every page, never cut ----
# (large print once cut "Questions? Ring the pain team on 555-0150." to
# "Questions? Ring the pain tea…": now it takes a row of its own)
F=$(mktemp -d)
"$H" build -q --no-sync --clinic all --large-print -o "$F" content/handouts/ketamine-relief.yaml 2>/dev/null
check "footer: each clinic's footer text is printed whole on every page (large print)" python3 - "$F" <<'PY'
import glob, os, re, subprocess, sys
out = sys.argv[1]
clinics = sorted(glob.glob("content/clinics/*.yaml"))
assert clinics
for prof in clinics:
    cid = os.path.basename(prof)[:-5]
    y = open(prof, encoding="utf-8").read()
    m = re.search(r"^footer: *(.*)$", y, re.M)
    assert m, prof
    want = " ".join(m.group(1).strip().strip("\"'").split())
    phone = re.search(r"^  phone: *(.*)$", y, re.M)
    if phone: want = want.replace("{phone}", phone.group(1).strip())  # a placeholder the profile fills
    assert "{" not in want, want
    pdf = os.path.join(out, cid, "ketamine-relief.large-print.pdf")
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
    for p in range(1, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True).stdout
        assert want in " ".join(text.split()), "%s page %d: footer %r not found whole" % (cid, p, want)
PY
rm -rf "$F"

# ---- no text drawn over text: every word on a line clear of the next ----
# (large print once ran the footer's centre slot into "Reviewed October 2026")
O=$(mktemp -d)
n=0
for args in "content/handouts/ketamine-relief.yaml" "--clinic summit content/handouts/ketamine-relief.yaml" \
    "--clinic harbour content/handouts/infusion-prep.yaml" "--large-print content/handouts/ketamine-relief.yaml" \
    "--large-print --clinic summit content/handouts/ketamine-relief-es.yaml" "--large-print content/handouts/infusion-prep.yaml" \
    "content/handouts/ketamine-relief-es.yaml" "tests/fixtures/showcase.yaml"; do
    n=$((n + 1))
    eval "set -- $args"
    "$H" build -q -o "$O/$n" "$@" 2>/dev/null
    pdf=$(find "$O/$n" -name '*.pdf' | head -1)
    pdftotext -bbox "$pdf" "$O/$n.html" 2>/dev/null
    check "no overlapping words: $args" python3 tests/e2e/no_overlap.py "$O/$n.html"
done
rm -rf "$O"

# ---- links inside the project: followed (an absolute one too), as long as they stay inside ----
L=$(mktemp -d)
cp -r content templates "$L/" && ln -s "$PWD/fonts" "$L/fonts"
mv "$L/content/handouts/ketamine-relief/01-intro.md" "$L/content/intro-real.md"
ln -s "$L/content/intro-real.md" "$L/content/handouts/ketamine-relief/01-intro.md"       # absolute
mv "$L/content/handouts/ketamine-relief/02-how-it-works.md" "$L/content/how-real.md"
ln -s ../../how-real.md "$L/content/handouts/ketamine-relief/02-how-it-works.md"          # relative
check "links inside the project: absolute and relative ones are followed" "$H" build -q --root "$L" -o "$L/out" "$L/content/handouts/ketamine-relief.yaml"
check "links inside the project: the linked sections are in the PDF" sh -c "pdftotext '$L/out/ketamine-relief.pdf' - | grep -q 'How ketamine eases pain'"
rm -rf "$L"

# ---- stale temporary files: what a killed build left is removed by the next ----
T=$(mktemp -d)
dead=$(sh -c 'echo $$')  # a process that has ended
mkdir -p "$T/riverside"
for f in "$T/.ketamine-relief.pdf.tmp-$dead-aB3xY9" "$T/riverside/.ketamine-relief.pdf.tmp-$dead-Qw12Er" \
    "$T/riverside/.ketamine-relief.pdf.d.tmp-$dead-Zz9Yy8" "$T/.report.json.tmp-$dead-Mn0Pq1"; do
    printf 'partial' >"$f" && touch -d '2 minutes ago' "$f"
done
printf 'x' >"$T/riverside/.infusion-prep.pdf.tmp-$dead-Fr3sh1"                             # written just now
printf 'x' >"$T/riverside/.infusion-prep.pdf.tmp-$$-L1ve00" && touch -d '2 minutes ago' "$T/riverside/.infusion-prep.pdf.tmp-$$-L1ve00"  # its writer is alive
printf 'x' >"$T/riverside/.notes.tmp-abcdef" && touch -d '2 minutes ago' "$T/riverside/.notes.tmp-abcdef"  # not ours
printf 'x' >"$T/riverside/.notes.txt.tmp-$dead-Nt0Pdf" && touch -d '2 minutes ago' "$T/riverside/.notes.txt.tmp-$dead-Nt0Pdf"  # not a PDF's
# a writer in another PID namespace: its pid means nothing here, but it holds the file's lock
printf 'x' >"$T/riverside/.infusion-prep.pdf.tmp-$dead-L0cked" && touch -d '2 minutes ago' "$T/riverside/.infusion-prep.pdf.tmp-$dead-L0cked"
flock "$T/riverside/.infusion-prep.pdf.tmp-$dead-L0cked" sleep 30 & holder=$!
sleep 0.3
"$H" build -q -o "$T" --clinic riverside --report "$T/report.json" content/handouts/ketamine-relief.yaml
kill $holder 2>/dev/null; wait $holder 2>/dev/null
check "stale tmp: a dead writer's old temporary files are removed (PDF, .d, report)" sh -c "[ -z \"\$(find '$T' -name '*-$dead-*' ! -name '*Fr3sh1' ! -name '*Nt0Pdf' ! -name '*L0cked')\" ]"
check "stale tmp: a new one, a live or locked writer's and files not named like ours are kept" sh -c "[ -f '$T/riverside/.infusion-prep.pdf.tmp-$dead-Fr3sh1' ] && [ -f '$T/riverside/.infusion-prep.pdf.tmp-$$-L1ve00' ] && [ -f '$T/riverside/.notes.tmp-abcdef' ] && [ -f '$T/riverside/.notes.txt.tmp-$dead-Nt0Pdf' ] && [ -f '$T/riverside/.infusion-prep.pdf.tmp-$dead-L0cked' ]"
check "stale tmp: the build itself leaves none" sh -c "[ -z \"\$(find '$T' -name '.*.tmp-*' ! -name '*Fr3sh1' ! -name '*L1ve00' ! -name '.notes.tmp-abcdef' ! -name '*Nt0Pdf' ! -name '*L0cked')\" ]"
rm -rf "$T"

# ---- unchanged: a rebuild that gives the same bytes leaves the PDF in place ----
U=$(mktemp -d)
"$H" build -q -o "$U" content/handouts/ketamine-relief.yaml
ino=$(stat -c %i "$U/ketamine-relief.pdf")
touch -d '2020-01-01' "$U/ketamine-relief.pdf"
ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=fdatasync,rename -o "$U/again.log" "$H" build -o "$U" --report "$U/r.json" \
    content/handouts/ketamine-relief.yaml >"$U/out" 2>&1
check "unchanged: says so, and the file is the same file" sh -c "grep -qx 'unchanged $U/ketamine-relief.pdf (6 pages, [0-9]* bytes)' '$U/out' && [ \$(stat -c %i '$U/ketamine-relief.pdf') = $ino ]"
check "unchanged: not written again (no rename), its data synced" sh -c "! grep -q 'rename(\"$U/\\.ketamine' '$U/again.log' && grep -q fdatasync '$U/again.log'"
check "unchanged: its time is now, so make sees it up to date" sh -c "[ \$(stat -c %Y '$U/ketamine-relief.pdf') -gt \$(date -d '2021-01-01' +%s) ]"
check "unchanged: the report says unchanged" python3 -c "import json,sys; d=json.load(open('$U/r.json'))['documents'][0]; sys.exit(0 if d['unchanged'] is True and d['status']=='ok' else 1)"
printf 'x' >>"$U/ketamine-relief.pdf"
"$H" build -o "$U" --report "$U/r2.json" content/handouts/ketamine-relief.yaml >"$U/out2" 2>&1
check "unchanged: a PDF that differs is written again" sh -c "grep -q '^wrote ' '$U/out2' && [ \$(stat -c %i '$U/ketamine-relief.pdf') != $ino ] && python3 -c \"import json,sys; sys.exit(json.load(open('$U/r2.json'))['documents'][0]['unchanged'] is not False)\""
mkdir -p "$U/l" && cp "$U/ketamine-relief.pdf" "$U/l/real.pdf"
"$H" build -o "$U/b" --clinic all content/handouts/ketamine-relief.yaml >/dev/null 2>&1
"$H" build -o "$U/b" --clinic all content/handouts/ketamine-relief.yaml >"$U/again-batch" 2>&1
check "unchanged: a batch's last line counts them" grep -qx '3 of 3 handouts built (3 unchanged), 0 failed' "$U/again-batch"
ln -s "$U/l/real.pdf" "$U/l/ketamine-relief.pdf"
"$H" build -o "$U/l" content/handouts/ketamine-relief.yaml >"$U/out3" 2>&1
check "unchanged: a symlink with the same bytes is replaced by the file, as before" sh -c "grep -q '^wrote ' '$U/out3' && [ ! -L '$U/l/ketamine-relief.pdf' ]"
rm -rf "$U"
rm -rf "$B"

# ---- incremental: after editing one section only the PDFs using it rebuild ----
I=$(mktemp -d)
cp -r Makefile content templates fonts "$I/" && mkdir -p "$I/bin" && cp bin/handout "$I/bin/"
( cd "$I" && make --no-print-directory -s examples >/dev/null 2>&1 )
sleep 1; touch "$I/content/handouts/infusion-prep/03-during.md"
( cd "$I" && make --no-print-directory -n examples ) > "$I/plan" 2>&1
check "incremental: the edited handout is rebuilt" grep -q "infusion-prep.yaml" "$I/plan"
check "incremental: the other handout is not" sh -c "! grep -q 'ketamine-relief.yaml' '$I/plan'"
rm -rf "$I"

# ---- every CommonMark construct (tests/fixtures/showcase.yaml) ----
S=$(mktemp -d)
check "showcase: builds" "$H" build -q -o "$S" tests/fixtures/showcase.yaml
pdftotext "$S/showcase.pdf" "$S/t.txt" 2>/dev/null
qpdf --qdf --object-streams=disable "$S/showcase.pdf" "$S/qdf.pdf" 2>/dev/null
check "showcase: headings 1-6, lists, quote, code, breaks in order" python3 - "$S/t.txt" <<'PY'
import re, sys
t = re.sub(r"\s+", " ", open(sys.argv[1]).read())
want = ["Heading one", "Heading two", "Heading three", "Heading four", "Heading five", "Heading six",
        "A paragraph with emphasis, strong text, both at once, nested emphasis inside",
        "Entities: & \u00a9 \u2265 4 weeks", "\u201ccurly\u201d and \u2018single\u2019", "dashes \u2013 and \u2014",
        "joins this line to the one before", "A block quote with a key message.", "A quote inside a quote.",
        "\u2022 First bullet", "\u2013 Nested bullet", "\u2022 Third bullet", "7. Ordered list starting at seven",
        "8. Eight", "A loose item with a second paragraph.", "9. Nine", "code block line one",
        "Visit our website (summit.example/info)", "Inline section", "with a hard line break right here."]
pos = 0
for w in want:
    i = t.find(w, pos)
    if i < 0:
        sys.exit("missing or out of order: %r" % w)
    pos = i + len(w)
PY
check "showcase: the link is clickable" grep -q "/URI (https://summit.example/info)" "$S/qdf.pdf"
check "showcase: the image is embedded once" sh -c "[ \$(pdfimages -list '$S/showcase.pdf' 2>/dev/null | awk '\$3==\"image\"' | wc -l) -eq 1 ]"
check "showcase: code keeps its indentation" sh -c "pdftotext -layout '$S/showcase.pdf' - 2>/dev/null | grep -q 'indented code line two'"
check "showcase: a long word is broken, never past the margin" python3 - "$S/showcase.pdf" <<'PY'
import subprocess, sys, re
# every text box must lie inside the page's margins (pdftotext -bbox gives word boxes)
out = subprocess.run(["pdftotext", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S)
for w, h, body in pages:
    for xmax in re.findall(r'xMax="([\d.]+)"', body):
        if float(xmax) > float(w) - 50:
            sys.exit("text reaches x=%s on a page %s wide" % (xmax, w))
PY
check "showcase: bookmarks from the headings" sh -c "grep -c '/Title' '$S/qdf.pdf' | awk '{exit !(\$1 >= 8)}'"
rm -rf "$S"

# ---- readability in the report ----
RD=$(mktemp -d)
"$H" build -q -o "$RD" --report "$RD/r.json" content/handouts/ketamine-relief.yaml content/handouts/ketamine-relief-es.yaml 2>/dev/null
check "readability: grades per section and overall in the report, under the template's maximum" python3 - "$RD/r.json" <<'PY'
import json, sys
docs = {d["handout"]: d for d in json.load(open(sys.argv[1]))["documents"]}
en, es = docs["ketamine-relief"]["readability"], docs["ketamine-relief-es"]["readability"]
assert en["grade_name"] == "Flesch-Kincaid grade" and es["ease_name"] == "Fernandez-Huerta reading ease", (en, es)
assert len(en["sections"]) == 6 and all(s["words"] > 0 for s in en["sections"]), en
assert 0 < en["grade"] <= 8 and en["ease"] >= 60, en
assert 0 < es["grade"] <= 8, es
PY
rm -rf "$RD"

# ---- the relief-timeline figure: real text, pure vector ----
FG=$(mktemp -d)
"$H" build -q -o "$FG" content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml 2>/dev/null
for pair in "ketamine-relief:content/handouts/ketamine-relief/timeline.yaml:1 minute,10 minutes,1 hour,1 day,1 week,1 month,1 year" \
            "infusion-prep:content/handouts/infusion-prep/course.yaml:10 minutes,1 hour,1 day,1 week,3 months"; do
  id=${pair%%:*}; rest=${pair#*:}; fig=${rest%%:*}; ticks=${rest#*:}
  check "$id figure: title, every lane label, legend and ticks on its page; no image on that page" python3 - "$FG/$id.pdf" "$fig" "$ticks" <<'PY'
import re, subprocess, sys
pdf, fig, ticks = sys.argv[1], open(sys.argv[2]).read(), sys.argv[3].split(",")
title = re.search(r"^title: *(.+)$", fig, re.M).group(1).strip()
labels = [l.strip().strip('"') for l in re.findall(r"^  - label: *(.+)$", fig, re.M)]
pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True).stdout).group(1))
def text(p):
    return re.sub(r"\s+", " ", subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), pdf, "-"], capture_output=True, text=True).stdout)
page = next(p for p in range(1, pages + 1) if title in text(p))
t = text(page)
for want in labels + ticks + ["Typical range"]:
    assert want in t, "missing on page %d: %r" % (page, want)
imgs = subprocess.run(["pdfimages", "-f", str(page), "-l", str(page), "-list", pdf], capture_output=True, text=True).stdout.splitlines()[2:]
assert not imgs, "images on the figure's page: %r" % imgs
PY
done
rm -rf "$FG"

# ---- logos: stored no larger than the logo file itself ----
LG=$(mktemp -d)
"$H" build -q --clinic riverside -o "$LG" content/handouts/ketamine-relief.yaml 2>/dev/null
check "logo: a flat-colour PNG logo (riverside) is an indexed image plus its soft mask, together smaller than the PNG file" python3 - "$LG/riverside/ketamine-relief.pdf" content/clinics/logos/riverside.png <<'PY'
import os, subprocess, sys
pdf, png = sys.argv[1], sys.argv[2]
rows = [l.split() for l in subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", pdf], capture_output=True, text=True).stdout.splitlines()[2:]]
kinds = sorted((r[2], r[5]) for r in rows)
assert kinds == [("image", "index"), ("smask", "gray")], kinds
def size(s):
    return float(s[:-1]) * 1024 if s.endswith("K") else float(s[:-1]) if s.endswith("B") else float(s)
total = sum(size(r[14]) for r in rows)
assert total <= os.path.getsize(png), "logo takes %d bytes in the PDF, the PNG file %d" % (total, os.path.getsize(png))
PY
check "logo: drawn with its colours (page 1 top left has the logo's blue)" sh -c "pdftoppm -r 30 -f 1 -l 1 -x 0 -y 0 -W 90 -H 42 '$LG/riverside/ketamine-relief.pdf' '$LG/top' && python3 -c \"
import sys
d = open('$LG/top-1.ppm', 'rb').read().split(b'\\n', 3)[3]
px = [d[i:i + 3] for i in range(0, len(d), 3)]
sys.exit(0 if sum(1 for p in px if p[2] > 120 and p[0] < 80) > 20 else 1)\""
rm -rf "$LG"

# ---- make install: the installed program finds its templates and fonts ----
IN=$(mktemp -d)
check "install: make install DESTDIR puts program, templates and fonts in place" sh -c "make -s --no-print-directory install PREFIX=/usr/local DESTDIR='$IN' >/dev/null && test -x '$IN/usr/local/bin/handout' && test -f '$IN/usr/local/share/handout/templates/standard.yaml' && test -f '$IN/usr/local/share/handout/fonts/noto-sans/Regular.ttf'"
mkdir -p "$IN/proj" && cp -r content "$IN/proj/"
check "install: the installed program builds a project that has no templates or fonts of its own" sh -c "cd '$IN/proj' && '$IN/usr/local/bin/handout' build -q -o out content/handouts/ketamine-relief.yaml && qpdf --check out/ketamine-relief.pdf >/dev/null"
rm -rf "$IN"

# ---- large print: 18 pt body or larger, no italics, everything reflowed ----
LP=$(mktemp -d)
check "large print: builds (figure, safety box, header and footer reflow)" "$H" build -q --large-print -o "$LP" content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml content/handouts/ketamine-relief-es.yaml
check "large print: body text is at least 18 pt" python3 - "$LP/ketamine-relief.large-print.pdf" <<'PY'
import re, statistics, subprocess, sys
# poppler's word boxes are ascent+descent high: 1.362 em for Noto Sans
out = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-bbox", sys.argv[1], "-"], capture_output=True, text=True).stdout
h = [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)]
size = statistics.median(h) / 1.362
assert size >= 17.9, "body text is %.1f pt" % size
PY
check "large print: no italic face is used" sh -c "! pdffonts '$LP/ketamine-relief.large-print.pdf' | grep -q Italic"
check "large print: more pages than standard print" sh -c "[ \$(pdfinfo '$LP/ketamine-relief.large-print.pdf' | awk '/^Pages:/{print \$2}') -gt 6 ]"
# beside the standard PDF, never over it: both in one folder
"$H" build -q -o "$LP" content/handouts/ketamine-relief.yaml
check "large print: written as <id>.large-print.pdf beside the standard <id>.pdf" sh -c \
    "[ -f '$LP/ketamine-relief.pdf' ] && [ -f '$LP/ketamine-relief.large-print.pdf' ] && ! cmp -s '$LP/ketamine-relief.pdf' '$LP/ketamine-relief.large-print.pdf' && [ \$(pdfinfo '$LP/ketamine-relief.pdf' | awk '/^Pages:/{print \$2}') = 6 ]"
rm -rf "$LP"
