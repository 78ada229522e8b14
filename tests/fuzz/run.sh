#!/usr/bin/env bash
# Runs the libFuzzer harnesses (built by `make fuzz`) one after another.
#   tests/fuzz/run.sh [HARNESS...]            fuzz each for $FUZZ_SECONDS (default 60)
#   tests/fuzz/run.sh --replay [HARNESS...]   run the recorded reproducers
#                                             (tests/fuzz/crashes/*/) once each
# Corpora grow between runs in build/fuzz/corpus/<harness>/; seeds come from
# tests/fuzz/seeds.sh (examples and the bad-input catalogue) and the small
# hand-made tests/fuzz/corpus-<short name>/. A crash, timeout, leak or broken
# invariant leaves its input in build/fuzz/artifacts/<harness>/ and makes the
# script exit 1. Each run ends with one summary line per harness: executions,
# seconds, and the coverage of the corpus at the end (cov: edges, ft: features).
# By default a harness stops at its first problem; FUZZ_KEEP_GOING=1 runs it in
# libFuzzer's fork mode (one child at a time), which records every problem
# and goes on until the time is up.
set -u
cd "$(dirname "$0")/../.." || exit 3
SECS=${FUZZ_SECONDS:-60}
ALL="fuzz_spec fuzz_markdown fuzz_build"
replay=0
if [ "${1:-}" = --replay ]; then replay=1; shift; fi
[ $# -gt 0 ] || set -- $ALL

export TMPDIR=$PWD/build/fuzz/tmp # each harness makes its private project here
mkdir -p "$TMPDIR"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

options() { # libFuzzer options per harness
  case $1 in
    fuzz_spec) echo "-max_len=16384 -timeout=10 -dict=tests/fuzz/spec.dict" ;;
    fuzz_markdown) echo "-max_len=16384 -timeout=10 -dict=tests/fuzz/markdown.dict" ;;
    fuzz_build)
      cat tests/fuzz/spec.dict tests/fuzz/markdown.dict >build/fuzz/build.dict
      echo "-max_len=32768 -timeout=30 -dict=build/fuzz/build.dict" ;;
  esac
}

if [ $replay = 1 ]; then
  bad=0 n=0
  for dir in tests/fuzz/crashes/*/; do
    [ -f "$dir/input" ] || continue
    h=$(cat "$dir/harness")
    case " $* " in *" $h "*) ;; *) continue ;; esac
    n=$((n + 1))
    if build/fuzz/"$h" $(options "$h") -runs=1 "$dir/input" >build/fuzz/replay.log 2>&1; then
      echo "fixed:   $dir ($h)"
    else
      echo "crashes: $dir ($h): $(grep -m1 -E 'ERROR|INVARIANT|runtime error' build/fuzz/replay.log)"
      bad=1
    fi
  done
  echo "replayed $n reproducers"
  exit $bad
fi

# Seeds: made again when an example, the catalogue or the script changed.
stamp=build/fuzz/seeds/.stamp
if [ ! -f $stamp ] || [ -n "$(find content templates tests/fixtures tests/bad tests/fuzz/seeds.sh -newer $stamp 2>/dev/null | head -1)" ]; then
  tests/fuzz/seeds.sh build/fuzz/seeds && touch $stamp || exit 3
fi
# A snapshot of the project for the harnesses (HD_FUZZ_ROOT), so edits made
# to content/ or templates/ while they run do not change what they load.
snap=build/fuzz/project
rm -rf $snap && mkdir -p $snap/tests/fixtures || exit 3
cp -R content templates $snap/ && cp -R tests/fixtures/showcase $snap/tests/fixtures/ && ln -s "$PWD/fonts" $snap/fonts || exit 3
export HD_FUZZ_ROOT=$PWD/$snap
status=0
summary=()
for h in "$@"; do
  [ -x "build/fuzz/$h" ] || { echo "build/fuzz/$h is missing: run make fuzz" >&2; exit 3; }
  corpus=build/fuzz/corpus/$h
  art=build/fuzz/artifacts/$h/
  hand=tests/fuzz/corpus-${h#fuzz_}
  mkdir -p "$corpus" "$art"
  dirs=("$corpus" "build/fuzz/seeds/$h")
  [ -d "$hand" ] && dirs+=("$hand")
  log=build/fuzz/$h.log
  before=$(ls "$art" | wc -l)
  echo "== $h for ${SECS}s (log: $log)"
  keep=""
  [ "${FUZZ_KEEP_GOING:-0}" = 1 ] && keep="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1"
  start=$SECONDS
  touch "$log.start"
  # shellcheck disable=SC2046,SC2086
  build/fuzz/"$h" $(options "$h") $keep -max_total_time="$SECS" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art" "${dirs[@]}" >"$log" 2>&1
  rc=$?
  took=$((SECONDS - start))
  if [ -n "$keep" ]; then
    execs=$(grep -a -E '^#[0-9]+: cov' "$log" | tail -1 | sed 's/^#\([0-9]*\):.*/\1/')
    # the coverage of the final corpus, measured like a plain run
    build/fuzz/"$h" $(options "$h") -runs=0 "$corpus" >"$log.cov" 2>&1
    cov=$(grep -a -E '^#[0-9]+.*(INITED|DONE)' "$log.cov" | tail -1 | sed 's/.*\(cov: [0-9]* ft: [0-9]* corp: [^ ]*\).*/\1/')
  else
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    cov=$(grep -a -E '^#[0-9]+' "$log" | tail -1 | sed 's/.*\(cov: [0-9]* ft: [0-9]* corp: [^ ]*\).*/\1/')
  fi
  found=$(($(ls "$art" | wc -l) - before))
  # what each new problem input does (in fork mode the log does not say)
  for f in $(find "$art" -type f -newer "$log.start" 2>/dev/null); do
    echo "  $f: $(timeout 60 build/fuzz/"$h" $(options "$h") -runs=1 "$f" 2>&1 | grep -a -m1 -E 'ERROR: |INVARIANT|runtime error|Executed')"
  done
  line="$h: ${execs:-?} execs in ${took}s; ${cov:-no coverage line}; new problem inputs: $found"
  if [ $rc -ne 0 ] || [ $found -gt 0 ]; then
    status=1
    line="$line; FOUND A PROBLEM: $(grep -a -m1 -E 'ERROR: |INVARIANT|runtime error' "$log"); inputs in $art"
    grep -a -E -A25 'ERROR: |INVARIANT|runtime error' "$log" | head -40
  fi
  echo "$line"
  summary+=("$line")
done
rm -rf "$TMPDIR"
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit $status
