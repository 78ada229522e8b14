# Parallel rendering under ThreadSanitizer (sourced by tests/run.sh): the
# example matrix and a generated batch of 60 PDFs (10 handouts x 6 clinics of
# all three styles) at -j 4, with every shared structure in use at once (the
# face library and its lazy advance tables, the logo cache, in-order output
# and the streamed report). Any data race fails the check; the PDFs must be
# the same bytes as the release build's at -j 1.
TS=$(mktemp -d)
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
check "tsan: the example matrix at -j 4, no data race" bin/handout-tsan build -q --clinic all -j 4 -o "$TS/t" --report "$TS/t.json" $SPECS
bin/handout build -q --clinic all -j 1 -o "$TS/r" $SPECS
check "tsan: the same bytes as the release build at -j 1" diff -r "$TS/r" "$TS/t"
python3 tests/bench/mkroot.py "$PWD" "$TS/gen" 10 12 --handouts ketamine-relief infusion-prep \
    --clinics harbour riverside summit >/dev/null
mkdir -p "$TS/bin" && cp bin/handout-tsan "$TS/bin/handout" && ln -s "$PWD/templates" "$TS/templates" && ln -s "$PWD/fonts" "$TS/fonts"
CL=$(find "$TS/gen/content/clinics" -maxdepth 1 -name '*.yaml' -printf '%f\n' | sed 's/\.yaml$//' | sort | awk 'NR % 2 == 1' | paste -sd,)
check "tsan: 60 PDFs of a generated batch at -j 4, no data race" "$TS/bin/handout" build -q --root "$TS/gen" --clinic "$CL" -j 4 -o "$TS/g" --report "$TS/g.json" "$TS"/gen/content/handouts/*.yaml
check "tsan: the batch wrote all 60 PDFs and reported each once" python3 -c "
import json, sys
d = json.load(open('$TS/g.json'))['documents']
assert len(d) == 60 and len({(x['handout'], x['clinic']) for x in d}) == 60 and all(x['status'] == 'ok' for x in d), len(d)"
# the disk cache shared by threads: four documents (so subsets are written
# too) from an empty cache, then again from the full one, at -j 4
check "tsan: four documents filling an empty disk cache at -j 4, no data race" env HANDOUT_CACHE_DIR="$TS/cache" \
    bin/handout-tsan build -q --clinic riverside,summit -j 4 -o "$TS/c1" content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml
check "tsan: the same four from the full cache at -j 4, no data race" env HANDOUT_CACHE_DIR="$TS/cache" \
    bin/handout-tsan build -q --clinic riverside,summit -j 4 -o "$TS/c2" content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml
# faces from the cache but no subsets (a batch of 9 writes none): four
# threads make harfbuzz's fonts for cached faces at once (face_font)
env HANDOUT_CACHE_DIR="$TS/cache2" bin/handout-tsan build -q --clinic all -j 4 -o "$TS/c3" $SPECS
check "tsan: harfbuzz opened late for faces read from the cache, at -j 4, no data race" env HANDOUT_CACHE_DIR="$TS/cache2" \
    bin/handout-tsan build -q --clinic riverside,summit -j 4 -o "$TS/c4" content/handouts/ketamine-relief.yaml content/handouts/infusion-prep.yaml
check "tsan: the cached runs wrote the release build's bytes" sh -c "diff -r '$TS/c1' '$TS/c2' && diff -r '$TS/c1' '$TS/c4' && cmp '$TS/c1/summit/infusion-prep.pdf' '$TS/r/summit/infusion-prep.pdf'"
unset TSAN_OPTIONS
rm -rf "$TS"
