#!/usr/bin/env bash
# Runs every test: unit tests (cmocka, under ASan+UBSan), the bad-input
# catalogue (tests/bad/*), and the end-to-end checks (tests/e2e.sh).
# The last line printed is "N passed, N failed".
cd "$(dirname "$0")/.." || exit 3
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
# The disk cache of font data (src/cache.h): one of the run's own, so tests
# start from an empty cache and never use or fill the user's ~/.cache.
# tests/e2e_cache.sh sets its own folders to test the cache itself.
HANDOUT_TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/handout-test-cache.XXXXXX") || exit 3
export HANDOUT_CACHE_DIR=$HANDOUT_TEST_CACHE
PASS=0
FAIL=0
FAILED_NAMES=()
pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); FAILED_NAMES+=("$1"); echo "FAIL: $1${2:+: $2}"; }
# check NAME COMMAND...: passes when the command exits 0
check() { local n=$1; shift; if "$@" >/tmp/handout-check.$$ 2>&1; then pass; else fail "$n" "$(head -c 600 /tmp/handout-check.$$)"; fi; }

echo "== unit tests"
for t in build/san/unit/test_*; do
  [ -x "$t" ] || continue
  out=$("$t" 2>&1); code=$?
  p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  PASS=$((PASS + ${p:-0}))
  if [ "${f:-0}" -gt 0 ] || [ $code -ne 0 ]; then
    FAIL=$((FAIL + ${f:-1})); FAILED_NAMES+=("$(basename "$t")")
    printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Sanitizer|runtime error' | head -20
  fi
  echo "$(basename "$t"): ${p:-0} passed, ${f:-0} failed"
done

echo "== bad-input catalogue"
. tests/catalogue.sh

echo "== end to end"
. tests/e2e.sh
for extra in tests/e2e_*.sh; do [ -f "$extra" ] && . "$extra"; done

rm -f /tmp/handout-check.$$
rm -rf "$HANDOUT_TEST_CACHE"
if [ $FAIL -gt 0 ]; then printf 'failed: %s\n' "${FAILED_NAMES[@]}"; fi
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
