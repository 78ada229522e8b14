# handout: YAML handout specs -> patient-facing PDF handouts.
#   make          install missing Debian packages, build bin/handout, fonts, render content/ into out/
#   make test     build with sanitizers and run every test; last line "N passed, N failed"
#   make bench    print speed and size figures
#   make clean    remove what the build made
#   make install  PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
VERSION := 0.1.0

BUILD_PKGS := build-essential pkg-config libhpdf-dev libyaml-dev libcmark-dev libharfbuzz-dev \
              libpng-dev libdeflate-dev libqrencode-dev nettle-dev fonts-noto-core fonts-dejavu-core fonts-dejavu-extra \
              fonts-liberation2
TEST_PKGS  := libcmocka-dev zlib1g-dev poppler-utils qpdf valgrind python3 strace
BENCH_PKGS := hyperfine time pandoc weasyprint
FUZZ_PKGS  := clang libclang-rt-14-dev

PKG_LIBS := yaml-0.1 libcmark harfbuzz harfbuzz-subset libpng libqrencode nettle libdeflate
# Linked statically (their -dev packages ship the .a): each shared library
# costs the process about 0.2 ms to map and relocate at start on the build
# machine (--version: 5.1 -> 4.7 ms for the first three, 4.58 -> 4.40 ms for
# nettle). libyaml, cmark, libdeflate: MIT/BSD. nettle: LGPL-3+ or GPL-2+;
# this program's sources are all here, so it can be relinked with another
# nettle as the LGPL asks.
STATIC_LIBS := yaml-0.1 libcmark libdeflate nettle
# Debian's libhpdf-dev ships no pkg-config file: fall back to -lhpdf.
HPDF_CFLAGS := $(shell pkg-config --cflags libhpdf 2>/dev/null)
HPDF_LIBS   := $(shell pkg-config --libs libhpdf 2>/dev/null || echo -lhpdf)
PKG_CFLAGS  := $(shell pkg-config --cflags $(PKG_LIBS) 2>/dev/null)
# harfbuzz is not linked: src/font.c opens it (dlopen) only when a run
# needs it, which a run that finds its fonts in the cache does not (loading
# it and the libraries it brings cost about 1.4 ms a run).
DLOPEN_LIBS := harfbuzz harfbuzz-subset
PKG_LDLIBS  := -Wl,-Bstatic $(shell pkg-config --libs $(STATIC_LIBS) 2>/dev/null) -Wl,-Bdynamic \
               $(shell pkg-config --libs $(filter-out $(STATIC_LIBS) $(DLOPEN_LIBS),$(PKG_LIBS)) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wformat=2
CFLAGS   ?= -O3 -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE -DHD_VERSION='"$(VERSION)"' -DHD_DATADIR='"$(PREFIX)/share/handout"' \
              $(WARN) $(CFLAGS) $(PKG_CFLAGS) $(HPDF_CFLAGS) -MMD -MP
LDLIBS_ALL := $(PKG_LDLIBS) $(HPDF_LIBS) -lpthread -lm

SRCS     := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c,$(SRCS))
OBJS     := $(SRCS:src/%.c=build/rel/%.o)
LIB_OBJS := $(LIB_SRCS:src/%.c=build/rel/%.o)
SAN_OBJS := $(SRCS:src/%.c=build/san/%.o)
SAN_LIB_OBJS := $(LIB_SRCS:src/%.c=build/san/%.o)
# HD_NORMAL_EXIT: main returns instead of calling _exit, so the sanitizers'
# leak and race reports (and --coverage data) are written at exit; add it to
# CFLAGS for any other instrumented build.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DHD_NORMAL_EXIT
# ThreadSanitizer build: documents render in parallel threads (tests/e2e_tsan.sh)
TSAN_FLAGS := -O1 -g -fsanitize=thread -DHD_NORMAL_EXIT
TSAN_OBJS := $(SRCS:src/%.c=build/tsan/%.o)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=build/san/unit/%)

# Fonts: fonts/<family>/<Face>.ttf, copied from Debian font packages.
NOTO := /usr/share/fonts/truetype/noto
LIB2 := /usr/share/fonts/truetype/liberation2
DJV  := /usr/share/fonts/truetype/dejavu
FONT_MAP := \
  noto-sans/Regular:$(NOTO)/NotoSans-Regular.ttf noto-sans/Bold:$(NOTO)/NotoSans-Bold.ttf \
  noto-sans/Italic:$(NOTO)/NotoSans-Italic.ttf noto-sans/BoldItalic:$(NOTO)/NotoSans-BoldItalic.ttf \
  noto-serif/Regular:$(NOTO)/NotoSerif-Regular.ttf noto-serif/Bold:$(NOTO)/NotoSerif-Bold.ttf \
  noto-serif/Italic:$(NOTO)/NotoSerif-Italic.ttf noto-serif/BoldItalic:$(NOTO)/NotoSerif-BoldItalic.ttf \
  liberation-sans/Regular:$(LIB2)/LiberationSans-Regular.ttf liberation-sans/Bold:$(LIB2)/LiberationSans-Bold.ttf \
  liberation-sans/Italic:$(LIB2)/LiberationSans-Italic.ttf liberation-sans/BoldItalic:$(LIB2)/LiberationSans-BoldItalic.ttf \
  liberation-serif/Regular:$(LIB2)/LiberationSerif-Regular.ttf liberation-serif/Bold:$(LIB2)/LiberationSerif-Bold.ttf \
  liberation-serif/Italic:$(LIB2)/LiberationSerif-Italic.ttf liberation-serif/BoldItalic:$(LIB2)/LiberationSerif-BoldItalic.ttf \
  dejavu-sans/Regular:$(DJV)/DejaVuSans.ttf dejavu-sans/Bold:$(DJV)/DejaVuSans-Bold.ttf \
  dejavu-sans/Italic:$(DJV)/DejaVuSans-Oblique.ttf dejavu-sans/BoldItalic:$(DJV)/DejaVuSans-BoldOblique.ttf \
  dejavu-sans-mono/Regular:$(DJV)/DejaVuSansMono.ttf dejavu-sans-mono/Bold:$(DJV)/DejaVuSansMono-Bold.ttf \
  dejavu-sans-mono/Italic:$(DJV)/DejaVuSansMono-Oblique.ttf dejavu-sans-mono/BoldItalic:$(DJV)/DejaVuSansMono-BoldOblique.ttf
FONT_FILES := $(foreach m,$(FONT_MAP),fonts/$(word 1,$(subst :, ,$(m))).ttf)
font_src = $(word 2,$(subst :, ,$(filter $(patsubst fonts/%.ttf,%,$(1)):%,$(FONT_MAP))))

SPECS := $(wildcard content/handouts/*.yaml)

.PHONY: all deps test-deps bench-deps fuzz-deps build fonts examples test unit bench clean install memcheck fuzz
.DEFAULT_GOAL := all

all: deps
	@$(MAKE) --no-print-directory build fonts
	@$(MAKE) --no-print-directory examples

# Install what is missing: apt-get when root, otherwise print the command and stop.
define ensure_pkgs
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >&2 || exit 3; \
	  else \
	    echo "handout needs these Debian packages. Run:" >&2; \
	    echo "  sudo apt-get install -y$$missing" >&2; exit 3; \
	  fi; \
	fi
endef

deps:
	$(call ensure_pkgs,$(BUILD_PKGS))
test-deps: deps
	$(call ensure_pkgs,$(TEST_PKGS))
bench-deps: test-deps
	$(call ensure_pkgs,$(BENCH_PKGS))
fuzz-deps: deps
	$(call ensure_pkgs,$(FUZZ_PKGS))

build: bin/handout

# Full RELRO (Debian's "bindnow" hardening): every symbol is bound at start
# and the table of addresses is then read-only; binding all at once is also
# a little faster than one trampoline call per function (0.1 ms a run).
HARDEN_LDFLAGS := -Wl,-z,relro -Wl,-z,now

bin/handout: $(OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARDEN_LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

build/rel/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

build/san/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -c -o $@ $<

bin/handout-san: $(SAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(SAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

build/tsan/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(TSAN_FLAGS) -c -o $@ $<

bin/handout-tsan: $(TSAN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(TSAN_FLAGS) -o $@ $^ $(LDLIBS_ALL)

# (unit tests link harfbuzz itself: test_font checks the program's font data
# against harfbuzz's own answers)
build/san/unit/%: tests/unit/%.c $(SAN_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(SAN_FLAGS) -Isrc -o $@ $< $(SAN_LIB_OBJS) $(LDLIBS_ALL) $$(pkg-config --libs cmocka zlib $(DLOPEN_LIBS))

fonts: $(FONT_FILES)
$(FONT_FILES):
	@mkdir -p $(@D)
	@src="$(call font_src,$@)"; test -r "$$src" || { echo "missing font $$src (Debian font packages: $(filter fonts-%,$(BUILD_PKGS)))" >&2; exit 3; }; \
	cp "$$src" $@.tmp && mv $@.tmp $@

# One rule per example PDF, with the dependency files handout writes (-MD),
# so editing one Markdown section rebuilds only the PDFs that include it.
# (The PDF's name is the spec's id, which matches its file name here.)
EXAMPLE_PDFS := $(SPECS:content/handouts/%.yaml=out/%.pdf)
examples: $(EXAMPLE_PDFS)
out/%.pdf: content/handouts/%.yaml bin/handout | fonts
	./bin/handout build -q -MD -o out $<
-include $(EXAMPLE_PDFS:=.d)

unit: $(UNIT_BINS)

test: test-deps
	@$(MAKE) --no-print-directory bin/handout bin/handout-san bin/handout-tsan fonts unit
	@tests/run.sh

bench: all bench-deps
	@tests/bench.sh

memcheck: all test-deps
	@tests/memcheck.sh

# fonts/ may hold links to font folders shared with another checkout:
# remove only real folders, never follow a link (rm -rf fonts/*/ would
# empty the folder a link points to)
clean:
	rm -rf build bin out
	[ ! -d fonts ] || find fonts -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +

install: bin/handout fonts
	install -D -m 755 bin/handout $(DESTDIR)$(PREFIX)/bin/handout
	mkdir -p $(DESTDIR)$(PREFIX)/share/handout
	cp -R templates $(DESTDIR)$(PREFIX)/share/handout/
	for f in $(FONT_FILES); do install -D -m 644 $$f $(DESTDIR)$(PREFIX)/share/handout/$$f; done

# Fuzzing (libFuzzer, clang): targets live in tests/fuzz/fuzz.mk.
-include tests/fuzz/fuzz.mk

-include $(OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(TSAN_OBJS:.o=.d)
