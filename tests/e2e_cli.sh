# End-to-end checks of the command line (sourced by tests/run.sh): the
# project found through links, output paths, .d files read by a real make,
# the batch's counts, the report, exit codes. Usage errors with a fixed
# message are in the catalogue (tests/bad/cli-*); these need a temporary
# folder in the command or the message.
H=${HANDOUT_SAN:-bin/handout-san}
HABS=$(realpath "$H")
C=$(mktemp -d)
C=$(realpath "$C")
K=content/handouts/ketamine-relief.yaml

# ---- the project reached through a link: spec paths are resolved like the root ----
ln -s "$PWD" "$C/lnk"
check "link: a project reached through a link builds (spec named by its absolute path)" sh -c "cd '$C/lnk' && '$HABS' build -q -o '$C/lnk-out' \"\$PWD/content/handouts/infusion-prep.yaml\" && test -s '$C/lnk-out/infusion-prep.pdf'"
check "link: and by a relative path from inside the link" sh -c "cd '$C/lnk/content' && '$HABS' build -q --root .. -o '$C/lnk-out2' handouts/infusion-prep.yaml && test -s '$C/lnk-out2/infusion-prep.pdf'"
(cd "$C" && "$HABS" build -o "$C/outside-out" "$OLDPWD/$K" >/dev/null 2>"$C/outside.err"); code=$?
printf "handout: '%s' is outside the project folder, which is the current folder '%s'; run handout from the project folder, or name it with --root DIR\nTry 'handout --help'.\n" "$PWD/$K" "$C" > "$C/outside.want"
check "outside: a spec outside the project is a usage error (2), said once, naming the project folder" sh -c "[ $code = 2 ] && diff '$C/outside.want' '$C/outside.err' && [ ! -e '$C/outside-out' ]"
(cd "$C" && "$HABS" build --root "$C" -o "$C/outside-out" "$OLDPWD/$K" "$OLDPWD/content/handouts/infusion-prep.yaml" >/dev/null 2>"$C/outside2.err"); code=$?
check "outside: with --root, and several specs: one message counting them" sh -c "[ $code = 2 ] && grep -qxF \"handout: '$PWD/$K' and 1 more specs are outside the project folder, which is the --root folder '$C'; run handout from the project folder, or name it with --root DIR\" '$C/outside2.err'"

# ---- the output folder: "out/" is "out", "x/../y" makes no x ----
"$H" build -MD -o "$C/slash/" --report "$C/slash.json" $K >"$C/slash.out" 2>/dev/null
check "-o DIR/: the wrote line has no '//'" grep -qx "wrote $C/slash/ketamine-relief.pdf (6 pages, [0-9]* bytes)" "$C/slash.out"
check "-o DIR/: the .d target has no '//'" sh -c "head -1 '$C/slash/ketamine-relief.pdf.d' | grep -qxF '$C/slash/ketamine-relief.pdf: \\'"
check "-o DIR/: the report's path has no '//'" python3 -c "import json,sys; sys.exit(json.load(open('$C/slash.json'))['documents'][0]['path'] != '$C/slash/ketamine-relief.pdf')"
check "-o x/../y: writes to y and makes no folder x" sh -c "'$H' build -q -o '$C/x/../y' $K && test -s '$C/y/ketamine-relief.pdf' && [ ! -e '$C/x' ]"

# ---- .d files that make reads: spaces, '#' and '$' escaped as gcc does ----
P="$C/proj"
mkdir -p "$P/content"
cp -r content/handouts content/clinics "$P/content/"
cp -r templates "$P/"
ln -s "$PWD/fonts" "$P/fonts"
mv "$P/content/handouts/ketamine-relief/02-how-it-works.md" "$P/content/handouts/ketamine-relief/a b#c\$d.md"
sed -i "s|file: ketamine-relief/02-how-it-works.md|file: 'ketamine-relief/a b#c\$d.md'|" "$P/$K"
(cd "$P" && "$HABS" build -q -MD -o 'o u#t' $K) 2>"$C/mkd.err"
cp "$P/o u#t/ketamine-relief.pdf.d" "$P/deps.mk"
printf 'include deps.mk\no\\ u\\#t/ketamine-relief.pdf:\n\t@echo rebuild\n' > "$P/Makefile"
check "make -MD: the spec names the odd file (the test is real)" grep -q 'a b#c\$d.md' "$P/$K"
check "make -MD: make reads the .d file, and the PDF is up to date" sh -c "cd '$P' && make -q"
touch -d '+2 seconds' "$P/content/handouts/ketamine-relief/a b#c\$d.md"
check "make -MD: after the file with ' ', '#' and '\$' changes, make rebuilds the PDF" sh -c "cd '$P' && make -q; [ \$? = 1 ] && make | grep -qx rebuild"
rm "$P/content/handouts/ketamine-relief/a b#c\$d.md"
check "make -MD: a deleted file stops no make run (its empty rule is read)" sh -c "cd '$P' && make >/dev/null"

# ---- one job per document: a spec or clinic named twice is built once ----
"$H" build -o "$C/twice" --clinic summit,riverside,summit $K "./$K" "content/handouts/../handouts/ketamine-relief.yaml" >"$C/twice.out" 2>&1
check "twice: the same spec (by three paths) for summit,riverside,summit is two jobs" sh -c "[ \$(grep -c '^wrote ' '$C/twice.out') = 2 ] && grep -qx '2 of 2 handouts built, 0 failed' '$C/twice.out'"

# ---- a duplicate handout id: counted as failed, reported ----
# (an id is its file's name: two specs named spec.yaml in two folders)
mkdir -p "$P/content/handouts/dup-a" "$P/content/handouts/dup-b"
cp tests/bad/duplicate-handout-id/spec.yaml "$P/content/handouts/dup-a/spec.yaml"
cp tests/bad/duplicate-handout-id/other/spec.yaml "$P/content/handouts/dup-b/spec.yaml"
(cd "$P" && "$HABS" build -o out --report r.json content/handouts/dup-a/spec.yaml content/handouts/dup-b/spec.yaml content/handouts/infusion-prep.yaml >out.txt 2>err.txt); code=$?
check "duplicate id: exit 1, and the summary counts it as failed" sh -c "[ $code = 1 ] && grep -qx '2 of 3 handouts built, 1 failed' '$P/out.txt'"
check "duplicate id: the report has a failed entry with the error" python3 - "$P/r.json" <<'PY'
import json, sys
docs = json.load(open(sys.argv[1]))["documents"]
assert [d["spec"] for d in docs] == ["content/handouts/dup-a/spec.yaml", "content/handouts/dup-b/spec.yaml", "content/handouts/infusion-prep.yaml"], docs
d = docs[1]
assert d["status"] == "failed" and d["exit"] == 1 and d["handout"] == "spec", d
assert d["errors"] == ["content/handouts/dup-b/spec.yaml:1:5: error: handout id 'spec' is already used by content/handouts/dup-a/spec.yaml; give each handout its own id"], d["errors"]
PY

# ---- the report is valid UTF-8 JSON, whatever the file names ----
cp "$P/$K" "$P/content/handouts/k$(printf '\351').yaml"
(cd "$P" && "$HABS" build -q -o out --report utf8.json "content/handouts/k$(printf '\351').yaml" 2>/dev/null)
check "report: a spec name that is not UTF-8 gives valid UTF-8 JSON (U+FFFD)" python3 -c "import json,sys; d=json.loads(open('$P/utf8.json','rb').read().decode('utf-8'))['documents'][0]; sys.exit(d['spec'] != 'content/handouts/k\ufffd.yaml')"

# ---- shards: each report says how many jobs it had; README's merge keeps "interrupted" ----
for k in 1 2; do "$H" build -q --clinic summit,riverside --shard $k/2 -o "$C/sh" --report "$C/sh-$k.json" $K content/handouts/infusion-prep.yaml content/handouts/ketamine-relief-es.yaml; done
merge=$(sed -n 's/^`\(jq -s .*\) report-\*\.json`\.$/\1/p' README.md)
check "shards: README has the merge recipe" test -n "$merge"
check "shards: each report has its shard, the matrix and its jobs" python3 -c "import json; a,b=(json.load(open('$C/sh-%d.json'%k)) for k in (1,2)); assert (a['shard'],a['matrix'],a['jobs'],b['jobs'])==('1/2',6,3,3) and len(a['documents'])==3, a"
python3 -c "import json; r=json.load(open('$C/sh-2.json')); r['interrupted']='SIGTERM'; r['documents']=r['documents'][:1]; json.dump(r, open('$C/sh-2i.json','w'))"
check "shards: the merged report keeps tool, command, the counts, and can tell it is complete" sh -c "eval \"$merge\" '$C/sh-1.json' '$C/sh-2.json' > '$C/merged.json' && jq -e '.tool and .command == \"build\" and .matrix == 6 and .jobs == 6 and (.documents | length) == 6 and (has(\"interrupted\") | not)' '$C/merged.json' >/dev/null"
check "shards: the merged report keeps an interrupted shard's marker" sh -c "eval \"$merge\" '$C/sh-1.json' '$C/sh-2i.json' | jq -e '.interrupted == \"SIGTERM\" and (.documents | length) == 4' >/dev/null"

# ---- SOURCE_DATE_EPOCH: a bad value is a usage error naming it ----
for v in abc -5 253402300800 ' 5' 1e9; do
  SOURCE_DATE_EPOCH="$v" "$H" build -q -o "$C/sde" $K 2>"$C/sde.err"; code=$?
  check "SOURCE_DATE_EPOCH='$v': usage error 2 naming the variable, nothing built" sh -c "[ $code = 2 ] && grep -q \"^handout: SOURCE_DATE_EPOCH is '$v': it must be a whole number\" '$C/sde.err' && [ ! -e '$C/sde' ]"
done
check "SOURCE_DATE_EPOCH=253402300799 (the end of 9999) is accepted" sh -c "SOURCE_DATE_EPOCH=253402300799 '$H' build -q -o '$C/sde9' $K 2>/dev/null && pdfinfo '$C/sde9/ketamine-relief.pdf' | grep -q '^CreationDate:.*9999'"

# ---- a broken install (no fonts folder anywhere) is a system error, 3, said once ----
if [ ! -e /usr/local/share/handout/fonts ]; then
  mkdir -p "$C/inst/bin" "$C/inst/proj"
  cp "$H" "$C/inst/bin/handout"
  cp -r content templates "$C/inst/proj/"
  (cd "$C/inst/proj" && ../bin/handout build -o out $K content/handouts/infusion-prep.yaml >/dev/null 2>err.txt); code=$?
  check "no fonts: exit 3, one line saying what is missing and what to do" sh -c "[ $code = 3 ] && [ \$(wc -l < '$C/inst/proj/err.txt') = 1 ] && grep -q \"^handout: the fonts folder 'fonts' is missing, and none is installed\" '$C/inst/proj/err.txt' && [ ! -e '$C/inst/proj/out' ]"
fi

# ---- make clean removes real folders in fonts/, never what a link points to ----
mkdir -p "$C/clean/fonts/real" "$C/clean/target"
touch "$C/clean/fonts/real/x.ttf" "$C/clean/target/keep.ttf"
ln -s "$C/clean/target" "$C/clean/fonts/linked"
cp Makefile "$C/clean/"
(cd "$C/clean" && make -s --no-print-directory clean >/dev/null 2>&1)
check "make clean: a linked font folder's files are kept, a real one is removed" sh -c "[ -f '$C/clean/target/keep.ttf' ] && [ ! -e '$C/clean/fonts/real' ]"
rm -rf "$C"

# ---- the report says each PDF's language, template and whether it is large print ----
RP=$(mktemp -d)
"$H" build -q --no-sync --large-print --clinic summit -o "$RP/lp" --report "$RP/lp.json" content/handouts/ketamine-relief-es.yaml content/handouts/infusion-prep.yaml 2>/dev/null
"$H" build -q --no-sync --clinic summit -o "$RP/std" --report "$RP/std.json" content/handouts/infusion-prep.yaml 2>/dev/null
check "report: language, template and large_print for each PDF" python3 - "$RP/lp.json" "$RP/std.json" <<'PY'
import json, sys
lp = json.load(open(sys.argv[1]))["documents"]
std = json.load(open(sys.argv[2]))["documents"]
got = [(d["handout"], d["language"], d["template"], d["large_print"]) for d in lp + std]
want = [("ketamine-relief-es", "es", "standard-es", True), ("infusion-prep", "en", "standard", True),
        ("infusion-prep", "en", "standard", False)]
assert got == want, got
PY
rm -rf "$RP"
