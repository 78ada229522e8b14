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

# changed in place with the same size: a font's ascender (its hhea table)
# and one pixel of a PNG logo stored without compression
SZ=$(mktemp -d)
cp -r content templates "$SZ/" && mkdir -p "$SZ/fonts"
for f in fonts/*/; do ln -s "$PWD/$f" "$SZ/fonts/$(basename "$f")"; done
rm "$SZ/fonts/noto-sans" && mkdir "$SZ/fonts/noto-sans" && cp fonts/noto-sans/*.ttf "$SZ/fonts/noto-sans/"
python3 tests/fixtures/make_png.py --stored "$SZ/content/clinics/logos/riverside.png"
(cd "$SZ" && HANDOUT_CACHE_DIR="$CA/sz" "$OLDPWD/$H" build -q -o out1 $KR)
size_font=$(stat -c %s "$SZ/fonts/noto-sans/Regular.ttf")
python3 - "$SZ/fonts/noto-sans/Regular.ttf" <<'PY'
import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
n = struct.unpack(">H", b[4:6])[0]
for i in range(n):
    tag, _, off, _ = struct.unpack(">4sIII", b[12 + 16 * i:28 + 16 * i])
    if tag == b"hhea":
        asc = struct.unpack(">h", b[off + 4:off + 6])[0]
        b[off + 4:off + 6] = struct.pack(">h", asc + 300)
open(p, "r+b").write(bytes(b))
PY
(cd "$SZ" && HANDOUT_CACHE_DIR="$CA/sz" "$OLDPWD/$H" build -q -o out2 $KR && "$OLDPWD/$H" build -q --no-cache -o out3 $KR)
check "cache: a font changed in place, same size: read again (the PDF is --no-cache's)" sh -c \
    "[ \$(stat -c %s '$SZ/fonts/noto-sans/Regular.ttf') = $size_font ] && cmp '$SZ/out2/ketamine-relief.pdf' '$SZ/out3/ketamine-relief.pdf' && ! cmp -s '$SZ/out1/ketamine-relief.pdf' '$SZ/out2/ketamine-relief.pdf'"
size_png=$(stat -c %s "$SZ/content/clinics/logos/riverside.png")
python3 tests/fixtures/make_png.py --stored --shade 7 "$SZ/content/clinics/logos/riverside.png"
(cd "$SZ" && HANDOUT_CACHE_DIR="$CA/sz" "$OLDPWD/$H" build -q -o out4 $KR && "$OLDPWD/$H" build -q --no-cache -o out5 $KR)
check "cache: a logo changed in place, same size: read again (the PDF is --no-cache's)" sh -c \
    "[ \$(stat -c %s '$SZ/content/clinics/logos/riverside.png') = $size_png ] && cmp '$SZ/out4/ketamine-relief.pdf' '$SZ/out5/ketamine-relief.pdf' && ! cmp -s '$SZ/out2/ketamine-relief.pdf' '$SZ/out4/ketamine-relief.pdf'"
rm -rf "$SZ"

# an entry that is a FIFO (an open would wait for a writer) or says
# impossible things with a valid checksum (a NaN ascent): ignored
cp -r "$CA/c1" "$CA/odd"
face=$(python3 - "$CA/odd/v1" <<'PY'
import os, struct, sys, zlib
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    b = bytearray(open(os.path.join(d, name), "rb").read())
    if len(b) > 10000 and b[56:60] == struct.pack("<I", 1) and b[:8] == b"HDCACHE1":
        b[68:76] = struct.pack("<d", float("nan"))  # the ascent, after format and scale
        b[48:52] = struct.pack("<I", zlib.crc32(bytes(b[56:])))
        open(os.path.join(d, name), "wb").write(b)
        print(name)
        break
PY
)
fifo=$(ls "$CA/odd/v1" | grep -v "$face" | head -1)
rm "$CA/odd/v1/$fifo" && mkfifo "$CA/odd/v1/$fifo"
HANDOUT_CACHE_DIR="$CA/odd" timeout -s KILL 60 "$H" build -o "$CA/oddout" $KR >"$CA/odd.out" 2>&1
check "cache: a FIFO and a NaN ascent in the cache: ignored, the same PDF, nothing said" sh -c \
    "[ -n '$face' ] && cmp '$CA/oddout/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && ! grep -qiE 'warning|error' '$CA/odd.out'"

# entries are this program's own: the same program run through the dynamic
# loader finds them (they are keyed by its build ID, not by the file that
# was executed); another build of it (the sanitizer build here, the
# release build there) does not
HANDOUT_CACHE_DIR="$CA/bid" bin/handout build -q -o "$CA/rel1" $KR
HANDOUT_CACHE_DIR="$CA/bid" LD_DEBUG=files /lib64/ld-linux-x86-64.so.2 bin/handout build -q -o "$CA/rel2" $KR 2>"$CA/bid-ld.log"
HANDOUT_CACHE_DIR="$CA/bid" LD_DEBUG=files "$H" build -q -o "$CA/rel3" $KR 2>"$CA/bid-san.log"
check "cache: keyed by the program's build ID: warm through the loader, cold for another build" sh -c \
    "! grep -q 'file=libharfbuzz' '$CA/bid-ld.log' && grep -q 'file=libharfbuzz' '$CA/bid-san.log' && cmp '$CA/rel1/ketamine-relief.pdf' '$CA/rel2/ketamine-relief.pdf'"

# a run that would load another harfbuzz (LD_LIBRARY_PATH) does not use
# entries the system's harfbuzz made: it loads its own
mkdir -p "$CA/hb"
cp "$(readlink -f /lib/x86_64-linux-gnu/libharfbuzz-subset.so.0)" "$CA/hb/libharfbuzz-subset.so.0"
HANDOUT_CACHE_DIR="$CA/c1" LD_LIBRARY_PATH="$CA/hb" LD_DEBUG=files "$H" build -q -o "$CA/hbout" $KR 2>"$CA/hb.log"
check "cache: another harfbuzz (LD_LIBRARY_PATH) is loaded, not served from the system harfbuzz's entries" sh -c \
    "grep -q 'file=.*$CA/hb/libharfbuzz-subset' '$CA/hb.log' && cmp '$CA/hbout/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf'"
# harfbuzz that cannot be loaded: a clear error, exit 3
mkdir -p "$CA/nohb" && echo 'not a library' >"$CA/nohb/libharfbuzz-subset.so.0"
LD_LIBRARY_PATH="$CA/nohb" "$H" build -q --no-cache -o "$CA/nohbout" $KR >"$CA/nohb.out" 2>&1
code=$?
check "cache: harfbuzz that cannot be loaded: exit 3 and says so" sh -c \
    "[ $code = 3 ] && grep -q 'error: cannot load harfbuzz, which reads the fonts (.*): run make to install it' '$CA/nohb.out'"
if [ "$(id -u)" = 0 ]; then
    cp -r "$CA/c1" "$CA/other"
    chown -R 65534 "$CA/other/v1"
    HANDOUT_CACHE_DIR="$CA/other" LD_DEBUG=files "$H" build -q -o "$CA/otherout" $KR 2>"$CA/other.log"
    check "cache: entries another user owns are not read" sh -c \
        "grep -q 'file=libharfbuzz' '$CA/other.log' && cmp '$CA/otherout/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf'"
fi

# two builds at once on one empty cache: both work, same bytes
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r1" $KR &
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r2" $KR &
wait
HANDOUT_CACHE_DIR="$CA/race" "$H" build -q -o "$CA/r3" $KR
check "cache: two builds filling one cache at once: the same PDF three times" sh -c \
    "cmp '$CA/r1/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && cmp '$CA/r2/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && cmp '$CA/r3/ketamine-relief.pdf' '$CA/cold/ketamine-relief.pdf' && [ -z \"\$(find '$CA/race' -name '.tmp-*')\" ]"
rm -rf "$CA"
