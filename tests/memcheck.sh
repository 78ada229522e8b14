#!/usr/bin/env bash
# make memcheck: render every example for every clinic under valgrind and
# fail on any leak or memory error: each twice, with an empty disk cache of
# font data (harfbuzz loaded, entries written) and then with it full
# (entries read, harfbuzz never loaded).
cd "$(dirname "$0")/.." || exit 3
OUT=$(mktemp -d)
export HANDOUT_CACHE_DIR=$OUT/cache
status=0
for spec in content/handouts/*.yaml content/handouts/*.yaml; do
  valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible \
    --error-exitcode=42 bin/handout build -q -j 2 --clinic all -o "$OUT" "$spec" 2>"$OUT/vg.txt"
  code=$?
  if [ $code -ne 0 ]; then
    echo "memcheck: $spec: exit $code"; cat "$OUT/vg.txt"; status=1
  else
    echo "memcheck: $spec: no leaks, no errors"
  fi
done
rm -rf "$OUT"
exit $status
