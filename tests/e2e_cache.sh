# The disk cache of font data (sourced by tests/run.sh; src/cache.h): it
# only saves time. PDFs are the same bytes from a cold cache, a warm one, a
# damaged one, an unusable one and none; a warm run does not load harfbuzz
# at all; a big batch does not fill the folder with subsets; the folder is
# kept under HD_CACHE_MAX_ENTRIES; a changed font file is never served from
# an older entry.
H=${HANDOUT_SAN:-bin/handout-san}
CA=$(mktemp -d)
KR=content/handouts/ketamine-relief.yaml
# hb_loaded LOG: the run's LD_DEBUG=files log shows harfbuzz being opened
hb_loaded() { grep -q 'file=libharfbuzz' "$1"; }
entries() { find "$1" -maxdepth 1 -type f -name '????????????????????????????????????????????????????????????????' 2>/dev/null | wc -l; }

# cold, warm and no cache: the same bytes, for every example and clinic,
# standard and large print
"$H" build -q --no-cache --clinic all -o "$CA/none" $SPECS
"$H" build -q --no-cache --clinic all --large-print -o "$CA/none-lp" $SPECS
HANDOUT_CACHE_DIR="$CA/c1" LD_DEBUG=files "$H" build -q -o "$CA/cold" $KR 2>"$CA/cold.log"
HANDOUT_CACHE_DIR="$CA/c1" LD_DEBUG=files "$H" build -q -o "$CA/warm" $KR 2>"$CA/warm.log"
check "cache: a cold run loads harfbuzz" hb_loaded "$CA/cold.log"
check "cache: a warm run does not load harfbuzz at all" sh -c "! grep -q 'file=libharfbuzz' '$CA/warm.log'"
check "cache: cold and warm runs write the PDF that --no-cache writes" sh -c \
    "cmp '$CA/cold/ketamine-relief.pdf' '$CA/none/riverside/ketamine-relief.pdf' && cmp '$CA/warm/ketamine-relief.pdf' '$CA/none/riverside/ketamine-relief.pdf'"
check "cache: entries are written in the v1 folder" sh -c "[ \$(find '$CA/c1/v1' -maxdepth 1 -type f | wc -l) -ge 5 ]"
check "cache: the folders it makes are private (0700), and so are entries (0600)" sh -c \
    "[ \$(stat -c %a '$CA/c1') = 700 ] && [ \$(stat -c %a '$CA/c1/v1') = 700 ] && [ -z \"\$(find '$CA/c1/v1' -type f ! -perm 600)\" ]"
for c in riverside summit harbour; do
    for spec in $SPECS; do
        HANDOUT_CACHE_DIR="$CA/c2" "$H" build -q --clinic $c -o "$CA/one" "$spec"
        HANDOUT_CACHE_DIR="$CA/c2" "$H" build -q --clinic $c --large-print -o "$CA/one-lp" "$spec"
    done
done
HANDOUT_CACHE_DIR="$CA/c2" "$H" build -q --clinic all -o "$CA/all" $SPECS
HANDOUT_CACHE_DIR="$CA/c2" "$H" build -q --clinic all --large-print -o "$CA/all-lp" $SPECS
check "cache: every example for every clinic, one by one and in a batch, as without the cache" sh -c \
    "diff -r '$CA/none' '$CA/one' && diff -r '$CA/none-lp' '$CA/one-lp' && diff -r '$CA/none' '$CA/all' && diff -r '$CA/none-lp' '$CA/all-lp'"

# a big batch reads the cache but writes no subsets: one face summary per
# face and the record of harfbuzz's files, whatever the number of PDFs
HANDOUT_CACHE_DIR="$CA/c3" "$H" build -q --clinic all -o "$CA/batch" $SPECS
n_batch=$(entries "$CA/c3/v1")
HANDOUT_CACHE_DIR="$CA/c3" "$H" build -q -o "$CA/single" $KR
n_single=$(entries "$CA/c3/v1")
check "cache: a batch of 9 PDFs writes face summaries only ($n_batch entries), one PDF its subsets too ($n_single)" \
    sh -c "[ $n_batch -ge 2 ] && [ $n_batch -le 12 ] && [ $n_single -gt $n_batch ]"

# damaged entries (cut off, a byte changed, emptied) are misses: same bytes, no message
cp -r "$CA/c1" "$CA/bad"
i=0
for f in "$CA/bad/v1/"*; do
    case $((i % 3)) in
    0) truncate -s -7 "$f" ;;
    1) printf 'X' | dd of="$f" bs=1 seek=100 conv=notrunc 2>/dev/null ;;
    2) : >"$f" ;;
    esac
    i=$((i + 1))
done
HANDOUT_CACHE_DIR="$CA/bad" "$H" build -o "$CA/dmg" $KR >"$CA/dmg.out" 2>&1
check "cache: damaged entries are ignored: same PDF, no warning" sh -c \
    "cmp '$CA/dmg/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && ! grep -qiE 'warning|error|cache' '$CA/dmg.out'"
HANDOUT_CACHE_DIR="$CA/bad" LD_DEBUG=files "$H" build -q -o "$CA/dmg2" $KR 2>"$CA/dmg2.log"
check "cache: damaged entries are written again (the next run needs no harfbuzz)" sh -c "! grep -q 'file=libharfbuzz' '$CA/dmg2.log'"

# a cache folder that cannot be used: the build works, quietly
printf 'x' >"$CA/afile"
HANDOUT_CACHE_DIR="$CA/afile/sub" "$H" build -o "$CA/nouse" $KR >"$CA/nouse.out" 2>&1
check "cache: a folder that cannot be made (a file in the way): built, same bytes, nothing said" sh -c \
    "cmp '$CA/nouse/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && ! grep -qiE 'warning|error|cache' '$CA/nouse.out'"
if [ "$(id -u)" != 0 ]; then
    mkdir -p "$CA/ro/v1" && chmod 555 "$CA/ro/v1"
    HANDOUT_CACHE_DIR="$CA/ro" "$H" build -q -o "$CA/ro-out" $KR
    check "cache: a read-only cache folder: built, same bytes" cmp "$CA/ro-out/ketamine-relief.pdf" "$CA/cold/ketamine-relief.pdf"
    chmod 755 "$CA/ro/v1"
fi

# --no-cache reads and writes nothing
HANDOUT_CACHE_DIR="$CA/never" "$H" build -q --no-cache -o "$CA/nc" $KR
check "cache: --no-cache makes no cache folder" test ! -e "$CA/never"

# where the cache is: HANDOUT_CACHE_DIR, else $XDG_CACHE_HOME/handout (an
# absolute one), else ~/.cache/handout
mkdir -p "$CA/home"
env -u HANDOUT_CACHE_DIR XDG_CACHE_HOME="$CA/xdg" "$H" build -q -o "$CA/w1" $KR
env -u HANDOUT_CACHE_DIR XDG_CACHE_HOME=relative/xdg HOME="$CA/home" "$H" build -q -o "$CA/w2" $KR
check "cache: \$XDG_CACHE_HOME/handout/v1 when HANDOUT_CACHE_DIR is not set" sh -c "[ \$(ls '$CA/xdg/handout/v1' | wc -l) -ge 5 ]"
check "cache: ~/.cache/handout/v1 when XDG_CACHE_HOME is relative (the XDG rule: ignored)" sh -c \
    "[ \$(ls '$CA/home/.cache/handout/v1' | wc -l) -ge 5 ] && [ ! -e relative ]"

# the folder is kept small: past 1,000 entries the oldest go, down to 750;
# dead writers' temporary files (over an hour old) go too
mkdir -p "$CA/full/v1"
python3 - "$CA/full/v1" <<'EOF'
import os, sys
d = sys.argv[1]
for i in range(1100):
    p = os.path.join(d, "%064x" % i)
    open(p, "w").write("old")
    os.utime(p, (1000000000 + i, 1000000000 + i))
t = os.path.join(d, ".tmp-1-abcdef")
open(t, "w").write("x")
os.utime(t, (1000000000, 1000000000))
EOF
HANDOUT_CACHE_DIR="$CA/full" "$H" build -q -o "$CA/f1" $KR
HANDOUT_CACHE_DIR="$CA/full" LD_DEBUG=files "$H" build -q -o "$CA/f2" $KR 2>"$CA/full.log"
n_full=$(entries "$CA/full/v1")
check "cache: a full folder is cut to 750 entries plus the new ones ($n_full), the newest kept" sh -c \
    "[ $n_full -le 780 ] && [ $n_full -ge 750 ] && [ ! -e '$CA/full/v1/$(printf '%064x' 0)' ] && [ -e '$CA/full/v1/$(printf '%064x' 1099)' ] && ! grep -q 'file=libharfbuzz' '$CA/full.log'"
check "cache: a dead writer's old temporary file is removed" test ! -e "$CA/full/v1/.tmp-1-abcdef"

# a font file changed in place (same path, new bytes) is read again, not
# served from the entry of the old one
FP=$(mktemp -d)
cp -r content templates "$FP/" && mkdir -p "$FP/fonts"
for f in fonts/*/; do ln -s "$PWD/$f" "$FP/fonts/$(basename "$f")"; done
rm "$FP/fonts/noto-sans" && mkdir "$FP/fonts/noto-sans" && cp fonts/noto-sans/*.ttf "$FP/fonts/noto-sans/"
(cd "$FP" && HANDOUT_CACHE_DIR="$CA/fp" "$OLDPWD/$H" build -q -o out1 $KR)
cp fonts/liberation-sans/Regular.ttf "$FP/fonts/noto-sans/Regular.ttf"
(cd "$FP" && HANDOUT_CACHE_DIR="$CA/fp" "$OLDPWD/$H" build -q -o out2 $KR && "$OLDPWD/$H" build -q --no-cache -o out3 $KR)
check "cache: a font file replaced in place is read again (the PDF is the one --no-cache makes)" sh -c \
    "cmp '$FP/out2/ketamine-relief.pdf' '$FP/out3/ketamine-relief.pdf' && ! cmp -s '$FP/out1/ketamine-relief.pdf' '$FP/out2/ketamine-relief.pdf'"
rm -rf "$FP"

# a logo (a PNG, decoded once and kept in the cache): a warm run does not
# open its file; changed in place, it is read again
LP=$(mktemp -d)
cp -r content templates "$LP/" && ln -s "$PWD/fonts" "$LP/fonts"
(cd "$LP" && HANDOUT_CACHE_DIR="$CA/lp" "$OLDPWD/$H" build -q -o out1 $KR)
n_lp=$(entries "$CA/lp/v1")
(cd "$LP" && HANDOUT_CACHE_DIR="$CA/lp" ASAN_OPTIONS=detect_leaks=0 strace -f -qq -e trace=openat,open,openat2 -o "$LP/warm.log" "$OLDPWD/$H" build -q -o out2 $KR)
# (the spec loader still checks the file is in the project: an O_PATH open)
check "cache: a warm run reads neither the logo's file nor the fonts', only cache entries" sh -c \
    "grep -q '/lp/v1/' '$LP/warm.log' && ! grep -E 'riverside.png|\.ttf' '$LP/warm.log' | grep -qv O_PATH && cmp '$LP/out1/ketamine-relief.pdf' '$LP/out2/ketamine-relief.pdf'"
python3 tests/fixtures/make_png.py "$LP/content/clinics/logos/riverside.png"
(cd "$LP" && HANDOUT_CACHE_DIR="$CA/lp" "$OLDPWD/$H" build -q -o out3 $KR && "$OLDPWD/$H" build -q --no-cache -o out4 $KR)
check "cache: a logo replaced in place is read again (the PDF is the one --no-cache makes)" sh -c \
    "cmp '$LP/out3/ketamine-relief.pdf' '$LP/out4/ketamine-relief.pdf' && ! cmp -s '$LP/out1/ketamine-relief.pdf' '$LP/out3/ketamine-relief.pdf' && [ \$(find '$CA/lp/v1' -type f | wc -l) -gt $n_lp ]"
rm -rf "$LP"

# two builds at once on one empty cache: both work, same bytes
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r1" $KR &
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r2" $KR &
wait
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r3" $KR
check "cache: two builds filling one cache at once: the same PDF three times" sh -c \
    "cmp '$CA/r1/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && cmp '$CA/r2/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && cmp '$CA/r3/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && [ -z \"\$(find '$CA/race' -name '.tmp-*')\" ]"
rm -rf "$CA"
