#!/usr/bin/env bash
# tests/bench.sh (make bench): speed, size and memory figures for handout,
# measured on this machine. It only prints figures: there are no timing
# thresholds. Sections:
#   1. wall time of one handout, whole process (riverside: logo; summit: none),
#      writing a new PDF, with --no-sync, when the same PDF is already there,
#      and with --no-cache (every run reads the fonts with harfbuzz and decodes
#      the logo, as the first run on a machine does); the other runs use the
#      bench's own cache of font and logo data, filled by the warm-up runs
#   2. a 1,000-PDF batch (10 specs x 100 generated clinics) at -j 1 and -j 2,
#      and the same batch split into 4 --shard runs
#   3. PDF sizes of the examples
#   4. peak memory (max RSS): one handout, and batches of 10, 100, 1,000 PDFs
#   5. other renderers (typst, pandoc + weasyprint, pandoc + LaTeX) if installed
# then a summary table.
# Helpers: tests/bench/mkroot.py (the generated project), measure.py (timing
# and memory of one command), equiv.py (the same handout as one Markdown file),
# (the disk's share is measured with --no-sync).
# Environment: BENCH_RUNS (single-handout runs, default 30), BENCH_REPS
# (runs of each 1,000-PDF batch, default 1: the median is printed).
# Exit status: 0 when every run worked; 1 when handout failed a run (the
# figures are then printed but mean little); 3 when the setup failed.
set -u
cd "$(dirname "$0")/.." || exit 3
REPO=$PWD
HELP=$REPO/tests/bench
RUNS=${BENCH_RUNS:-30}
REPS=${BENCH_REPS:-1}
status=0
START=$SECONDS

make -s build fonts || exit 3
TMP=$(mktemp -d "${TMPDIR:-/tmp}/handout-bench.XXXXXX") || exit 3
trap 'rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM
export TMPDIR=$TMP # the helpers' own temporary files go there too
# the cache of font and logo data: the bench's own (never the user's)
export HANDOUT_CACHE_DIR=$TMP/cache

# Every run works in a snapshot of the repository taken now: bin/handout,
# templates/ and content/ copied (fonts/ linked: large, from Debian packages),
# so a rebuild or an edit while the bench runs cannot change or break it.
# The generated batches find templates/ and fonts/ beside the program.
SNAP=$TMP/snap
mkdir -p "$SNAP/bin" && cp bin/handout "$SNAP/bin/handout" && cp -R templates content "$SNAP/" &&
    ln -s "$REPO/fonts" "$SNAP/fonts" || exit 3
HO=$SNAP/bin/handout
"$HO" --version >/dev/null || { echo "bench: bin/handout does not run" >&2; exit 3; }

# jget FILE KEY...: print fields of measure.py's JSON line, space-separated
jget() {
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(str(d[k]) for k in sys.argv[2:]))' "$@"
}
# ms_to_s MS: seconds with 2 decimals
ms_to_s() { python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / 1000))
except ValueError: print("n/a")' "${1:-}"; }
# kib_to_mib KIB
kib_to_mib() { python3 -c 'import sys
try: print("%.1f" % (float(sys.argv[1]) / 1024))
except ValueError: print("n/a")' "${1:-}"; }
# check JSON WHAT: note a failed run
check() {
    local rc
    rc=$(jget "$1" rc)
    if [ "$rc" != 0 ]; then
        echo "  !! $2: handout exited with status $rc (figures above are not valid)"
        status=1
    fi
}
# ratio A B: median of A / median of B; share A B: (A - B) / A in percent
ratio() {
    python3 -c 'import json, sys; a, b = (json.load(open(f))["median_ms"] for f in sys.argv[1:]); print("%.2f" % (a / b))' "$TMP/$1.json" "$TMP/$2.json"
}
share() {
    python3 -c 'import json, sys; a, b = (json.load(open(f))["median_ms"] for f in sys.argv[1:]); print("%.0f%%" % (100 * (a - b) / a))' "$TMP/$1.json" "$TMP/$2.json"
}
# count_pdfs DIR
count_pdfs() { find "$1" -name '*.pdf' 2>/dev/null | wc -l; }

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

echo "handout bench"
dirty=""
git diff --quiet HEAD -- src templates content 2>/dev/null || dirty=", with uncommitted changes in src/, templates/ or content/"
echo "  program:  $("$HO" --version) (commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$dirty)"
echo "  machine:  $(nproc) cores, $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
echo "  load avg: $(loadavg) at start (other work on this machine skews the figures)"
cd "$SNAP" || exit 3
if command -v hyperfine >/dev/null; then timer="hyperfine -N"; else timer="python3 loop (tests/bench/measure.py)"; fi
if [ -x /usr/bin/time ]; then rsssrc="/usr/bin/time -v"; else rsssrc="python3 os.wait4 (upper bound)"; fi
echo "  timing:   single handout: $timer, $RUNS runs + 3 warm-up; batches: tests/bench/measure.py, $REPS run(s)"
echo "  memory:   $rsssrc"

# ---- 1. one handout, whole process ----------------------------------------
# time_single NAME MODE ARGS...: $RUNS runs from the repository root; JSON in
# $TMP/NAME.json. MODE new: the output folder is removed before each run (not
# timed), so every run writes a new PDF; unchanged: the same PDF is already
# there, so it is compared and left in place.
time_single() {
    local name=$1 mode=$2
    shift 2
    local out="$TMP/one-$name"
    local cmd=("$HO" build -q -o "$out" "$@")
    local prep=() clean=()
    [ "$mode" = new ] && prep=(--prepare "rm -rf $out") && clean=(--clean "$out")
    if command -v hyperfine >/dev/null; then
        hyperfine -N --style none --warmup 3 --runs "$RUNS" "${prep[@]}" --export-json "$TMP/$name.hf.json" \
            "$(printf '%q ' "${cmd[@]}")" >/dev/null 2>"$TMP/$name.hf.err" ||
            { echo "  !! hyperfine failed: $(head -3 "$TMP/$name.hf.err")"; status=1; }
        python3 - "$TMP/$name.hf.json" "$TMP/$name.json" <<'EOF'
import json, statistics, sys
try:
    r = json.load(open(sys.argv[1]))["results"][0]
    t = [x * 1000 for x in r["times"]]
    codes = r.get("exit_codes") or [0]
    rc = max(codes)
except (OSError, ValueError, KeyError, IndexError):
    t, rc = [0.0], 1
d = {"runs": len(t), "median_ms": round(statistics.median(t), 2), "min_ms": round(min(t), 2),
     "max_ms": round(max(t), 2), "rc": rc}
json.dump(d, open(sys.argv[2], "w"))
EOF
    else
        python3 "$HELP/measure.py" --plain --runs "$RUNS" --warmup 3 "${clean[@]}" --json "$TMP/$name.json" -- "${cmd[@]}" >/dev/null
    fi
}

echo
echo "== 1. One handout, whole process (bin/handout build -q -o TMP content/handouts/ketamine-relief.yaml)"
echo "   (the cache of font and logo data is the bench's own, filled by the warm-up runs, as on any"
echo "    machine after its first run; the --no-cache rows read and write none, as a first run)"
time_single one_riverside new content/handouts/ketamine-relief.yaml
time_single one_summit new --clinic summit content/handouts/ketamine-relief.yaml
time_single one_riverside_nosync new --no-sync content/handouts/ketamine-relief.yaml
time_single one_riverside_same unchanged content/handouts/ketamine-relief.yaml
time_single one_riverside_cold new --no-cache content/handouts/ketamine-relief.yaml
time_single one_summit_cold new --no-cache --clinic summit content/handouts/ketamine-relief.yaml
for v in "one_riverside:riverside (PNG logo), new PDF" "one_summit:summit (no logo), new PDF" \
    "one_riverside_nosync:riverside, new PDF, --no-sync" "one_riverside_same:riverside, same PDF already there" \
    "one_riverside_cold:riverside, new PDF, --no-cache" "one_summit_cold:summit, new PDF, --no-cache"; do
    read -r med mn mx n <<<"$(jget "$TMP/${v%%:*}.json" median_ms min_ms max_ms runs)"
    printf '  %-40s median %7.1f ms   min %7.1f ms   max %7.1f ms   (%s runs)\n' "${v#*:}" "$med" "$mn" "$mx" "$n"
    check "$TMP/${v%%:*}.json" "${v#*:}"
done
# What starting the program costs before any work: the shared libraries
# (harfbuzz and what it brings, glib, pcre2, graphite2, freetype and
# brotli, are opened only when the cache lacks something: not here).
if command -v hyperfine >/dev/null; then
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$TMP/ver.hf.json" "$HO --version" >/dev/null 2>&1
    startup=$(python3 -c 'import json, statistics, sys; t = json.load(open(sys.argv[1]))["results"][0]["times"]; print("%.1f" % (1000 * statistics.median(t)))' "$TMP/ver.hf.json" 2>/dev/null || echo "n/a")
    printf '  %-40s median %7s ms   (process start and shared libraries only)\n' "handout --version" "$startup"
    # the machine's own pace: a virtual machine's speed drifts over minutes,
    # so read the figures above against what a process that does nothing costs now
    hyperfine -N --style none --warmup 3 --runs "$RUNS" --export-json "$TMP/true.hf.json" "/bin/true" >/dev/null 2>&1
    nothing=$(python3 -c 'import json, statistics, sys; t = json.load(open(sys.argv[1]))["results"][0]["times"]; print("%.1f" % (1000 * statistics.median(t)))' "$TMP/true.hf.json" 2>/dev/null || echo "n/a")
    printf '  %-40s median %7s ms   (the machine'"'"'s pace right now)\n' "/bin/true" "$nothing"
fi
# Instructions are repeatable whatever else the machine does (wall time is not).
instr() { # a new PDF each time
    rm -rf "$TMP/one"
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$HO" build -q -o "$TMP/one" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
}
if command -v valgrind >/dev/null; then
    # valgrind sets LD_PRELOAD, which is part of the key of the record of
    # harfbuzz's files (it decides which harfbuzz would load): a first run
    # under valgrind records them
    instr content/handouts/ketamine-relief.yaml >/dev/null
    instr --clinic summit content/handouts/ketamine-relief.yaml >/dev/null
    i_r=$(instr content/handouts/ketamine-relief.yaml)
    i_s=$(instr --clinic summit content/handouts/ketamine-relief.yaml)
    i_rc=$(instr --no-cache content/handouts/ketamine-relief.yaml)
    printf '  %-40s riverside %s, summit %s; --no-cache: riverside %s (callgrind, whole process)\n' "instructions" \
        "$(python3 -c 'import sys; print("%.1fM" % (int(sys.argv[1]) / 1e6))' "${i_r:-0}")" \
        "$(python3 -c 'import sys; print("%.1fM" % (int(sys.argv[1]) / 1e6))' "${i_s:-0}")" \
        "$(python3 -c 'import sys; print("%.1fM" % (int(sys.argv[1]) / 1e6))' "${i_rc:-0}")"
fi

# ---- 2. a 1,000-PDF batch ---------------------------------------------------
GEN=$TMP/gen
python3 "$HELP/mkroot.py" "$SNAP" "$GEN" 10 100 --handouts ketamine-relief infusion-prep \
    --clinics harbour riverside summit || exit 3
SPECS=("$GEN"/content/handouts/*.yaml)
NSPECS=${#SPECS[@]}
NCLIN=$(find "$GEN/content/clinics" -maxdepth 1 -name '*.yaml' | wc -l)
BATCH=$((NSPECS * NCLIN))
# batch NAME RUNS CLINICS [--env VAR=VALUE] ARGS...: time one batch (output
# removed before each run; stderr kept, first lines shown on failure)
batch() {
    local name=$1 runs=$2 clinics=$3 env=()
    shift 3
    [ "${1:-}" = --env ] && { env=(--env "$2"); shift 2; }
    python3 "$HELP/measure.py" --runs "$runs" --clean "$TMP/out-$name" --json "$TMP/$name.json" \
        --stderr "$TMP/$name.err" "${env[@]}" -- \
        "$HO" build -q --root "$GEN" --clinic "$clinics" -o "$TMP/out-$name" "$@" "${SPECS[@]}" >/dev/null
    check "$TMP/$name.json" "$name"
    [ -s "$TMP/$name.err" ] && { echo "  stderr of $name ($(wc -l <"$TMP/$name.err") lines), first 3:"; head -3 "$TMP/$name.err" | cut -c1-300 | sed 's/^/    /'; }
    return 0
}
# print_batch LABEL NAME: wall, PDFs/s, CPU share of one batch
print_batch() {
    python3 - "$1" "$BATCH" "$TMP/$2.json" <<'EOF'
import json, sys
label, n, d = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
med, cpu = d["median_ms"], d["cpu_ms"]
spread = " (median of %d; min %.2f, max %.2f)" % (d["runs"], d["min_ms"] / 1000, d["max_ms"] / 1000) if d["runs"] > 1 else ""
print("  %s: wall %6.2f s%s  %6.1f PDFs/s  %5.1f ms/PDF  CPU %.2f s (%.0f%% of wall)"
      % (label, med / 1000, spread, n / (med / 1000), med / n, cpu / 1000, 100 * cpu / med))
EOF
}

echo
echo "== 2. Batch: $NSPECS handouts x $NCLIN generated clinics = $BATCH PDFs in one run"
echo "   (bin/handout build -q --root GENROOT --clinic all -j N -o TMP GENROOT/content/handouts/*.yaml)"
for j in 1 2; do
    batch "b1000_j$j" "$REPS" all -j "$j"
    got=$(count_pdfs "$TMP/out-b1000_j$j")
    [ "$got" = "$BATCH" ] || { echo "  !! -j $j wrote $got PDFs, expected $BATCH"; status=1; }
    print_batch "-j $j" "b1000_j$j"
    rm -rf "$TMP/out-b1000_j$j"
done
echo "  speed-up -j 2 over -j 1: $(ratio b1000_j1 b1000_j2)x"
# The -j 2 batch again with --no-sync (no waiting for each file to reach
# the disk, for throwaway CI workspaces): the disk's share of the wall time.
batch nosync_j2 "$REPS" all -j 2 --no-sync
got=$(count_pdfs "$TMP/out-nosync_j2")
[ "$got" = "$BATCH" ] || { echo "  !! -j 2 --no-sync: $got PDFs written, expected $BATCH"; status=1; }
print_batch "-j 2 --no-sync" nosync_j2
rm -rf "$TMP/out-nosync_j2"
echo "  share of the -j 2 wall time spent waiting for the disk: $(share b1000_j2 nosync_j2)"
CLINIC_IDS=$(find "$GEN/content/clinics" -maxdepth 1 -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//' | sort)
# every 10th clinic: all three styles (fonts, logos) as in the full batch,
# so a difference in memory is what more PDFs cost, not more fonts loaded
TEN=$(awk 'NR % 10 == 1' <<<"$CLINIC_IDS" | paste -sd,)
ONE=$(head -1 <<<"$CLINIC_IDS")

echo
echo "== 2b. The same $BATCH PDFs as 4 shards (--shard K/4 -j 2 --report FILE), one after another"
shard_total=0
for k in 1 2 3 4; do
    python3 "$HELP/measure.py" --runs 1 --clean "$TMP/shard$k" --json "$TMP/shard$k.json" --stderr "$TMP/shard$k.err" -- \
        "$HO" build -q --root "$GEN" --clinic all -j 2 --shard "$k/4" --report "$TMP/shard$k.report.json" \
        -o "$TMP/shard$k" "${SPECS[@]}" >/dev/null
    check "$TMP/shard$k.json" "shard $k/4"
    [ -s "$TMP/shard$k.err" ] && { echo "  stderr of shard $k/4, first 3 lines:"; head -3 "$TMP/shard$k.err" | cut -c1-300 | sed 's/^/    /'; }
    read -r ms <<<"$(jget "$TMP/shard$k.json" median_ms)"
    n=$(count_pdfs "$TMP/shard$k")
    printf '  shard %s/4: %4s PDFs  wall %6.2f s\n' "$k" "$n" "$(ms_to_s "$ms")"
    shard_total=$(python3 -c 'import sys; print(float(sys.argv[1]) + float(sys.argv[2]))' "$shard_total" "$ms")
done
union=$(for k in 1 2 3 4; do (cd "$TMP/shard$k" && find . -name '*.pdf'); done | sort -u | wc -l)
sum=0
for k in 1 2 3 4; do sum=$((sum + $(count_pdfs "$TMP/shard$k"))); done
printf '  sum of the 4 shards: %.2f s for %s PDFs (%s distinct)\n' "$(ms_to_s "$shard_total")" "$sum" "$union"
if [ "$union" != "$BATCH" ] || [ "$sum" != "$BATCH" ]; then
    echo "  !! the shards do not add up to the $BATCH-PDF matrix"
    status=1
fi
python3 - "$TMP"/shard?.report.json <<'EOF'
import json, statistics, sys
ms = []
for f in sys.argv[1:]:
    try:
        ms += [d["ms"] for d in json.load(open(f))["documents"] if "ms" in d]
    except (OSError, ValueError, KeyError):
        pass
if ms:
    ms.sort()
    print("  per-PDF render time from the reports: median %.1f ms, 95th percentile %.1f ms, max %.1f ms"
          % (statistics.median(ms), ms[int(0.95 * (len(ms) - 1))], ms[-1]))
EOF
rm -rf "$TMP"/shard?

# ---- 3. PDF sizes -------------------------------------------------------------
echo
echo "== 3. PDF sizes (bytes)"
"$HO" build -q --clinic riverside,summit,harbour --report "$TMP/sizes.json" -o "$TMP/sizes" \
    content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml ||
    { echo "  !! building the examples failed"; status=1; }
python3 - "$TMP/sizes.json" "$TMP/sizes.txt" <<'EOF'
import json, sys
logo = {"riverside": "PNG logo", "summit": "no logo", "harbour": "JPEG logo"}
try:
    docs = json.load(open(sys.argv[1]))["documents"]
except (OSError, ValueError, KeyError):
    docs = []
with open(sys.argv[2], "w") as out:
    for d in docs:
        if d.get("status") != "ok":
            print("  %-16s %-10s failed" % (d.get("handout") or d.get("spec", "?"), d.get("clinic", "?")))
            continue
        print("  %-16s %-10s %7d bytes  %2d pages  (%s)" % (d["handout"], d["clinic"], d["bytes"], d["pages"],
                                                          logo.get(d["clinic"], "")))
        out.write("%s %s %d\n" % (d["handout"], d["clinic"], d["bytes"]))
if not docs:
    print("  (no report: no sizes)")
EOF
size_of() { awk -v h="$1" -v c="$2" '$1 == h && $2 == c { print $3; f = 1 } END { if (!f) print "n/a" }' "$TMP/sizes.txt"; }

# ---- 4. peak memory -------------------------------------------------------------
echo
echo "== 4. Peak memory (max RSS, $rsssrc)"
for v in "riverside:" "summit:--clinic summit"; do
    # shellcheck disable=SC2086 # ${v#*:} is empty or two words
    python3 "$HELP/measure.py" --runs 1 --json "$TMP/rss_${v%%:*}.json" -- \
        "$HO" build -q -o "$TMP/one" ${v#*:} content/handouts/ketamine-relief.yaml >/dev/null
    check "$TMP/rss_${v%%:*}.json" "rss ${v%%:*}"
    printf '  one handout (ketamine-relief, %-9s)   %6s MiB\n' "${v%%:*}" "$(kib_to_mib "$(jget "$TMP/rss_${v%%:*}.json" maxrss_kb)")"
done
for j in 1 2; do
    batch "b10_j$j" 1 "$ONE" -j "$j"
    batch "b100_j$j" 1 "$TEN" -j "$j"
done
rm -rf "$TMP"/out-b*
printf '  %-10s %12s %12s %18s\n' "batch" "-j 1" "-j 2" "2nd worker adds"
for n in 10 100 1000; do
    r1=$(jget "$TMP/b${n}_j1.json" maxrss_kb)
    r2=$(jget "$TMP/b${n}_j2.json" maxrss_kb)
    printf '  %5s PDFs %8s MiB %8s MiB %14s MiB\n' "$n" "$(kib_to_mib "$r1")" "$(kib_to_mib "$r2")" "$(kib_to_mib $((r2 - r1)))"
done
python3 - "$TMP" <<'EOF'
import json, sys
t = sys.argv[1]
rss = lambda n, j: json.load(open("%s/b%d_j%d.json" % (t, n, j)))["maxrss_kb"]
for j in (1, 2):
    grow = (rss(1000, j) - rss(100, j)) / 900.0
    print("  -j %d: growth from 100 to 1000 PDFs: %+.1f KiB per extra PDF (%s)"
          % (j, grow, "flat" if abs(grow) < 2 else "grows"))
print("  (the 100- and 1000-PDF batches use the same clinic styles, so fonts and logos loaded are the same;"
      " each result is freed once reported)")
EOF

# ---- 5. other renderers ---------------------------------------------------------
echo
echo "== 5. Other renderers (same content as ketamine-relief for riverside; figure omitted for them)"
have_pandoc=0
command -v pandoc >/dev/null && have_pandoc=1
read -r hmed <<<"$(jget "$TMP/one_riverside.json" median_ms)"
compared=()
# compare NAME CMD...: 5 runs, print the ratio to handout's median
compare() {
    local name=$1
    shift
    python3 "$HELP/measure.py" --plain --runs 5 --warmup 1 --json "$TMP/cmp.json" -- "$@" >/dev/null 2>"$TMP/cmp.err"
    read -r med rc <<<"$(jget "$TMP/cmp.json" median_ms rc)"
    if [ "$rc" != 0 ]; then
        echo "  $name: failed (exit $rc): $(head -c 300 "$TMP/cmp.err" 2>/dev/null)"
        return
    fi
    python3 -c 'import sys; m, h = float(sys.argv[2]), float(sys.argv[3]); print("  %s: median %.0f ms over 5 runs = %.1fx handout (%.1f ms)" % (sys.argv[1], m, m / h, h))' \
        "$name" "$med" "$hmed"
    compared+=("$name")
}
if command -v typst >/dev/null || command -v weasyprint >/dev/null || command -v pdflatex >/dev/null ||
    command -v xelatex >/dev/null; then
    python3 "$HELP/equiv.py" "$SNAP" content/handouts/ketamine-relief.yaml riverside "$TMP/eq.md" "$TMP/eq.typ" ||
        echo "  (could not write the equivalent Markdown)"
fi
if command -v typst >/dev/null && [ -f "$TMP/eq.md" ]; then
    [ $have_pandoc = 1 ] && pandoc -t typst -s -o "$TMP/eq.typ" "$TMP/eq.md" 2>/dev/null
    compare "typst" typst compile "$TMP/eq.typ" "$TMP/eq-typst.pdf"
else
    echo "  typst: not installed (skipped)"
fi
if [ $have_pandoc = 1 ] && command -v weasyprint >/dev/null && [ -f "$TMP/eq.md" ]; then
    compare "pandoc+weasyprint" pandoc -s --metadata title=handout --pdf-engine=weasyprint -o "$TMP/eq-wp.pdf" "$TMP/eq.md"
else
    echo "  pandoc+weasyprint: not installed (skipped)"
fi
engine=""
for e in pdflatex xelatex lualatex; do command -v $e >/dev/null && { engine=$e; break; }; done
if [ $have_pandoc = 1 ] && [ -n "$engine" ] && [ -f "$TMP/eq.md" ]; then
    compare "pandoc+LaTeX ($engine)" pandoc -s --pdf-engine="$engine" -o "$TMP/eq-tex.pdf" "$TMP/eq.md"
else
    echo "  pandoc+LaTeX: not installed (skipped)"
fi

# ---- summary ------------------------------------------------------------------------
echo
echo "== Summary ($(nproc) cores; load avg at end: $(loadavg); bench took $((SECONDS - START)) s)"
row() { printf '  %-44s %s\n' "$1" "$2"; }
read -r m1 <<<"$(jget "$TMP/one_riverside.json" median_ms)"
read -r m2 <<<"$(jget "$TMP/one_summit.json" median_ms)"
row "one handout, riverside, new PDF (median)" "$m1 ms"
row "one handout, summit, no logo, new PDF" "$m2 ms"
row "one handout, riverside, --no-sync" "$(jget "$TMP/one_riverside_nosync.json" median_ms) ms"
row "one handout, riverside, PDF unchanged" "$(jget "$TMP/one_riverside_same.json" median_ms) ms"
row "one handout, --no-cache: riverside / summit" "$(jget "$TMP/one_riverside_cold.json" median_ms) / $(jget "$TMP/one_summit_cold.json" median_ms) ms"
row "handout --version (process start)" "${startup:-n/a} ms"
row "/bin/true (the machine's pace now)" "${nothing:-n/a} ms"
[ -n "${i_r:-}" ] && row "instructions: riverside / summit / riverside --no-cache" "$(python3 -c 'import sys; print("%.1fM / %.1fM / %.1fM" % tuple(int(x) / 1e6 for x in sys.argv[1:]))' "$i_r" "$i_s" "${i_rc:-0}")"
for j in 1 2; do
    read -r med <<<"$(jget "$TMP/b1000_j$j.json" median_ms)"
    read -r cpu <<<"$(jget "$TMP/b1000_j$j.json" cpu_ms)"
    row "$BATCH PDFs, -j $j" "$(python3 -c 'import sys; n, w, c = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]); print("%.2f s, %.0f PDFs/s, CPU %.1f ms/PDF" % (w / 1000, n / (w / 1000), c / n))' "$BATCH" "$med" "$cpu")"
done
row "$BATCH PDFs, -j 2 --no-sync" "$(python3 -c 'import sys, json; d = json.load(open(sys.argv[1])); print("%.2f s" % (d["median_ms"] / 1000))' "$TMP/nosync_j2.json")"
row "$BATCH PDFs, 4 shards at -j 2 (sum)" "$(ms_to_s "$shard_total") s"
row "PDF bytes: ketamine riverside / summit" "$(size_of ketamine-relief riverside) / $(size_of ketamine-relief summit)"
row "PDF bytes: infusion-prep harbour (its own)" "$(size_of infusion-prep harbour)"
row "max RSS: one handout" "$(kib_to_mib "$(jget "$TMP/rss_riverside.json" maxrss_kb)") MiB"
for j in 1 2; do
    row "max RSS: 100 / $BATCH PDFs, -j $j" "$(kib_to_mib "$(jget "$TMP/b100_j$j.json" maxrss_kb)") / $(kib_to_mib "$(jget "$TMP/b1000_j$j.json" maxrss_kb)") MiB"
done
if [ ${#compared[@]} -gt 0 ]; then row "compared with" "${compared[*]}"; else row "other renderers" "none installed"; fi
[ $status = 0 ] || echo "  !! some runs failed: see the lines marked !! above"
exit $status
