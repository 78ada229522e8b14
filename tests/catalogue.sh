# The bad-input catalogue (sourced by tests/run.sh). Each case is a folder
# tests/bad/<name>/ with:
#   spec.yaml   the input (plus any files it refers to)
#   expected    the exact diagnostics handout must print on stderr
#   exit        the exact exit code
#   cmd         optional: the arguments, default "build -o $OUT $CASE/spec.yaml"
#   setup       optional: a shell script run first (to make huge or odd files);
#               exit 77 skips the case (e.g. a permission test run as root)
#   cleanup     optional: a shell script run afterwards, whatever happened
# For every case: the exit code and stderr match exactly, nothing is written
# to the output folder, a good PDF already there is left untouched, and no
# sanitizer fires. Runs with the sanitizer build (bin/handout-san).
HANDOUT_SAN=${HANDOUT_SAN:-bin/handout-san}
# "today" for the review-date checks is fixed (2026-11-22), so the expected
# diagnostics do not change with the calendar (every case's review-by,
# 2027-10-15, would otherwise start warning once that date passes)
CATALOGUE_TODAY=1795305600
for CASE in tests/bad/*/; do
  CASE=${CASE%/}
  name=$(basename "$CASE")
  [ -f "$CASE/expected" ] || continue
  OUT=$(mktemp -d)
  printf 'good' > "$OUT/keep.pdf"
  if [ -f "$CASE/setup" ]; then
    (CASE=$CASE bash "$CASE/setup"); sc=$?
    if [ $sc -ne 0 ]; then
      [ $sc -eq 77 ] && echo "skip: bad/$name" || fail "bad/$name" "setup failed"
      [ -f "$CASE/cleanup" ] && (CASE=$CASE bash "$CASE/cleanup"); rm -rf "$OUT"; continue
    fi
  fi
  args="build -o \$OUT \$CASE/spec.yaml"
  [ -f "$CASE/cmd" ] && args=$(cat "$CASE/cmd")
  eval "set -- $args"
  SOURCE_DATE_EPOCH=$CATALOGUE_TODAY timeout 20 "$HANDOUT_SAN" "$@" >/dev/null 2>"$OUT.err"
  code=$?
  want=$(cat "$CASE/exit" 2>/dev/null || echo 1)
  problems=""
  if [ "$code" = 124 ]; then problems="timed out after 20 s;"; elif [ "$code" != "$want" ]; then problems="exit $code, expected $want;"; fi
  if ! diff -u "$CASE/expected" "$OUT.err" >"$OUT.diff"; then problems="$problems stderr differs: $(head -c 900 "$OUT.diff")"; fi
  left=$(cd "$OUT" && find . -mindepth 1 ! -name keep.pdf | head -3)
  [ -z "$left" ] || problems="$problems files left in output: $left;"
  [ "$(cat "$OUT/keep.pdf")" = good ] || problems="$problems existing output changed;"
  if [ -z "$problems" ]; then pass; else fail "bad/$name" "$problems"; fi
  [ -f "$CASE/cleanup" ] && (CASE=$CASE bash "$CASE/cleanup")
  rm -rf "$OUT" "$OUT.err" "$OUT.diff"
done
